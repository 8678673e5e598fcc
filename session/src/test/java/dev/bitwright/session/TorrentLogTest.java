package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.storage.StorageException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log lines about a torrent carry its info-hash as a key-value, so that two torrents of the same
 * name are told apart. The tests' binding, slf4j-simple, writes key-values before the message to
 * System.err at WARN and above.
 */
@Timeout(60)
class TorrentLogTest {
  @TempDir Path dir;

  @Test
  void twoFailingTorrentsOfOneNameAreToldApartByTheirInfoHash() throws Exception {
    Torrent first =
        TorrentBuilder.create(Swarm.payload(dir.resolve("a"), 1, 50_000))
            .pieceLength(16384)
            .build();
    Torrent second =
        TorrentBuilder.create(Swarm.payload(dir.resolve("b"), 2, 50_000))
            .pieceLength(16384)
            .build();
    assertThat(first.name()).isEqualTo(second.name());
    StorageFactory broken =
        (folder, t) -> {
          throw new StorageException("open", "file 0", "read-only file system", null);
        };
    String log;
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (TorrentSession session = TorrentSession.start(Swarm.config().build())) {
      for (Torrent t : new Torrent[] {first, second}) {
        TorrentHandle handle =
            session.add(AddTorrent.torrent(t, dir.resolve("dl")).storage(broken).build());
        assertThatThrownBy(() -> handle.completion().get(10, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class);
      }
    } finally {
      System.setErr(err);
      log = captured.toString(StandardCharsets.UTF_8);
    }
    for (Torrent t : new Torrent[] {first, second}) {
      assertThat(log)
          .contains(
              "infoHash=" + t.infoHashes().best().hex() + " torrent " + t.name() + " failed: ");
    }
  }
}
