package dev.bitwright.tracker;

import static dev.bitwright.tracker.TestData.await;
import static dev.bitwright.tracker.TestData.awaitFailure;
import static dev.bitwright.tracker.TestData.filled;
import static dev.bitwright.tracker.TestData.peerId;
import static dev.bitwright.tracker.TestData.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.InfoHash;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.metainfo.TorrentVersion;
import dev.bitwright.testsupport.Opentracker;
import dev.bitwright.tracker.UdpTrackerConnection.Timing;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a real tracker: Debian's opentracker on 127.0.0.1 (HTTP and UDP), and libtorrent finding
 * us through it. Fails (does not skip) when opentracker or python3-libtorrent is missing.
 */
@Timeout(60)
class OpentrackerIntegrationTest {
  static final byte[] CHECK = filled(0x01, 20);
  static final byte[] HTTP_PAIR = filled(0x11, 20);
  static final byte[] UDP_PAIR = filled(0x22, 20);
  static final byte[] SCRAPE_A = filled(0x33, 20);
  static final byte[] SCRAPE_B = filled(0x34, 20);
  static final byte[] STOPPED_HTTP = filled(0x44, 20);
  static final byte[] STOPPED_UDP = filled(0x45, 20);
  static final byte[] NOT_LISTED = filled(0x55, 20);
  static final Timing FAST = new Timing(Duration.ofMillis(500), 3, Duration.ofSeconds(60));

  @TempDir static Path dir;
  static Path torrentFile;
  static Torrent torrent;
  static Opentracker tracker;
  static HttpClients clients;
  static HttpTrackerClient client;

