package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.FileEntry;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** recheck() after damage on disk, and resume data that spares the check of unchanged files. */
@Timeout(60)
class RecheckAndResumeTest {
  private static final int PIECE = 64 * 1024;

  @TempDir Path dir;
  Path seedDir;
  Path target;
  Path resume;
  Torrent torrent;

  @BeforeEach
  void payload() throws Exception {
    seedDir = dir.resolve("seed");
    target = dir.resolve("download");
    resume = dir.resolve("state/download.resume");
    torrent =
        TorrentBuilder.create(Swarm.payload(seedDir, 21, 600_000, 700_000, 800_000, 900_000))
            .pieceLength(PIECE)
            .build();
  }

  /** Downloads the torrent into {@code target} with resume data, then closes both sessions. */
  private void download() throws Exception {
    try (TorrentSession seeder = TorrentSession.start(Swarm.config().build());
        TorrentSession leecher = TorrentSession.start(Swarm.config().build())) {
      seeder
          .add(AddTorrent.torrent(torrent, seedDir).build())
          .completion()
          .get(20, TimeUnit.SECONDS);
      leecher
          .add(
              AddTorrent.torrent(torrent, target)
                  .resumeFile(resume)
                  .peer(Swarm.address(seeder))
                  .build())
          .completion()
          .get(30, TimeUnit.SECONDS);
    }
    Swarm.assertSameFiles(torrent, seedDir, target);
    assertThat(resume).isRegularFile();
  }

  /** Alters one byte of file {@code index} at {@code offset}; returns the piece it lies in. */
  private int damage(int index, long offset) throws IOException {
    FileEntry file = torrent.files().get(index);
    try (RandomAccessFile raf =
        new RandomAccessFile(Swarm.path(target, torrent, file).toFile(), "rw")) {
      raf.seek(offset);
      int b = raf.read();
      raf.seek(offset);
      raf.write(b ^ 0xff);
    }
    return (int) ((file.offset() + offset) / PIECE);
  }

  private Path file(int index) {
    return Swarm.path(target, torrent, torrent.files().get(index));
  }

  @Test
  void recheckFindsDamageAndTheTorrentDownloadsThePieceAgain() throws Exception {
    try (TorrentSession leecher = TorrentSession.start(Swarm.config().build())) {
      TorrentHandle leech;
      try (TorrentSession seeder = TorrentSession.start(Swarm.config().build())) {
        seeder
            .add(AddTorrent.torrent(torrent, seedDir).build())
            .completion()
            .get(20, TimeUnit.SECONDS);
        leech =
            leecher.add(AddTorrent.torrent(torrent, target).peer(Swarm.address(seeder)).build());
        leech.completion().get(30, TimeUnit.SECONDS);
      } // nobody to download the damaged piece from, for now
      int damaged = damage(1, 123_456);

      leech.recheck().get(20, TimeUnit.SECONDS);
      TorrentStatus s = leech.status();
      assertThat(s.piecesDone()).isEqualTo(torrent.pieceCount() - 1);
      assertThat(s.state()).isEqualTo(TorrentState.DOWNLOADING);
      assertThat(s.bytesDone()).isEqualTo(torrent.totalLength() - PIECE);
      assertThat(s.progress()).isLessThan(1.0);

      Swarm.Events events = new Swarm.Events();
      leecher.addListener(events);
      try (TorrentSession again = TorrentSession.start(Swarm.config().build())) {
        again
            .add(AddTorrent.torrent(torrent, seedDir).build())
            .completion()
            .get(20, TimeUnit.SECONDS);
        leech.addPeer(Swarm.address(again));
        Swarm.await(
            Duration.ofSeconds(20),
            "SEEDING again",
            () -> leech.status().state() == TorrentState.SEEDING);
      }
      assertThat(leech.status().piecesDone()).isEqualTo(torrent.pieceCount());
      assertThat(events.verifiedPieces()).containsExactly(damaged);
      Swarm.assertSameFiles(torrent, seedDir, target);
    }
  }

  @Test
  void resumeDataMakesASecondSessionSeedWithoutDownloading() throws Exception {
    download();
    Swarm.Events events = new Swarm.Events();
    try (TorrentSession session = TorrentSession.start(Swarm.config().build())) {
      session.addListener(events);
      long start = System.nanoTime();
      TorrentHandle handle =
          session.add(AddTorrent.torrent(torrent, target).resumeFile(resume).build());
      handle.completion().get(5, TimeUnit.SECONDS);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      TorrentStatus s = handle.status();
      assertThat(s.state()).isEqualTo(TorrentState.SEEDING);
      assertThat(s.piecesDone()).isEqualTo(torrent.pieceCount());
      assertThat(s.downloaded()).isZero();
      assertThat(s.progress()).isEqualTo(1.0);
    }
    assertThat(events.of(SessionEvent.PieceVerified.class)).isEmpty();
    assertThat(events.of(SessionEvent.StateChanged.class))
        .extracting(SessionEvent.StateChanged::to)
        .containsSubsequence(TorrentState.CHECKING, TorrentState.SEEDING)
        .doesNotContain(TorrentState.DOWNLOADING);
  }

  @Test
  void resumeDataIsTrustedForUnchangedFilesOnlyChangedOnesAreChecked() throws Exception {
    download();
    // Damage two files and keep their size and modification time: the record is trusted.
    Path f2 = file(2);
    FileTime modified = Files.getLastModifiedTime(f2);
    int damaged = damage(2, 5_000);
    Files.setLastModifiedTime(f2, modified);
    Path f3 = file(3);
    FileTime modified3 = Files.getLastModifiedTime(f3);
    damage(3, 400_000); // in a piece of file 3 alone
    Files.setLastModifiedTime(f3, modified3);
    try (TorrentSession session = TorrentSession.start(Swarm.config().build())) {
      TorrentHandle handle =
          session.add(AddTorrent.torrent(torrent, target).resumeFile(resume).build());
      handle.completion().get(5, TimeUnit.SECONDS);
      assertThat(handle.status().piecesDone()).isEqualTo(torrent.pieceCount());
    }
    // Once file 2 looks changed, its pieces (and only those) are checked again: the damage there
    // is found, the damage in file 3 still goes unnoticed.
    Files.setLastModifiedTime(f2, FileTime.fromMillis(modified.toMillis() + 5_000));
    Swarm.Events events = new Swarm.Events();
    try (TorrentSession session = TorrentSession.start(Swarm.config().build());
        TorrentSession seeder = TorrentSession.start(Swarm.config().build())) {
      session.addListener(events);
      TorrentHandle handle =
          session.add(AddTorrent.torrent(torrent, target).resumeFile(resume).build());
      Swarm.await(
          Duration.ofSeconds(10),
          "the check",
          () -> handle.status().state() == TorrentState.DOWNLOADING);
      assertThat(handle.status().piecesDone()).isEqualTo(torrent.pieceCount() - 1);
      assertThat(handle.completion()).isNotDone();

      seeder
          .add(AddTorrent.torrent(torrent, seedDir).build())
          .completion()
          .get(20, TimeUnit.SECONDS);
      handle.addPeer(Swarm.address(seeder));
      handle.completion().get(20, TimeUnit.SECONDS);
    }
    assertThat(events.verifiedPieces()).as("the piece missing").containsExactly(damaged);
  }
}
