package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.metainfo.InfoHash;
import dev.bitwright.metainfo.InfoHashes;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics snapshot over a real download on 127.0.0.1, a leecher from a rate-limited seed, both
 * running the DHT: the gauges while the bytes flow, the counters once the download is done, all
 * matched against what happened.
 */
@Timeout(90)
class MetricsTest {
  private static final int SIZE = 3 * 1024 * 1024 + 1234;
  private static final int PIECE = 64 * 1024;
  private static final int BLOCK = 16 * 1024;

  @TempDir Path dir;

  @Test
  void theSnapshotsOfADownloadMatchWhatHappened() throws Exception {
    Path payload = Swarm.payload(dir.resolve("seed"), 5, SIZE);
    Torrent torrent = TorrentBuilder.create(payload).pieceLength(PIECE).build();
    InfoHashes hashes = torrent.infoHashes();
    try (TorrentSession seeder =
        TorrentSession.start(Swarm.config().dht(true).dhtBootstrapNodes(List.of()).build())) {
      seeder
          .add(AddTorrent.torrent(torrent, dir.resolve("seed")).rateLimits(0, 2_000_000).build())
          .completion()
          .get(20, TimeUnit.SECONDS);
      try (TorrentSession leecher =
          TorrentSession.start(
              Swarm.config().dht(true).dhtBootstrapNodes(List.of(Swarm.address(seeder))).build())) {
        TorrentHandle handle =
            leecher.add(
                AddTorrent.torrent(torrent, dir.resolve("dl")).peer(Swarm.address(seeder)).build());

        AtomicReference<TorrentMetrics> during = new AtomicReference<>();
        Swarm.await(
            Duration.ofSeconds(20),
            "a snapshot while blocks are in flight",
            () -> {
              TorrentMetrics m = leecher.metrics().torrent(hashes).orElseThrow();
              during.set(m);
              return m.get(Metric.REQUESTS_OUTSTANDING) > 0
                  && m.get(Metric.PEERS_UNCHOKING_US) == 1
                  && !handle.completion().isDone();
            });
        TorrentMetrics downloading = during.get();
        assertThat(downloading.name()).isEqualTo(torrent.name());
        assertThat(downloading.get(Metric.PEERS)).isEqualTo(1);
        assertThat(downloading.get(Metric.PEERS_INTERESTING)).isEqualTo(1);
        assertThat(downloading.get(Metric.PEERS_OVER_UTP)).isBetween(0L, 1L);
        assertThat(downloading.get(Metric.REQUESTS_SENT))
            .isGreaterThanOrEqualTo(downloading.get(Metric.REQUESTS_OUTSTANDING));
        TorrentMetrics seeding = seeder.metrics().torrent(hashes).orElseThrow();
        assertThat(seeding.get(Metric.PEERS_INTERESTED)).isEqualTo(1);
        assertThat(seeding.get(Metric.PEERS_UNCHOKED)).isEqualTo(1);
        assertThat(seeding.get(Metric.UNCHOKES)).isPositive();
        SessionMetrics leecherNow = leecher.metrics();
        assertThat(leecherNow.get(Metric.CONNECTIONS)).isGreaterThanOrEqualTo(1);
        assertThat(leecherNow.get(Metric.CONNECTIONS_OPENED)).isGreaterThanOrEqualTo(1);

        handle.completion().get(30, TimeUnit.SECONDS);
        Swarm.assertSameFiles(torrent, dir.resolve("seed"), dir.resolve("dl"));

        SessionMetrics after = leecher.metrics();
        TorrentMetrics done = after.torrent(hashes).orElseThrow();
        int pieces = (SIZE + PIECE - 1) / PIECE;
        assertThat(done.get(Metric.PIECES_VERIFIED)).isEqualTo(pieces);
        assertThat(done.get(Metric.HASH_FAILURES)).isZero();
        assertThat(done.get(Metric.WASTED)).isZero();
        assertThat(done.get(Metric.DOWNLOADED_FROM_WEB_SEEDS)).isZero();
        assertThat(done.get(Metric.DOWNLOADED_FROM_PEERS) - done.get(Metric.REDUNDANT))
            .as("every byte came once, and only the redundant ones more often")
            .isEqualTo(SIZE);
        assertThat(done.get(Metric.REQUESTS_SENT))
            .isGreaterThanOrEqualTo((SIZE + BLOCK - 1) / BLOCK);
        assertThat(done.get(Metric.REQUESTS_OUTSTANDING)).isZero();
        assertThat(after.get(Metric.TORRENTS)).isEqualTo(1);
        assertThat(after.get(Metric.DISK_WRITTEN)).as("every byte written once").isEqualTo(SIZE);
        assertThat(after.get(Metric.DISK_WRITES)).isBetween((long) pieces, (long) SIZE / BLOCK + 1);
        assertThat(after.get(Metric.DISK_WRITE_TIME)).isPositive();
        assertThat(after.get(Metric.DISK_QUEUED)).isZero();
        assertThat(after.get(Metric.DHT_NODES)).isEqualTo(1);
        assertThat(after.get(Metric.DHT_MESSAGES_OUT)).isPositive();
        assertThat(after.get(Metric.DHT_MESSAGES_IN)).isPositive();
        assertThat(after.get(Metric.DOWNLOADED_FROM_PEERS))
            .as("the session's sum of its one torrent")
            .isEqualTo(done.get(Metric.DOWNLOADED_FROM_PEERS));
        assertThat(after.uptime()).isPositive();

        SessionMetrics seed = seeder.metrics();
        // The first choke round comes with the first tick, a second after the torrent starts.
        Swarm.await(
            Duration.ofSeconds(5),
            "a choke round",
            () -> seeder.metrics().get(Metric.CHOKE_ROUNDS) > 0);
        assertThat(seed.get(Metric.UPLOADED)).isGreaterThanOrEqualTo(SIZE);
        assertThat(seed.get(Metric.DISK_READ)).isGreaterThanOrEqualTo(SIZE);
        assertThat(seed.get(Metric.DISK_READS)).isPositive();
        assertThat(seed.get(Metric.DISK_WRITES)).isZero();
        assertThat(seed.get(Metric.DOWNLOADED_FROM_PEERS)).isZero();
      }
    }
  }

