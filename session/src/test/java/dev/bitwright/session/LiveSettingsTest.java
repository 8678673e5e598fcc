package dev.bitwright.session;

import static dev.bitwright.session.Swarm.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.testing.MockPeer;
import dev.bitwright.testing.MockPeerException;
import dev.bitwright.wire.EncryptionPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settings changed on a running session ({@link TorrentSession#applySettings}) take effect at once:
 * a launcher's throttle while a game runs, connection limits, encryption, the DHT.
 */
@Timeout(60)
class LiveSettingsTest {
  @TempDir Path dir;
  Path seedDir;
  Torrent torrent;

  @BeforeEach
  void payload() throws Exception {
    seedDir = dir.resolve("seed");
    torrent =
        TorrentBuilder.create(Swarm.payload(seedDir, 11, 24 * MIB)).pieceLength(64 * 1024).build();
  }

  private static long downloadedIn(TorrentHandle leech, long millis) throws Exception {
    long before = leech.status().bytesDone();
    Thread.sleep(millis);
    return leech.status().bytesDone() - before;
  }

  @Test
  void aDownloadIsThrottledWhileRunningAndLetGo() throws Exception {
    try (TorrentSession seeder = Swarm.seeding(torrent, seedDir, 0);
        TorrentSession leecher =
            TorrentSession.start(Swarm.config().downloadRateLimit(4 * MIB).build())) {
      TorrentHandle leech =
          leecher.add(
              AddTorrent.torrent(torrent, dir.resolve("dl")).peer(Swarm.address(seeder)).build());
      Thread.sleep(1000);
      SessionSettings playing = leecher.settings().toBuilder().downloadRateLimit(MIB / 2).build();
      leecher.applySettings(playing).get(5, TimeUnit.SECONDS);
      assertThat(leecher.settings()).isEqualTo(playing);
      Thread.sleep(1000); // what was asked for before still arrives
      long throttled = downloadedIn(leech, 3000);
      assertThat(throttled).as("bytes in 3 s at 512 KiB/s").isLessThan(3 * MIB);
      assertThat(leech.completion()).isNotDone();
      leecher
          .applySettings(leecher.settings().toBuilder().downloadRateLimit(0).build())
          .get(5, TimeUnit.SECONDS);
      leech.completion().get(20, TimeUnit.SECONDS);
      Swarm.assertSameFiles(torrent, seedDir, dir.resolve("dl"));
    }
  }

  @Test
  void aLowerConnectionLimitClosesTheSurplusAndHoldsForNewOnes() throws Exception {
    byte[] infoHash = torrent.infoHashes().v1().orElseThrow().bytes();
    List<SessionEvent> events = new CopyOnWriteArrayList<>();
    List<MockPeer> peers = new ArrayList<>();
    try (TorrentSession seeder = Swarm.seeding(torrent, seedDir, 0)) {
      seeder.addListener(events::add);
      try {
        for (int i = 0; i < 5; i++) {
          peers.add(MockPeer.connect(Swarm.address(seeder), infoHash));
        }
        TorrentHandle seed = seeder.torrents().get(0);
        awaitPeers(seed, 5);
        seeder
            .applySettings(seeder.settings().toBuilder().maxConnections(2).build())
            .get(5, TimeUnit.SECONDS);
        awaitPeers(seed, 2);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (events.stream().filter(SessionEvent.PeerDisconnected.class::isInstance).count() < 3
            && System.nanoTime() < deadline) {
          Thread.sleep(20); // events come on the event thread, after the status
        }
        assertThat(events)
            .filteredOn(SessionEvent.PeerDisconnected.class::isInstance)
            .map(e -> ((SessionEvent.PeerDisconnected) e).reason())
            .containsOnly(CloseReason.TOO_MANY_CONNECTIONS)
            .hasSize(3);
        assertThatThrownBy(() -> MockPeer.connect(Swarm.address(seeder), infoHash).close())
            .as("no room for a sixth")
            .isInstanceOf(MockPeerException.class);
      } finally {
        peers.forEach(MockPeer::close);
      }
    }
  }

  private static void awaitPeers(TorrentHandle handle, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (handle.status().peers().size() != count && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(handle.status().peers()).hasSize(count);
  }

  @Test
  void anEncryptionPolicyHoldsForConnectionsMadeFromThenOn() throws Exception {
    byte[] infoHash = torrent.infoHashes().v1().orElseThrow().bytes();
    try (TorrentSession seeder = Swarm.seeding(torrent, seedDir, 0);
        MockPeer before = MockPeer.connect(Swarm.address(seeder), infoHash)) {
      seeder
          .applySettings(seeder.settings().toBuilder().encryption(EncryptionPolicy.FORCED).build())
          .get(5, TimeUnit.SECONDS);
      assertThatThrownBy(() -> MockPeer.connect(Swarm.address(seeder), infoHash).close())
          .as("a plaintext handshake, now that encryption is forced")
          .isInstanceOf(MockPeerException.class);
      assertThat(before.remoteClosed()).as("the open connection keeps what it agreed on").isFalse();
    }
  }

  @Test
  void theDhtIsTurnedOnAndOffWhileRunning() throws Exception {
    try (TorrentSession session =
        TorrentSession.start(Swarm.config().dhtBootstrapNodes(List.of()).build())) {
      assertThat(session.dhtStats()).isEmpty();
      session
          .applySettings(session.settings().toBuilder().dht(true).build())
          .get(5, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (session.dhtStats().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(session.dhtStats()).as("a DHT node runs").isPresent();
      session
          .applySettings(session.settings().toBuilder().dht(false).build())
          .get(5, TimeUnit.SECONDS);
      assertThat(session.dhtStats()).isEmpty();
      session
          .applySettings(session.settings().toBuilder().dht(true).build())
          .get(5, TimeUnit.SECONDS);
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (session.dhtStats().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(session.dhtStats()).as("on again").isPresent();
    }
  }

  @Test
  void settingsAreValuesAndAClosedSessionTakesNoMore() throws Exception {
    SessionSettings a = SessionSettings.builder().uploadRateLimit(5).dht(true).build();
    assertThat(a.toBuilder().build()).isEqualTo(a).hasSameHashCodeAs(a);
    assertThat(a.toBuilder().webSeedPolicy(WebSeedPolicy.never()).build()).isNotEqualTo(a);
    assertThat(SessionConfig.builder().settings(a).build().settings()).isEqualTo(a);
    assertThat(SessionConfig.builder().maxConnections(7).build().settings().maxConnections())
        .isEqualTo(7);
    TorrentSession session = TorrentSession.start(Swarm.config().build());
    session.close();
    assertThatThrownBy(() -> session.applySettings(a)).isInstanceOf(IllegalStateException.class);
  }
}
