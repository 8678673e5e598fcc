package dev.bitwright.session;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A libtorrent peer in a child process (test resource interop/lt_client.py, run by Debian's
 * /usr/bin/python3 with python3-libtorrent) on 127.0.0.1. Closing it stops the process.
 */
final class LibtorrentClient implements AutoCloseable {
  private final Process process;
  private final OutputStream commands;
  private final int port;
  private final CompletableFuture<Void> finished = new CompletableFuture<>();

  private LibtorrentClient(Process process, int port, BufferedReader out) {
    this.process = process;
    this.commands = process.getOutputStream();
    this.port = port;
    Thread reader =
        new Thread(
            () -> {
              try {
                String line;
                while ((line = out.readLine()) != null) {
                  if (line.equals("FINISHED")) {
                    finished.complete(null);
                  }
                }
              } catch (IOException ignored) {
                // the process ended
              }
            },
            "lt-client-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts libtorrent: mode "seed" or "leech", source a .torrent path or a magnet URI. */
  static LibtorrentClient start(
      String mode, String source, Path savePath, String encryption, Path scratch)
      throws IOException {
    Path script = scratch.resolve("lt_client.py");
    if (!Files.exists(script)) {
      try (InputStream in = LibtorrentClient.class.getResourceAsStream("/interop/lt_client.py")) {
        Files.copy(in, script);
      }
    }
    Path log = scratch.resolve("lt_client-" + mode + ".log");
    Process process =
        new ProcessBuilder(
                "/usr/bin/python3",
                script.toString(),
                mode,
                source,
                savePath.toString(),
                encryption,
                "90")
            .redirectError(log.toFile())
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("PORT ")) {
      process.destroyForcibly();
      throw new IOException(
          "libtorrent did not start (is python3-libtorrent installed?): " + Files.readString(log));
    }
    return new LibtorrentClient(process, Integer.parseInt(line.substring(5).trim()), out);
  }

  int port() {
    return port;
  }

  /** Completes when a leech prints FINISHED. */
  CompletableFuture<Void> finished() {
    return finished;
  }

  void connectTo(int port) throws IOException {
    commands.write(("connect " + port + "\n").getBytes(StandardCharsets.US_ASCII));
    commands.flush();
  }

  @Override
  public void close() {
    try {
      commands.close();
    } catch (IOException ignored) {
      // gone already
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
