package dev.bitwright.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A libtorrent seeder in a child process (test resource interop/lt_peer.py, run by Debian's
 * /usr/bin/python3 with python3-libtorrent), listening on 127.0.0.1. Closing it stops the process.
 */
final class LibtorrentPeer implements AutoCloseable {
  private final Process process;
  private final OutputStream commands;
  private final int port;

  private LibtorrentPeer(Process process, int port) {
    this.process = process;
    this.commands = process.getOutputStream();
    this.port = port;
  }

  /** Starts seeding {@code torrent} from {@code savePath} with the given encryption policy. */
  static LibtorrentPeer seed(Path torrent, Path savePath, String encryption, Path scratch)
      throws IOException {
    Path script = scratch.resolve("lt_peer.py");
    try (var in = LibtorrentPeer.class.getResourceAsStream("/interop/lt_peer.py")) {
      Files.copy(in, script);
    }
    Process process =
        new ProcessBuilder(
                "/usr/bin/python3",
                script.toString(),
                torrent.toString(),
                savePath.toString(),
                encryption,
                "60")
            .redirectError(scratch.resolve("lt_peer.log").toFile())
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("PORT ")) {
      process.destroyForcibly();
      throw new IOException(
          "libtorrent peer did not start (is python3-libtorrent installed?): "
              + Files.readString(scratch.resolve("lt_peer.log")));
    }
    int port = Integer.parseInt(line.substring(5).trim());
    assertThat(port).isPositive();
    return new LibtorrentPeer(process, port);
  }

  int port() {
    return port;
  }

  /** Asks libtorrent to dial 127.0.0.1:{@code port}. */
  void connectTo(int port) throws IOException {
    commands.write(("connect " + port + "\n").getBytes(StandardCharsets.US_ASCII));
    commands.flush();
  }

  @Override
  public void close() throws IOException {
    try {
      commands.close();
    } catch (IOException ignored) {
      // the process may be gone already
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
