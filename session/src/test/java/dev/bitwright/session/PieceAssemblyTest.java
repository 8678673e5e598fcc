package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.FileEntry;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.storage.FilePriority;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pieces are assembled in memory and written once whole; a download paused half-way through a piece
 * must keep the blocks that arrived (they go to the disk) and finish without a hash failure.
 */
@Timeout(60)
class PieceAssemblyTest {
  @TempDir Path dir;

  /** Adds {@code torrent} to {@code leecher} from {@code seeder}, downloading at {@code limit}. */
  private TorrentHandle leech(
      TorrentSession leecher, Torrent torrent, TorrentSession seeder, long limit) {
    return leecher.add(
        AddTorrent.torrent(torrent, dir.resolve("dl"))
            .peer(Swarm.address(seeder))
            .rateLimits(limit, 0)
            .build());
  }

  /** Waits until the first blocks have arrived. */
  private static void awaitSomeBlocks(TorrentHandle leech) throws InterruptedException {
    Swarm.await(Duration.ofSeconds(20), "some blocks", () -> leech.status().downloaded() > 0);
  }

  @Test
  void aDownloadPausedInTheMiddleOfAPieceFinishesWithTheRightBytesAndNoHashFailure()
      throws Exception {
    Path seedDir = dir.resolve("seed");
    Path payload = Swarm.payload(seedDir, 21, 2 * Swarm.MIB + 12_345);
    Torrent torrent = TorrentBuilder.create(payload).pieceLength(Swarm.MIB).build();
    Swarm.Events events = new Swarm.Events();
    try (TorrentSession seeder = Swarm.seeding(torrent, seedDir, 0);
        TorrentSession leecher = TorrentSession.start(Swarm.config().build())) {
      leecher.addListener(events);
      Path dl = dir.resolve("dl");
      TorrentHandle leech = leech(leecher, torrent, seeder, 128 * 1024);
      // At 128 KiB/s, the first 1 MiB piece takes seconds.
      awaitSomeBlocks(leech);
      leech.pause();
      assertThat(leech.status().bytesDone()).as("no piece complete yet").isZero();
      Thread.sleep(300);
      leech.setRateLimits(0, 0);
      leech.resume();
      // The peer is dialled again at once, not after the 10 s back-off of a closed connection.
      leech.completion().get(8, TimeUnit.SECONDS);
      Swarm.assertSameFiles(torrent, seedDir, dl);
    }
    assertThat(events.of(SessionEvent.HashFailed.class)).isEmpty();
    assertThat(events.of(SessionEvent.PieceVerified.class)).hasSize(torrent.pieceCount());
  }

  /**
   * Pieces held in memory when their files are skipped are dropped, not written: the storage keeps
   * no bytes of a skipped file it never created. Wanted again, they are fetched again, and nothing
   * fails the hash (a single sender would be banned for it).
   */
  @Test
  void filesSkippedWhilePiecesAreAssembledAndWantedAgainDownloadWithoutHashFailures()
      throws Exception {
    Path seedDir = dir.resolve("seed");
    Path payload = Swarm.payload(seedDir, 22, Swarm.MIB, Swarm.MIB);
    Torrent torrent = TorrentBuilder.create(payload).pieceLength(256 * 1024).build();
    Swarm.Events events = new Swarm.Events();
    try (TorrentSession seeder = Swarm.seeding(torrent, seedDir, 0);
        TorrentSession leecher = TorrentSession.start(Swarm.config().build())) {
      leecher.addListener(events);
      Path dl = dir.resolve("dl");
      TorrentHandle leech = leech(leecher, torrent, seeder, 128 * 1024);
      awaitSomeBlocks(leech);
      leech.setFilePriority(0, FilePriority.SKIP);
      leech.setFilePriority(1, FilePriority.SKIP);
      Thread.sleep(300);
      leech.setFilePriority(0, FilePriority.NORMAL);
      leech.setFilePriority(1, FilePriority.NORMAL);
      leech.setRateLimits(0, 0);
      // (Not the completion future: with every file skipped, the torrent had nothing left to get.)
      Swarm.await(
          Duration.ofSeconds(20),
          "every piece",
          () -> leech.status().piecesDone() == torrent.pieceCount());
      Swarm.assertSameFiles(torrent, seedDir, dl);
    }
    assertThat(events.of(SessionEvent.HashFailed.class)).isEmpty();
    assertThat(events.of(SessionEvent.PeerBanned.class)).isEmpty();
  }

  /** Removing a torrent with its files while pieces are in memory leaves no file behind. */
  @Test
  void aTorrentRemovedWithItsFilesMidPieceLeavesNothingBehind() throws Exception {
    Path seedDir = dir.resolve("seed");
    Path payload = Swarm.payload(seedDir, 23, 2 * Swarm.MIB);
    Torrent torrent = TorrentBuilder.create(payload).pieceLength(256 * 1024).build();
    Path dl = dir.resolve("dl");
    try (TorrentSession seeder = Swarm.seeding(torrent, seedDir, 0);
        TorrentSession leecher = TorrentSession.start(Swarm.config().build())) {
      TorrentHandle leech = leech(leecher, torrent, seeder, 512 * 1024);
      Swarm.await(Duration.ofSeconds(20), "a piece on disk", () -> leech.status().piecesDone() > 0);
      leecher.remove(leech, RemoveOption.DELETE_FILES).get(10, TimeUnit.SECONDS);
      Thread.sleep(500);
      for (FileEntry f : torrent.files()) {
        assertThat(Swarm.path(dl, torrent, f)).doesNotExist();
      }
    }
  }
}
