package dev.bitwright.session;

import static dev.bitwright.session.Swarm.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.metainfo.MagnetLink;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed mode: a torrent whose files are known to be complete seeds at once, hashing nothing until a
 * piece is first asked for; a piece that is wrong takes it out of seed mode, loudly.
 */
@Timeout(60)
class SeedModeTest {
  private static final int PIECE = 256 * 1024;

  @TempDir Path dir;
  Path seedDir;
  Torrent torrent;

  @BeforeEach
  void payload() throws Exception {
    seedDir = dir.resolve("seed");
    torrent =
        TorrentBuilder.create(Swarm.payload(seedDir, 21, 12 * MIB, 3 * MIB + 17, 1))
            .pieceLength(PIECE)
            .build();
  }

  /** Flips a byte of piece 3 in the seed's first file; returns the file. */
  private Path corruptPieceThree() throws IOException {
    Path first = seedDir.resolve("payload").resolve("f0.bin");
    try (RandomAccessFile f = new RandomAccessFile(first.toFile(), "rw")) {
      f.seek(3 * PIECE + 5);
      int b = f.read();
      f.seek(3 * PIECE + 5);
      f.write(b ^ 0xff);
    }
    return first;
  }

  private TorrentHandle addInSeedMode(TorrentSession session, FaultyStorage.Faults reads) {
    return session.add(
        AddTorrent.torrent(torrent, seedDir)
            .seedMode(true)
            .storage(FaultyStorage.factory(reads))
            .build());
  }

  @Test
  void aCompleteInstallSeedsAtOnceAndEachPieceIsVerifiedBeforeItGoesOut() throws Exception {
    FaultyStorage.Faults reads = new FaultyStorage.Faults();
    try (TorrentSession seeder = TorrentSession.start(Swarm.config().build());
        TorrentSession leecher = TorrentSession.start(Swarm.config().build())) {
      TorrentHandle seed = addInSeedMode(seeder, reads);
      seed.completion().get(10, TimeUnit.SECONDS);
      assertThat(seed.status().state()).isEqualTo(TorrentState.SEEDING);
      assertThat(seed.status().piecesDone()).isEqualTo(torrent.pieceCount());
      assertThat(reads.bytesRead).as("nothing hashed to start seeding").hasValue(0);
      assertThat(seed.status().piecesAssumed()).isEqualTo(torrent.pieceCount());
      TorrentHandle leech =
          leecher.add(
              AddTorrent.torrent(torrent, dir.resolve("dl")).peer(Swarm.address(seeder)).build());
      leech.completion().get(30, TimeUnit.SECONDS);
      Swarm.assertSameFiles(torrent, seedDir, dir.resolve("dl"));
      assertThat(reads.bytesRead.get())
          .as("every piece read, to be verified and to go out")
          .isGreaterThanOrEqualTo(torrent.totalLength());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (seed.status().piecesAssumed() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(seed.status().piecesAssumed()).as("every piece verified").isZero();
    }
  }

  @Test
  void aWrongPieceTakesTheTorrentOutOfSeedModeAndIsNeverUploaded() throws Exception {
    corruptPieceThree();
    List<SessionEvent> seederEvents = new CopyOnWriteArrayList<>();
    List<SessionEvent> leecherEvents = new CopyOnWriteArrayList<>();
    try (TorrentSession seeder = TorrentSession.start(Swarm.config().build());
        TorrentSession leecher = TorrentSession.start(Swarm.config().build())) {
      seeder.addListener(seederEvents::add);
      leecher.addListener(leecherEvents::add);
      TorrentHandle seed = addInSeedMode(seeder, new FaultyStorage.Faults());
      seed.completion().get(10, TimeUnit.SECONDS);
      leecher.add(
          AddTorrent.torrent(torrent, dir.resolve("dl")).peer(Swarm.address(seeder)).build());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (seed.status().piecesDone() != torrent.pieceCount() - 1
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(seederEvents)
          .as("the wrong piece is told")
          .filteredOn(SessionEvent.HashFailed.class::isInstance)
          .map(e -> ((SessionEvent.HashFailed) e).piece())
          .contains(3);
      assertThat(seed.status().piecesDone())
          .as("after the check of every piece, all but the wrong one")
          .isEqualTo(torrent.pieceCount() - 1);
      assertThat(seed.status().state()).isEqualTo(TorrentState.DOWNLOADING);
      assertThat(leecherEvents)
          .as("the leecher never got the wrong bytes")
          .noneMatch(SessionEvent.HashFailed.class::isInstance);
    }
  }

  @Test
  void aStreamingReaderGetsOnlyPiecesThatProveGood() throws Exception {
    Path first = corruptPieceThree();
    try (TorrentSession session = TorrentSession.start(Swarm.config().build())) {
      TorrentHandle seed = addInSeedMode(session, new FaultyStorage.Faults());
      seed.completion().get(10, TimeUnit.SECONDS);
      try (TorrentFileChannel channel = seed.openFile(0, Duration.ofSeconds(5))) {
        ByteBuffer good = ByteBuffer.allocate(100);
        assertThat(channel.read(good)).isEqualTo(100);
        assertThat(good.array()).isEqualTo(Arrays.copyOf(Files.readAllBytes(first), 100));
        channel.position(3 * PIECE);
        assertThatThrownBy(() -> channel.read(ByteBuffer.allocate(100)))
            .isInstanceOf(IOException.class)
            .hasMessageContaining("failed its check");
      }
    }
  }

  @Test
  void piecesOfMissingFilesAreDownloadedNotAssumed() throws Exception {
    Path third = seedDir.resolve("payload").resolve("f2.bin");
    Files.delete(third);
    try (TorrentSession session = TorrentSession.start(Swarm.config().build())) {
      TorrentHandle handle = addInSeedMode(session, new FaultyStorage.Faults());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (handle.status().state() == TorrentState.CHECKING && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      TorrentStatus status = handle.status();
      assertThat(status.state()).isEqualTo(TorrentState.DOWNLOADING);
      assertThat(status.piecesDone()).isEqualTo(torrent.pieceCount() - 1);
    }
  }

  @Test
  void aMagnetCannotBeAddedInSeedMode() {
    MagnetLink magnet = MagnetLink.of(torrent.infoHashes());
    assertThatThrownBy(() -> AddTorrent.magnet(magnet, dir).seedMode(true).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("seed mode");
  }
}
