package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.storage.FilePriority;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** File priorities changed while a torrent runs. */
@Timeout(60)
class FilePriorityTest {
  private static final int KIB = 1024;

  @TempDir Path dir;
  Path seedDir;
  Path target;
  Torrent torrent;

  @BeforeEach
  void payload() throws Exception {
    seedDir = dir.resolve("seed");
    target = dir.resolve("download");
    // Piece-aligned files, so that skipping one skips exactly its pieces.
    torrent =
        TorrentBuilder.create(
                Swarm.payload(seedDir, 41, 512 * KIB, 512 * KIB, 512 * KIB, 512 * KIB))
            .pieceLength(64 * KIB)
            .build();
  }

  private static final List<FilePriority> SKIP_SECOND =
      List.of(FilePriority.NORMAL, FilePriority.SKIP, FilePriority.NORMAL, FilePriority.NORMAL);

  private Path file(Path folder, int index) {
    return Swarm.path(folder, torrent, torrent.files().get(index));
  }

  @Test
  void aSkippedFileSetToNormalDuringTheDownloadIsDownloadedToo() throws Exception {
    Swarm.Events events = new Swarm.Events();
    // 512 KiB/s: the 1.5 MiB wanted at first take two seconds or more.
    try (TorrentSession seeder = Swarm.seeding(torrent, seedDir, 512 * KIB);
        TorrentSession leecher = TorrentSession.start(Swarm.config().build())) {
      leecher.addListener(events);
      TorrentHandle leech =
          leecher.add(
              AddTorrent.torrent(torrent, target)
                  .priorities(SKIP_SECOND)
                  .peer(Swarm.address(seeder))
                  .build());
      Swarm.await(
          Duration.ofSeconds(20), "a first piece", () -> !events.verifiedPieces().isEmpty());
      assertThat(leech.completion()).isNotDone();
      leech.setFilePriority(1, FilePriority.NORMAL);
      leech.completion().get(30, TimeUnit.SECONDS);
      assertThat(leech.status().bytesWanted()).isEqualTo(torrent.totalLength());
      Swarm.assertSameFiles(torrent, seedDir, target);
    }
  }

  @Test
  void aSkippedFileSetToNormalAfterFinishingIsDownloadedAfterwards() throws Exception {
    Swarm.Events events = new Swarm.Events();
    try (TorrentSession seeder = Swarm.seeding(torrent, seedDir, 0);
        TorrentSession leecher = TorrentSession.start(Swarm.config().build())) {
      leecher.addListener(events);
      TorrentHandle leech =
          leecher.add(
              AddTorrent.torrent(torrent, target)
                  .priorities(SKIP_SECOND)
                  .peer(Swarm.address(seeder))
                  .build());
      leech.completion().get(30, TimeUnit.SECONDS);
      // Every wanted piece, not every piece: finished, not seeding.
      assertThat(leech.status().state()).isEqualTo(TorrentState.FINISHED);
      assertThat(leech.status().bytesWanted()).isEqualTo(3 * 512 * KIB);
      assertThat(file(target, 1)).doesNotExist();

      leech.setFilePriority(1, FilePriority.HIGH);
      // The connection to the seed closed when the torrent finished ("both seeds"); it is dialled
      // again at once, not after the 10 s back-off of a closed connection.
      Swarm.await(
          Duration.ofSeconds(8),
          "every piece, SEEDING again",
          () ->
              leech.status().piecesDone() == torrent.pieceCount()
                  && leech.status().state() == TorrentState.SEEDING);
      assertThat(leech.status().bytesWanted()).isEqualTo(torrent.totalLength());
      assertThat(Files.readAllBytes(file(target, 1)))
          .isEqualTo(Files.readAllBytes(file(seedDir, 1)));
      Swarm.await(
          Duration.ofSeconds(5),
          "two TorrentFinished",
          () -> events.of(SessionEvent.TorrentFinished.class).size() == 2);
    }
    assertThat(events.verifiedPieces()).hasSize(torrent.pieceCount()).doesNotHaveDuplicates();
  }
}
