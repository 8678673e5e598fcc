package dev.bitwright.dht;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Collectors;

/**
 * Real libtorrent DHT nodes on 127.0.0.1, in a child process (test resource
 * interop/lt_dht_nodes.py, run by Debian's /usr/bin/python3 with python3-libtorrent), driven by
 * line commands. Closing it stops the process, forcibly if need be.
 */
final class LibtorrentDhtNodes implements AutoCloseable {
  private static final Path PYTHON = Path.of("/usr/bin/python3");

  private final Process process;
  private final PrintWriter commands;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<InetSocketAddress> addresses;
  private final Path log;

  private LibtorrentDhtNodes(Process process, List<InetSocketAddress> addresses, Path log) {
    this.process = process;
    this.addresses = addresses;
    this.log = log;
    OutputStream in = process.getOutputStream();
    this.commands = new PrintWriter(in, true, StandardCharsets.UTF_8);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                  lines.add(line);
                }
              } catch (IOException e) {
                lines.add("EOF " + e);
              }
            },
            "lt-dht-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code count} nodes on free ports; they also ping {@code peer}. */
  static LibtorrentDhtNodes start(int count, InetSocketAddress peer, Path scratch, int seconds)
      throws IOException {
    Path script = scratch.resolve("lt_dht_nodes.py");
    try (InputStream in =
        LibtorrentDhtNodes.class.getResourceAsStream("/interop/lt_dht_nodes.py")) {
      if (in == null) {
        throw new IOException("test resource /interop/lt_dht_nodes.py is missing");
      }
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      addresses.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort()));
    }
    Path log = scratch.resolve("lt_dht_nodes.log");
    Process process =
        new ProcessBuilder(
                PYTHON.toString(),
                script.toString(),
                "--ports",
                addresses.stream()
                    .map(a -> Integer.toString(a.getPort()))
                    .collect(Collectors.joining(",")),
                "--peer",
                "127.0.0.1:" + peer.getPort(),
                "--duration",
                Integer.toString(seconds),
                "--save-path",
                scratch.toString())
            .redirectError(log.toFile())
            .start();
    return new LibtorrentDhtNodes(process, addresses, log);
  }

  /** A port free for both TCP and UDP on 127.0.0.1 (libtorrent listens on both). */
  private static int freePort() throws IOException {
    for (int attempt = 0; attempt < 20; attempt++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        try (DatagramSocket udp =
            new DatagramSocket(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), tcp.getLocalPort()))) {
          return udp.getLocalPort();
        } catch (IOException taken) {
          // UDP port in use: try another
        }
      }
    }
    throw new IOException("no free port on 127.0.0.1");
  }

  List<InetSocketAddress> addresses() {
    return addresses;
  }

  void send(String command) {
    commands.println(command);
  }

  /** Returns the next output line, or null if none comes within {@code millis}. */
  String poll(long millis) throws InterruptedException {
    return lines.poll(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String log() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    try {
      commands.println("QUIT");
      commands.close();
      process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      process.destroyForcibly();
    }
  }
}