  @BeforeAll
  static void startTracker() throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    byte[] payload = new byte[100_000];
    new Random(5).nextBytes(payload);
    Files.write(data.resolve("payload.bin"), payload);
    byte[] v1 = buildTorrent(data, Optional.empty()).infoHashes().v1().orElseThrow().bytes();
    tracker =
        Opentracker.start(
            dir.resolve("tracker"),
            List.of(CHECK, HTTP_PAIR, UDP_PAIR, SCRAPE_A, SCRAPE_B, STOPPED_HTTP, STOPPED_UDP, v1));
    clients = new HttpClients();
    client = clients.tracker(Duration.ofSeconds(5));
    torrent = buildTorrent(data, Optional.of(tracker.httpUrl()));
    assertThat(torrent.infoHashes().v1().orElseThrow().bytes()).isEqualTo(v1);
    torrentFile = dir.resolve("payload.torrent");
    Files.write(torrentFile, torrent.toBytes());
    awaitWhitelist();
  }

  static Torrent buildTorrent(Path data, Optional<String> trackerUrl) throws IOException {
    TorrentBuilder b =
        TorrentBuilder.create(data.resolve("payload.bin"))
            .version(TorrentVersion.V1)
            .pieceLength(16 * 1024);
    trackerUrl.ifPresent(b::addTrackerTier);
    return b.build();
  }

  /** opentracker reads its whitelist in the background; wait until it serves a listed hash. */
  static void awaitWhitelist() throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    AnnounceRequest check = request(CHECK, peerId(0), 1, 0, AnnounceEvent.STOPPED);
    while (true) {
      try {
        await(client.announce(tracker.httpUrl(), check), 5);
        return;
      } catch (TrackerException e) {
        if (System.nanoTime() - end > 0) {
          throw new IOException("opentracker is not ready: " + tracker.log(), e);
        }
        Thread.sleep(100);
      }
    }
  }

  @AfterAll
  static void stopTracker() {
    try {
      if (tracker != null) {
        tracker.close();
      }
    } finally {
      if (clients != null) {
        clients.close();
      }
    }
  }

  static InetSocketAddress local(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  AnnounceResponse http(byte[] hash, long peer, int port, long left, AnnounceEvent event)
      throws Exception {
    return await(
        client.announce(tracker.httpUrl(), request(hash, peerId(peer), port, left, event)), 10);
  }

  @Test
  void httpClientsSeeEachOther() throws Exception {
    AnnounceResponse first = http(HTTP_PAIR, 1, 40001, 1000, AnnounceEvent.STARTED);
    assertThat(first.peers()).doesNotContain(local(40002));
    AnnounceResponse second = http(HTTP_PAIR, 2, 40002, 1000, AnnounceEvent.STARTED);
    assertThat(second.peers()).contains(local(40001));
    assertThat(second.leechers()).hasValue(2);
    assertThat(second.seeders()).hasValue(0);
    assertThat(second.interval()).isGreaterThanOrEqualTo(HttpTracker.SHORTEST_INTERVAL);
    AnnounceResponse again = http(HTTP_PAIR, 1, 40001, 1000, AnnounceEvent.NONE);
    assertThat(again.peers()).contains(local(40002));
  }

  @Test
  void udpClientsSeeEachOther() throws Exception {
    try (UdpDriver one = new UdpDriver();
        UdpDriver two = new UdpDriver()) {
      UdpTrackerConnection c1 =
          new UdpTrackerConnection(tracker.udpAddress(), "/announce", new Random(1), FAST);
      UdpTrackerConnection c2 =
          new UdpTrackerConnection(tracker.udpAddress(), "/announce", new Random(2), FAST);
      Duration max = Duration.ofSeconds(10);
      AnnounceRequest a = request(UDP_PAIR, peerId(11), 40011, 1000, AnnounceEvent.STARTED);
      AnnounceRequest b = request(UDP_PAIR, peerId(12), 40012, 1000, AnnounceEvent.STARTED);
      one.await(c1, c1.announce(a, UdpDriver.now()), max);
      AnnounceResponse second = two.await(c2, c2.announce(b, UdpDriver.now()), max);
      assertThat(second.peers()).contains(local(40011));
      assertThat(second.leechers()).hasValue(2);
      AnnounceResponse again =
          one.await(c1, c1.announce(a.withEvent(AnnounceEvent.NONE), UdpDriver.now()), max);
      assertThat(again.peers()).contains(local(40012));
      assertThat(c1.pendingRequests()).isZero();
    }
  }

  @Test
  void scrapeOverHttpAndUdpCountsSeedersAndLeechers() throws Exception {
    http(SCRAPE_A, 21, 40021, 0, AnnounceEvent.STARTED);
    http(SCRAPE_A, 22, 40022, 5000, AnnounceEvent.STARTED);
    try (UdpDriver driver = new UdpDriver()) {
      UdpTrackerConnection c =
          new UdpTrackerConnection(tracker.udpAddress(), "/announce", new Random(3), FAST);
      Duration max = Duration.ofSeconds(10);
      driver.await(
          c,
          c.announce(
              request(SCRAPE_B, peerId(23), 40023, 0, AnnounceEvent.STARTED), UdpDriver.now()),
          max);

      Map<InfoHash, ScrapeStats> overHttp =
          await(client.scrape(tracker.httpUrl(), List.of(SCRAPE_A, SCRAPE_B)), 10);
      assertThat(overHttp.get(new InfoHash(SCRAPE_A)))
          .extracting(ScrapeStats::seeders, ScrapeStats::leechers)
          .containsExactly(1, 1);
      assertThat(overHttp.get(new InfoHash(SCRAPE_B)))
          .extracting(ScrapeStats::seeders, ScrapeStats::leechers)
          .containsExactly(1, 0);

      Map<InfoHash, ScrapeStats> overUdp =
          driver.await(c, c.scrape(List.of(SCRAPE_A, SCRAPE_B), UdpDriver.now()), max);
      assertThat(overUdp.keySet()).containsExactly(new InfoHash(SCRAPE_A), new InfoHash(SCRAPE_B));
      assertThat(overUdp.get(new InfoHash(SCRAPE_A)))
          .isEqualTo(overHttp.get(new InfoHash(SCRAPE_A)));
      assertThat(overUdp.get(new InfoHash(SCRAPE_B)))
          .isEqualTo(overHttp.get(new InfoHash(SCRAPE_B)));
    }
  }

  @Test
  void aStoppedPeerLeavesThePeerList() throws Exception {
    http(STOPPED_HTTP, 31, 40031, 1000, AnnounceEvent.STARTED);
    assertThat(http(STOPPED_HTTP, 32, 40032, 1000, AnnounceEvent.STARTED).peers())
        .contains(local(40031));
    http(STOPPED_HTTP, 31, 40031, 1000, AnnounceEvent.STOPPED);
    AnnounceResponse after = http(STOPPED_HTTP, 32, 40032, 1000, AnnounceEvent.NONE);
    assertThat(after.peers()).doesNotContain(local(40031));
    assertThat(after.leechers()).hasValue(1);
  }

  @Test
  void aPeerStoppedOverUdpLeavesThePeerListSeenOverHttp() throws Exception {
    try (UdpDriver driver = new UdpDriver()) {
      UdpTrackerConnection c =
          new UdpTrackerConnection(tracker.udpAddress(), "/announce", new Random(4), FAST);
      AnnounceRequest udpPeer =
          request(STOPPED_UDP, peerId(41), 40041, 1000, AnnounceEvent.STARTED);
      Duration max = Duration.ofSeconds(10);
      driver.await(c, c.announce(udpPeer, UdpDriver.now()), max);
      assertThat(http(STOPPED_UDP, 42, 40042, 1000, AnnounceEvent.STARTED).peers())
          .contains(local(40041));
      driver.await(c, c.announce(udpPeer.withEvent(AnnounceEvent.STOPPED), UdpDriver.now()), max);
      assertThat(http(STOPPED_UDP, 42, 40042, 1000, AnnounceEvent.NONE).peers())
          .doesNotContain(local(40041));
    }
  }

  @Test
  void anUnlistedTorrentIsTheTrackersRefusal() throws Exception {
    Throwable overHttp =
        awaitFailure(
            client.announce(
                tracker.httpUrl(),
                request(NOT_LISTED, peerId(51), 40051, 1, AnnounceEvent.STARTED)),
            10);
    assertThat(overHttp)
        .isInstanceOfSatisfying(
            TrackerException.class, e -> assertThat(e.trackerSaidSo()).isTrue());
    try (UdpDriver driver = new UdpDriver()) {
      UdpTrackerConnection c =
          new UdpTrackerConnection(tracker.udpAddress(), "/announce", new Random(5), FAST);
      var future =
          c.announce(
              request(NOT_LISTED, peerId(52), 40052, 1, AnnounceEvent.STARTED), UdpDriver.now());
      try {
        driver.await(c, future, Duration.ofSeconds(10));
        throw new AssertionError("opentracker served an unlisted torrent over UDP");
      } catch (java.util.concurrent.ExecutionException e) {
        // opentracker answers an unlisted hash over UDP with a bare 8-byte announce header (no
        // error action, no message): a truncated reply, so not the tracker's word.
        assertThat(e.getCause())
            .isInstanceOfSatisfying(
                TrackerException.class,
                t -> assertThat(t.getMessage()).contains("truncated UDP announce reply"));
      }
    }
  }

  @Test
  void libtorrentFindsUsThroughTheTrackerAndDialsUs() throws Exception {
    byte[] v1 = torrent.infoHashes().v1().orElseThrow().bytes();
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
      server.setSoTimeout(20_000);
      AnnounceRequest us =
          new AnnounceRequest(
              v1,
              peerId(99),
              server.getLocalPort(),
              0,
              0,
              0,
              AnnounceEvent.STARTED,
              50,
              0x99,
              Optional.empty(),
              false,
              false);
      await(client.announce(tracker.httpUrl(), us), 10);
      Path scratch = Files.createTempDirectory(dir, "lt");
      Path save = Files.createDirectories(scratch.resolve("save"));
      try (LibtorrentLeecher lt = LibtorrentLeecher.start(torrentFile, save, scratch, 30);
          Socket peer = accept(server, lt)) {
        peer.setSoTimeout(10_000);
        byte[] handshake = new byte[68];
        new DataInputStream(peer.getInputStream()).readFully(handshake);
        assertThat(handshake[0]).isEqualTo((byte) 19);
        assertThat(new String(handshake, 1, 19, StandardCharsets.ISO_8859_1))
            .isEqualTo("BitTorrent protocol");
        assertThat(Arrays.copyOfRange(handshake, 28, 48)).isEqualTo(v1);
        assertThat(new String(handshake, 48, 20, StandardCharsets.ISO_8859_1)).startsWith("-LT");
      }
    }
  }

  private static Socket accept(ServerSocket server, LibtorrentLeecher lt) throws IOException {
    try {
      return server.accept();
    } catch (SocketTimeoutException e) {
      throw new IOException(
          "libtorrent never dialled us; its log:\n" + lt.log() + "\ntracker log:\n" + tracker.log(),
          e);
    }
  }
}
