package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.dht.DhtStats;
import dev.bitwright.metainfo.MagnetLink;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.testsupport.LibtorrentDhtSwarm;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peers found through the Mainline DHT alone, on a private DHT of libtorrent 2.0 nodes on
 * 127.0.0.1: no tracker, no peer given by hand.
 */
@Timeout(120)
class DhtTransferTest {
  @TempDir static Path dir;

  static Path seedDir;
  static Torrent torrent;
  static Path torrentFile;

  @BeforeAll
  static void payload() throws Exception {
    seedDir = dir.resolve("seed");
    Path payload = Swarm.payload(seedDir, 21, 3_000_000, 777_777);
    torrent = TorrentBuilder.create(payload).pieceLength(128 * 1024).build();
    torrentFile = dir.resolve("payload.torrent");
    Files.write(torrentFile, torrent.toBytes());
  }

  private static SessionConfig.Builder config(InetSocketAddress bootstrap) {
    return SessionConfig.builder()
        .listenAddress(InetAddress.getLoopbackAddress())
        .dht(true)
        .dhtBootstrapNodes(List.of(bootstrap));
  }

  @Test
  void aMagnetWithoutTrackersDownloadsFromASeedOnlyTheDhtKnows() throws Exception {
    Path scratch = Files.createDirectories(dir.resolve("scratch-magnet"));
    Path target = dir.resolve("download-magnet");
    Path state = dir.resolve("dht.state");
    try (LibtorrentDhtSwarm swarm = LibtorrentDhtSwarm.start(4, torrentFile, seedDir, scratch)) {
      swarm.ready().get(30, TimeUnit.SECONDS);
      try (TorrentSession session =
          TorrentSession.start(config(swarm.bootstrap()).dhtStateFile(state).build())) {
        MagnetLink magnet = MagnetLink.of(torrent.infoHashes());
        assertThat(magnet.trackers()).isEmpty();
        assertThat(magnet.peers()).isEmpty();
        TorrentHandle handle = session.add(AddTorrent.magnet(magnet, target).build());
        handle.completion().get(60, TimeUnit.SECONDS);
        Swarm.assertSameFiles(torrent, seedDir, target);
        assertThat(session.dhtStats()).hasValueSatisfying(s -> assertThat(nodes(s)).isPositive());
      }
    }
    // The routing table was saved: a restart with no bootstrap node at all starts from it.
    assertThat(state).isNotEmptyFile();
    try (TorrentSession restarted =
        TorrentSession.start(
            SessionConfig.builder()
                .listenAddress(InetAddress.getLoopbackAddress())
                .dht(true)
                .dhtBootstrapNodes(List.of())
                .dhtStateFile(state)
                .build())) {
      Optional<DhtStats> stats = waitFor(restarted, s -> nodes(s) > 0);
      assertThat(stats).hasValueSatisfying(s -> assertThat(nodes(s)).isPositive());
    }
  }

  @Test
  void libtorrentFindsUsThroughTheDhtAndDownloads() throws Exception {
    Path scratch = Files.createDirectories(dir.resolve("scratch-upload"));
    Path target = Files.createDirectories(dir.resolve("lt-download"));
    try (LibtorrentDhtSwarm swarm = LibtorrentDhtSwarm.start(4, null, null, scratch)) {
      swarm.ready().get(30, TimeUnit.SECONDS);
      try (TorrentSession session = TorrentSession.start(config(swarm.bootstrap()).build())) {
        TorrentHandle handle = session.add(AddTorrent.torrent(torrent, seedDir).build());
        handle.completion().get(30, TimeUnit.SECONDS);
        waitFor(session, s -> nodes(s) > 0);
        swarm.leech(MagnetLink.of(torrent.infoHashes()).toUri(), target);
        swarm.finished().get(60, TimeUnit.SECONDS);
        Swarm.assertSameFiles(torrent, seedDir, target);
        // The status is a snapshot taken about once a second.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (handle.status().uploaded() < torrent.totalLength() && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        assertThat(handle.status().uploaded()).isGreaterThanOrEqualTo(torrent.totalLength());
      }
    }
  }

  private static int nodes(DhtStats s) {
    return s.routingTableSizeV4() + s.routingTableSizeV6();
  }

  private static Optional<DhtStats> waitFor(TorrentSession session, Predicate<DhtStats> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    Optional<DhtStats> stats = session.dhtStats();
    while (stats.filter(condition).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
      stats = session.dhtStats();
    }
    return stats;
  }
}
