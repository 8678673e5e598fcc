package dev.bitwright.session;

import static dev.bitwright.session.Swarm.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A seed that takes one connection per torrent, and the peers that want its slot. */
@Timeout(90)
class ConnectionLimitTest {
  @TempDir Path dir;

  /**
   * Two leechers: the second is turned away (after its handshake) and retries after its back-off;
   * by then the first has finished and its connection is closed (both seeds), so the second gets in
   * and finishes. The finished first leecher dials the seed again later and must not keep the slot.
   */
  @Test
  void theSecondLeecherWaitsForTheSlotAndBothFinish() throws Exception {
    Path seedDir = dir.resolve("seed");
    Torrent torrent =
        TorrentBuilder.create(Swarm.payload(seedDir, 51, 2 * MIB)).pieceLength(64 * 1024).build();
    Swarm.Events secondEvents = new Swarm.Events();
    AtomicInteger mostSeedPeers = new AtomicInteger();
    try (TorrentSession seeder =
            TorrentSession.start(Swarm.config().maxConnectionsPerTorrent(1).build());
        TorrentSession first = TorrentSession.start(Swarm.config().build());
        TorrentSession second = TorrentSession.start(Swarm.config().build())) {
      second.addListener(secondEvents);
      // 1 MiB/s: the first leecher needs about a second, the second has to wait meanwhile.
      TorrentHandle seed =
          seeder.add(AddTorrent.torrent(torrent, seedDir).rateLimits(0, MIB).build());
      seed.completion().get(20, TimeUnit.SECONDS);
      TorrentHandle a =
          first.add(
              AddTorrent.torrent(torrent, dir.resolve("first"))
                  .peer(Swarm.address(seeder))
                  .build());
      Swarm.await(
          Duration.ofSeconds(10), "the first connection", () -> !a.status().peers().isEmpty());
      TorrentHandle b =
          second.add(
              AddTorrent.torrent(torrent, dir.resolve("second"))
                  .peer(Swarm.address(seeder))
                  .build());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!a.completion().isDone() && System.nanoTime() - deadline < 0) {
        mostSeedPeers.accumulateAndGet(seed.status().peers().size(), Math::max);
        assertThat(b.status().piecesDone()).as("the second waits").isZero();
        Thread.sleep(50);
      }
      a.completion().get(1, TimeUnit.SECONDS);
      assertThat(b.completion()).isNotDone();
      assertThat(b.completion())
          .as(() -> "second: " + secondEvents.all() + " " + b.status() + " seed: " + seed.status())
          .succeedsWithin(Duration.ofSeconds(45));
      mostSeedPeers.accumulateAndGet(seed.status().peers().size(), Math::max);
      Swarm.assertSameFiles(torrent, seedDir, dir.resolve("first"));
      Swarm.assertSameFiles(torrent, seedDir, dir.resolve("second"));
    }
    assertThat(mostSeedPeers.get()).isEqualTo(1);
    assertThat(secondEvents.of(SessionEvent.PeerConnected.class)).hasSize(1);
  }

  /**
   * A seed that dials another seed is let in, and the connection is closed as soon as each side has
   * seen the other's pieces: neither wants anything, and the connection must not keep the only slot
   * from a leecher that comes next.
   */
  @Test
  void aConnectionBetweenTwoSeedsClosesAndFreesTheSlot() throws Exception {
    Path seedDir = dir.resolve("seed");
    Torrent torrent =
        TorrentBuilder.create(Swarm.payload(seedDir, 52, MIB)).pieceLength(64 * 1024).build();
    Path otherDir = dir.resolve("other");
    Files.createDirectories(otherDir.resolve("payload"));
    Files.copy(seedDir.resolve("payload/f0.bin"), otherDir.resolve("payload/f0.bin"));
    Swarm.Events seedEvents = new Swarm.Events();
    try (TorrentSession seeder =
            TorrentSession.start(Swarm.config().maxConnectionsPerTorrent(1).build());
        TorrentSession other = TorrentSession.start(Swarm.config().build());
        TorrentSession leecher = TorrentSession.start(Swarm.config().build())) {
      seeder.addListener(seedEvents);
      seeder
          .add(AddTorrent.torrent(torrent, seedDir).build())
          .completion()
          .get(20, TimeUnit.SECONDS);
      other
          .add(AddTorrent.torrent(torrent, otherDir).peer(Swarm.address(seeder)).build())
          .completion()
          .get(20, TimeUnit.SECONDS);
      Swarm.await(
          Duration.ofSeconds(5),
          "the other seed's connection",
          () -> !seedEvents.of(SessionEvent.PeerConnected.class).isEmpty());
      Swarm.await(
          Duration.ofSeconds(5),
          "the connection between seeds to close",
          () -> !seedEvents.of(SessionEvent.PeerDisconnected.class).isEmpty());

      Path target = dir.resolve("download");
      TorrentHandle leech =
          leecher.add(AddTorrent.torrent(torrent, target).peer(Swarm.address(seeder)).build());
      assertThat(leech.completion())
          .as(() -> "leecher: " + leech.status() + " seed events: " + seedEvents.all())
          .succeedsWithin(Duration.ofSeconds(8));
      Swarm.assertSameFiles(torrent, seedDir, target);
    }
  }
}
