package dev.bitwright.wire;

import dev.bitwright.testsupport.ScriptProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A libtorrent seeder in a child process (test resource interop/lt_peer.py, run by Debian's
 * /usr/bin/python3 with python3-libtorrent), listening on 127.0.0.1. Closing it stops the process.
 */
final class LibtorrentPeer implements AutoCloseable {
  private final ScriptProcess script;
  private final int port;

  private LibtorrentPeer(ScriptProcess script, int port) {
    this.script = script;
    this.port = port;
  }

  /** Starts seeding {@code torrent} from {@code savePath} with the given encryption policy. */
  static LibtorrentPeer seed(Path torrent, Path savePath, String encryption, Path scratch)
      throws IOException {
    ScriptProcess script =
        ScriptProcess.start(
            LibtorrentPeer.class,
            "/interop/lt_peer.py",
            scratch,
            "/usr/bin/python3",
            List.of(torrent.toString(), savePath.toString(), encryption, "60"),
            scratch.resolve("lt_peer.log"),
            line -> {});
    if (!script.firstLine().startsWith("PORT ")) {
      script.close();
      throw new IOException("libtorrent peer did not start: " + script.firstLine());
    }
    return new LibtorrentPeer(script, Integer.parseInt(script.firstLine().substring(5).trim()));
  }

  int port() {
    return port;
  }

  /** Asks libtorrent to dial 127.0.0.1:{@code port}. */
  void connectTo(int port) throws IOException {
    script.send("connect " + port);
  }

  @Override
  public void close() {
    script.close();
  }
}
