package dev.bitwright.tracker;

import dev.bitwright.testsupport.ScriptProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A libtorrent leecher in a child process (test resource interop/lt_leech.py, run by Debian's
 * /usr/bin/python3 with python3-libtorrent) on 127.0.0.1. It announces to the torrent's tracker and
 * dials the peers it learns. Closing it stops the process.
 */
final class LibtorrentLeecher implements AutoCloseable {
  static final Path PYTHON = Path.of("/usr/bin/python3");

  private final ScriptProcess script;
  private final Path log;
  private final int port;

  private LibtorrentLeecher(ScriptProcess script, Path log, int port) {
    this.script = script;
    this.log = log;
    this.port = port;
  }

  /** Starts leeching {@code torrent} into {@code savePath}; it gives up after {@code seconds}. */
  static LibtorrentLeecher start(Path torrent, Path savePath, Path scratch, int seconds)
      throws IOException {
    Path log = scratch.resolve("lt_leech.log");
    ScriptProcess script =
        ScriptProcess.start(
            LibtorrentLeecher.class,
            "/interop/lt_leech.py",
            scratch,
            PYTHON.toString(),
            List.of(torrent.toString(), savePath.toString(), Integer.toString(seconds)),
            log,
            line -> {});
    if (!script.firstLine().startsWith("READY ")) {
      script.close();
      throw new IOException("libtorrent leecher did not start: " + script.firstLine());
    }
    return new LibtorrentLeecher(
        script, log, Integer.parseInt(script.firstLine().substring(6).trim()));
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
    script.close();
  }
}