  @Test
  void aTorrentsCountersStartAtZeroAndLeaveTheSessionWithIt() throws Exception {
    Path payload = Swarm.payload(dir.resolve("seed"), 6, 100_000);
    Torrent torrent = TorrentBuilder.create(payload).pieceLength(PIECE).build();
    try (TorrentSession session = TorrentSession.start(Swarm.config().build())) {
      assertThat(session.metrics().torrents()).isEmpty();
      TorrentHandle handle = session.add(AddTorrent.torrent(torrent, dir.resolve("seed")).build());
      handle.completion().get(20, TimeUnit.SECONDS);
      SessionMetrics metrics = session.metrics();
      assertThat(metrics.get(Metric.TORRENTS)).isEqualTo(1);
      TorrentMetrics seeding = metrics.torrents().get(0);
      assertThat(seeding.infoHashes()).isEqualTo(torrent.infoHashes());
      for (Metric m : Metric.values()) {
        if (m.scope() == Metric.Scope.TORRENT && m != Metric.CHOKE_ROUNDS) {
          assertThat(seeding.get(m)).as(m.key()).isZero();
        }
      }
      session.remove(handle).get(10, TimeUnit.SECONDS);
      assertThat(session.metrics().torrents()).isEmpty();
      assertThat(session.metrics().get(Metric.TORRENTS)).isZero();
    }
  }

  @Test
  void snapshotsBuiltByHandSumTheirTorrentsAndRefuseTheWrongScope() {
    InfoHashes a = InfoHashes.ofV1(InfoHash.fromHex("00".repeat(20)));
    InfoHashes b = InfoHashes.ofV1(InfoHash.fromHex("01".repeat(20)));
    SessionMetrics metrics =
        SessionMetrics.builder(Instant.EPOCH, Duration.ofSeconds(3))
            .set(Metric.CONNECTIONS, 7)
            .torrent(TorrentMetrics.builder(a, "a").set(Metric.UPLOADED, 10).build())
            .torrent(TorrentMetrics.builder(b, "b").set(Metric.UPLOADED, 5).build())
            .build();
    assertThat(metrics.get(Metric.UPLOADED)).isEqualTo(15);
    assertThat(metrics.get(Metric.CONNECTIONS)).isEqualTo(7);
    assertThat(metrics.get(Metric.DHT_NODES)).isZero();
    assertThat(metrics.torrent(b).orElseThrow().name()).isEqualTo("b");
    assertThat(metrics.toString()).contains("bitwright.torrent.uploaded=15");
    assertThat(metrics)
        .isEqualTo(
            SessionMetrics.builder(Instant.EPOCH, Duration.ofSeconds(3))
                .set(Metric.CONNECTIONS, 7)
                .torrent(TorrentMetrics.builder(a, "a").set(Metric.UPLOADED, 10).build())
                .torrent(TorrentMetrics.builder(b, "b").set(Metric.UPLOADED, 5).build())
                .build());
    TorrentMetrics one = metrics.torrents().get(0);
    assertThatThrownBy(() -> one.get(Metric.CONNECTIONS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> SessionMetrics.builder(Instant.EPOCH, Duration.ZERO).set(Metric.UPLOADED, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TorrentMetrics.builder(a, "a").set(Metric.WASTED, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyKeyIsDistinctAndNamedForItsScope() {
    assertThat(List.of(Metric.values()).stream().map(Metric::key).distinct())
        .hasSize(Metric.values().length);
    for (Metric m : Metric.values()) {
      String prefix =
          m.scope() == Metric.Scope.TORRENT ? "bitwright.torrent." : "bitwright.session.";
      assertThat(m.key()).startsWith(prefix).matches("[a-z.]+");
    }
  }
}
