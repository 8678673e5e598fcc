package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.testsupport.Opentracker;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Peers found only through a real opentracker on 127.0.0.1, over HTTP or UDP; the swarm's counts
 * from its announces and scrapes.
 */
@Timeout(60)
class TrackerTransferTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"http", "udp", "both tiers"})
  void leecherFindsTheSeedThroughTheTracker(String kind) throws Exception {
    Path seedDir = dir.resolve("seed");
    Path payload = seedDir.resolve("payload");
    Files.createDirectories(payload);
    byte[] bytes = new byte[2_000_000];
    new Random(1).nextBytes(bytes);
    Files.write(payload.resolve("data.bin"), bytes);
    TorrentBuilder builder = TorrentBuilder.create(payload).pieceLength(64 * 1024);
    Torrent probe = builder.build();
    try (Opentracker tracker =
        Opentracker.start(
            dir.resolve("tracker"), List.of(probe.infoHashes().v1().orElseThrow().bytes()))) {
      if (kind.equals("http")) {
        builder.addTrackerTier(tracker.httpUrl());
      } else if (kind.equals("udp")) {
        builder.addTrackerTier(tracker.udpUrl());
      } else {
        builder.addTrackerTier("http://127.0.0.1:1/announce").addTrackerTier(tracker.udpUrl());
      }
      Torrent torrent = builder.build();
      assertThat(torrent.infoHashes()).isEqualTo(probe.infoHashes());
      List<SessionEvent> events = Collections.synchronizedList(new ArrayList<>());
      SessionConfig config =
          SessionConfig.builder()
              .listenAddress(InetAddress.getLoopbackAddress())
              .announceToAllTiers(kind.equals("both tiers"))
              .build();
      try (TorrentSession seeder = TorrentSession.start(config);
          TorrentSession leecher = TorrentSession.start(config)) {
        leecher.addListener(events::add);
        seeder
            .add(AddTorrent.torrent(torrent, seedDir).build())
            .completion()
            .get(20, TimeUnit.SECONDS);
        Thread.sleep(300);
        Path target = dir.resolve("download");
        TorrentHandle leech = leecher.add(AddTorrent.torrent(torrent, target).build());
        leech.completion().get(40, TimeUnit.SECONDS);
        assertThat(Files.readAllBytes(target.resolve("payload/data.bin"))).isEqualTo(bytes);
        // The first scrape comes 5 s after the start; announces gave counts before.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!leech.status().trackerCounts().map(c -> c.completed().isPresent()).orElse(false)
            && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        TrackerCounts counts = leech.status().trackerCounts().orElseThrow();
        assertThat(counts.completed()).as("a scrape answered").isPresent();
        assertThat(counts.seeders()).as("the seed, and the leecher once done").isPositive();
      }
      assertThat(events).anyMatch(e -> e instanceof SessionEvent.TrackerReply r && r.peers() > 0);
    }
  }
}
