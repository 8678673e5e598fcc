package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.storage.FilePriority;
import dev.bitwright.testing.MockPeer;
import dev.bitwright.wire.PeerMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shape of the session's API as an application meets it: handles that are equal for one
 * torrent, adding with and without waiting, removing with options, status snapshots that can grow.
 */
@Timeout(60)
class SessionApiTest {
  @TempDir Path dir;

  private Torrent torrent(String name, long seed) throws Exception {
    Path payload = Swarm.payload(dir.resolve(name), seed, 70_000, 3);
    return TorrentBuilder.create(payload).pieceLength(64 * 1024).build();
  }

  @Test
  void handlesOfOneTorrentAreEqualAndThoseOfAnotherAreNot() throws Exception {
    Torrent first = torrent("a", 1);
    Torrent second = torrent("b", 2);
    try (TorrentSession session = TorrentSession.start(Swarm.config().build())) {
      TorrentHandle a = session.add(AddTorrent.torrent(first, dir.resolve("a")).build());
      TorrentHandle b =
          session
              .addAsync(AddTorrent.torrent(second, dir.resolve("b")).build())
              .get(10, TimeUnit.SECONDS);
      List<TorrentHandle> all = session.torrents();
      assertThat(all).containsExactly(a, b);
      assertThat(session.torrents()).isEqualTo(all);
      assertThat(all.get(0)).hasSameHashCodeAs(a).isNotEqualTo(b);
      session.remove(a).get(10, TimeUnit.SECONDS);
      assertThat(session.torrents()).containsExactly(b);
      TorrentHandle again = session.add(AddTorrent.torrent(first, dir.resolve("a")).build());
      assertThat(again).as("a torrent added again is another torrent").isNotEqualTo(a);
    }
  }

