package dev.bitwright.session;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.testsupport.TestHttpServer;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dead trackers must not hold up a live one (BEP 12 as clients practise it): tiers are asked in
 * parallel until one works, a dead tracker hands over to the next of its tier at once, and a closed
 * UDP port (ICMP port unreachable) or a refused HTTP connection fails at once.
 */
@Timeout(60)
class TrackerFallbackTest {
  @TempDir Path dir;

  @Test
  void aLiveTrackerBehindDeadTiersGivesTheFirstPeerWithinTenSeconds() throws Exception {
    Path payload = Swarm.payload(dir.resolve("seed"), 81, 500_000);
    try (TorrentSession seeder = TorrentSession.start(Swarm.config().build());
        TestHttpServer live = TestHttpServer.start();
        TorrentSession leecher = TorrentSession.start(Swarm.config().build())) {
      byte[] reply = Swarm.trackerReply(seeder.listenAddress().getPort());
      live.route("/announce", exchange -> exchange.send(200, reply));
      Torrent torrent =
          TorrentBuilder.create(payload)
              .addTrackerTier("http://127.0.0.1:" + closedTcpPort() + "/announce")
              .addTrackerTier(
                  "udp://127.0.0.1:" + closedUdpPort(),
                  "http://127.0.0.1:" + closedTcpPort() + "/announce")
              .addTrackerTier(live.url("/announce"))
              .build();
      seeder
          .add(AddTorrent.torrent(torrent, dir.resolve("seed")).build())
          .completion()
          .get(20, SECONDS);
      Swarm.Events events = new Swarm.Events();
      leecher.addListener(events);
      long start = System.nanoTime();
      TorrentHandle handle = leecher.add(AddTorrent.torrent(torrent, dir.resolve("dl")).build());
      Swarm.await(
          Duration.ofSeconds(10),
          "a tracker reply with a peer",
          () -> events.of(SessionEvent.TrackerReply.class).stream().anyMatch(r -> r.peers() > 0));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      handle.completion().get(20, SECONDS);
    }
  }

  @Test
  void aClosedUdpPortFailsTheAnnounceAtOnce() throws Exception {
    Path payload = Swarm.payload(dir.resolve("seed"), 82, 100_000);
    Torrent torrent =
        TorrentBuilder.create(payload).addTrackerTier("udp://127.0.0.1:" + closedUdpPort()).build();
    try (TorrentSession session = TorrentSession.start(Swarm.config().build())) {
      Swarm.Events events = new Swarm.Events();
      session.addListener(events);
      session.add(AddTorrent.torrent(torrent, dir.resolve("dl")).build());
      Swarm.await(
          Duration.ofSeconds(3), // a tracker that never answers takes 21 s
          "the tracker error",
          () -> !events.of(SessionEvent.TrackerError.class).isEmpty());
      assertThat(events.of(SessionEvent.TrackerError.class).get(0).message())
          .contains("unreachable");
    }
  }

  private static int closedTcpPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, Swarm.LOOPBACK)) {
      return s.getLocalPort();
    }
  }

  private static int closedUdpPort() throws Exception {
    try (DatagramSocket s = new DatagramSocket(0, Swarm.LOOPBACK)) {
      return s.getLocalPort();
    }
  }
}
