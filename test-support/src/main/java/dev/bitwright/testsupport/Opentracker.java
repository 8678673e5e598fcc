package dev.bitwright.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's opentracker in a child process on 127.0.0.1, HTTP and UDP on one port, in whitelist mode
 * (the only mode Debian builds). It chroots into its folder, so the folder is world-readable and
 * the whitelist path in its config is relative to it. Closing it stops the process.
 */
public final class Opentracker implements AutoCloseable {
  /** Where Debian installs opentracker. */
  public static final Path BINARY = Path.of("/usr/bin/opentracker");

  private final Process process;
  private final int port;
  private final Path dir;

  private Opentracker(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /**
   * Starts opentracker in {@code dir} serving the 20-byte {@code infoHashes}; fails the test if the
   * binary is missing (CI installs it) or if it does not listen within 5 s.
   *
   * @param dir a folder for its files (it chroots there)
   * @param infoHashes the 20-byte info-hashes it may serve
   * @return the running tracker
   * @throws IOException if it cannot be started
   * @throws InterruptedException if interrupted while waiting for it
   */
  public static Opentracker start(Path dir, Collection<byte[]> infoHashes)
      throws IOException, InterruptedException {
    assertThat(BINARY)
        .as(
            "Debian's opentracker is needed for the tracker interop tests (apt-get install opentracker)")
        .isRegularFile()
        .isExecutable();
    Files.createDirectories(dir);
    StringBuilder whitelist = new StringBuilder();
    for (byte[] hash : infoHashes) {
      whitelist.append(HexFormat.of().formatHex(hash)).append('\n');
    }
    Path list = dir.resolve("whitelist.txt");
    Path conf = dir.resolve("opentracker.conf");
    Path log = dir.resolve("opentracker.log");
    Files.writeString(list, whitelist, StandardCharsets.US_ASCII);
    Files.writeString(conf, "access.whitelist /whitelist.txt\n", StandardCharsets.US_ASCII);
    Files.writeString(log, "", StandardCharsets.US_ASCII);
    for (Path file : List.of(list, conf, log)) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

    String why = "";
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      Process process =
          new ProcessBuilder(
                  BINARY.toString(),
                  "-i",
                  "127.0.0.1",
                  "-p",
                  Integer.toString(port),
                  "-P",
                  Integer.toString(port),
                  "-A",
                  "127.0.0.1",
                  "-d",
                  dir.toString(),
                  "-f",
                  conf.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      if (listens(process, port, 5_000)) {
        return new Opentracker(process, port, dir);
      }
      stop(process);
      why = Files.readString(log, StandardCharsets.UTF_8);
    }
    throw new IOException("opentracker did not start: " + why);
  }

  /**
   * Returns a port free for both TCP and UDP on 127.0.0.1 just now.
   *
   * @return the port
   * @throws IOException if none is found
   */
  public static int freePort() throws IOException {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    for (int i = 0; i < 20; i++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, loopback)) {
        int port = tcp.getLocalPort();
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, port))) {
          assertThat(udp.getLocalPort()).isEqualTo(port);
          return port;
        } catch (IOException taken) {
          // the UDP port is in use; try another
        }
      }
    }
    throw new IOException("no free port");
  }

  private static boolean listens(Process process, int port, long millis)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() - end < 0) {
      if (!process.isAlive()) {
        return false;
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return true;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    return false;
  }

  /** Returns the TCP and UDP port. */
  public int port() {
    return port;
  }

  /** Returns the HTTP announce URL. */
  public String httpUrl() {
    return "http://127.0.0.1:" + port + "/announce";
  }

  /** Returns the UDP address. */
  public InetSocketAddress udpAddress() {
    return new InetSocketAddress("127.0.0.1", port);
  }

  /** Returns the UDP announce URL. */
  public String udpUrl() {
    return "udp://127.0.0.1:" + port + "/announce";
  }

  /**
   * Returns what it printed.
   *
   * @return the log
   * @throws IOException if the log cannot be read
   */
  public String log() throws IOException {
    return Files.readString(dir.resolve("opentracker.log"), StandardCharsets.UTF_8);
  }

  /** Stops the process. */
  @Override
  public void close() {
    stop(process);
  }

  private static void stop(Process process) {
    process.destroy();
    Processes.awaitOrKill(process, 3);
  }
}