  @Test
  void addingTwiceFailsBothWays() throws Exception {
    Torrent t = torrent("a", 1);
    try (TorrentSession session = TorrentSession.start(Swarm.config().build())) {
      session.add(AddTorrent.torrent(t, dir.resolve("a")).build());
      assertThatThrownBy(() -> session.add(AddTorrent.torrent(t, dir.resolve("a")).build()))
          .isInstanceOf(DuplicateTorrentException.class);
      assertThatThrownBy(
              () -> session.addAsync(AddTorrent.torrent(t, dir.resolve("a")).build()).join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(DuplicateTorrentException.class);
    }
  }

  @Test
  void removingKeepsTheFilesUnlessAskedToDeleteThem() throws Exception {
    Torrent t = torrent("a", 1);
    Path file = dir.resolve("a").resolve("payload").resolve("f0.bin");
    try (TorrentSession session = TorrentSession.start(Swarm.config().build())) {
      TorrentHandle kept = session.add(AddTorrent.torrent(t, dir.resolve("a")).build());
      kept.completion().get(10, TimeUnit.SECONDS);
      session.remove(kept).get(10, TimeUnit.SECONDS);
      assertThat(file).exists();
      TorrentHandle deleted = session.add(AddTorrent.torrent(t, dir.resolve("a")).build());
      deleted.completion().get(10, TimeUnit.SECONDS);
      session.remove(deleted, RemoveOption.DELETE_FILES).get(10, TimeUnit.SECONDS);
      assertThat(Files.exists(file)).isFalse();
    }
  }

  @Test
  void fileProgressPiecesAndAvailabilityAreAskedForWhenNeeded() throws Exception {
    Path payload = Swarm.payload(dir.resolve("two"), 3, 128 * 1024, 128 * 1024);
    Torrent t = TorrentBuilder.create(payload).pieceLength(64 * 1024).build();
    try (TorrentSession seeder = Swarm.seeding(t, dir.resolve("two"), 0);
        TorrentSession leecher = TorrentSession.start(Swarm.config().build())) {
      TorrentHandle leech =
          leecher.add(
              AddTorrent.torrent(t, dir.resolve("dl"))
                  .peer(Swarm.address(seeder))
                  .priorities(List.of(FilePriority.NORMAL, FilePriority.SKIP))
                  .build());
      leech.completion().get(20, TimeUnit.SECONDS);
      long[] progress = leech.fileProgress();
      assertThat(progress).hasSize(2);
      assertThat(progress[0]).isEqualTo(128 * 1024);
      assertThat(progress[1]).as("the skipped file's pieces were not fetched").isZero();
      assertThat(leech.pieces().cardinality()).isEqualTo(2);
      assertThat(leech.pieces().get(0)).isTrue();
      assertThat(leech.pieces().get(2)).isFalse();
    }
    // A peer with pieces 0 and 2 (bits 1010 0000), seen by a seed.
    try (TorrentSession seeder = Swarm.seeding(t, dir.resolve("two"), 0);
        MockPeer peer =
            MockPeer.connect(Swarm.address(seeder), t.infoHashes().v1().orElseThrow().bytes())) {
      peer.send(new PeerMessage.Bitfield(new byte[] {(byte) 0b1010_0000}));
      TorrentHandle seed = seeder.torrents().get(0);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (seed.pieceAvailability()[0] == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(seed.pieceAvailability()).containsExactly(1, 0, 1, 0);
    }
  }

  @Test
  void aPeersSnapshotTellsWhereItCameFromAndWhatWaits() throws Exception {
    Path payload = Swarm.payload(dir.resolve("slow"), 4, 4 * 1024 * 1024);
    Torrent t = TorrentBuilder.create(payload).pieceLength(64 * 1024).build();
    try (TorrentSession seeder = Swarm.seeding(t, dir.resolve("slow"), 512 * 1024);
        TorrentSession leecher = TorrentSession.start(Swarm.config().build())) {
      TorrentHandle leech =
          leecher.add(AddTorrent.torrent(t, dir.resolve("dl")).peer(Swarm.address(seeder)).build());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while ((leech.status().peers().isEmpty()
              || leech.status().peers().get(0).requestsToPeer() == 0)
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      PeerInfo seed = leech.status().peers().get(0);
      assertThat(seed.source()).isEqualTo(PeerSource.MANUAL);
      assertThat(seed.transport()).as("uTP first, as libtorrent").isEqualTo(PeerTransport.UTP);
      assertThat(seed.pieceCount()).isEqualTo(t.pieceCount());
      assertThat(seed.flags()).contains(PeerInfo.Flag.OUTGOING, PeerInfo.Flag.SEED);
      assertThat(seed.requestsToPeer()).isPositive();
      TorrentHandle seeding = seeder.torrents().get(0);
      while (seeding.status().peers().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20); // each side publishes its status on its own
      }
      PeerInfo fromSeedsSide = seeding.status().peers().get(0);
      assertThat(fromSeedsSide.source()).isEqualTo(PeerSource.INCOMING);
      assertThat(fromSeedsSide.flags()).doesNotContain(PeerInfo.Flag.OUTGOING);
      assertThat(seed.toBuilder().build()).isEqualTo(seed).hasSameHashCodeAs(seed);
      while (leech.status().peers().get(0).requestLatency().isEmpty()
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(leech.status().peers().get(0).requestLatency())
          .as("a timed request was answered")
          .hasValueSatisfying(d -> assertThat(d).isPositive());
    }
  }

  @Test
  void aStatusSnapshotIsMadeByABuilderWithDefaultsForWhatItIsNotGiven() {
    TorrentStatus fresh = TorrentStatus.builder().build();
    assertThat(fresh.name()).isEmpty();
    assertThat(fresh.state()).isEqualTo(TorrentState.CHECKING);
    assertThat(fresh.peers()).isEmpty();
    assertThat(fresh.eta()).isEmpty();
    assertThat(fresh.piecesAssumed()).isZero();
    TorrentStatus some =
        TorrentStatus.builder()
            .name("patch")
            .state(TorrentState.DOWNLOADING)
            .bytesDone(5)
            .eta(Optional.of(Duration.ofSeconds(3)))
            .build();
    assertThat(some.toBuilder().build()).isEqualTo(some).hasSameHashCodeAs(some);
    assertThat(some.toBuilder().bytesDone(6).build()).isNotEqualTo(some);
    assertThat(some.toString()).contains("patch").contains("DOWNLOADING");
  }
}
