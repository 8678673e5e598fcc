package dev.bitwright.tracker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * A libtorrent leecher in a child process (test resource interop/lt_leech.py, run by Debian's
 * /usr/bin/python3 with python3-libtorrent) on 127.0.0.1. It announces to the torrent's tracker and
 * dials the peers it learns. Closing it stops the process.
 */
final class LibtorrentLeecher implements AutoCloseable {
  static final Path PYTHON = Path.of("/usr/bin/python3");

  private final Process process;
  private final Path log;
  private final int port;

  private LibtorrentLeecher(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Starts leeching {@code torrent} into {@code savePath}; it gives up after {@code seconds}. */
  static LibtorrentLeecher start(Path torrent, Path savePath, Path scratch, int seconds)
      throws IOException {
    Path script = scratch.resolve("lt_leech.py");
    try (InputStream in = LibtorrentLeecher.class.getResourceAsStream("/interop/lt_leech.py")) {
      if (in == null) {
        throw new IOException("test resource /interop/lt_leech.py is missing");
      }
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    Path log = scratch.resolve("lt_leech.log");
    Process process =
        new ProcessBuilder(
                PYTHON.toString(),
                script.toString(),
                torrent.toString(),
                savePath.toString(),
                Integer.toString(seconds))
            .redirectError(log.toFile())
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("READY ")) {
      process.destroyForcibly();
      throw new IOException(
          "libtorrent leecher did not start (is python3-libtorrent installed?): "
              + Files.readString(log, StandardCharsets.UTF_8));
    }
    return new LibtorrentLeecher(process, log, Integer.parseInt(line.substring(6).trim()));
  }

  /** Returns libtorrent's listen port on 127.0.0.1. */
  int port() {
    return port;
  }

  /** Returns what libtorrent logged so far (its alerts). */
  String log() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    try {
      process.getOutputStream().close();
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
