package dev.bitwright.tracker;

import static dev.bitwright.tracker.TestData.ascii;
import static dev.bitwright.tracker.TestData.await;
import static dev.bitwright.tracker.TestData.awaitFailure;
import static dev.bitwright.tracker.TestData.bytes;
import static dev.bitwright.tracker.TestData.compact4;
import static dev.bitwright.tracker.TestData.counting;
import static dev.bitwright.tracker.TestData.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.InfoHash;
import dev.bitwright.testsupport.TestHttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Announce and scrape round trips against the JDK's HTTP server on 127.0.0.1. */
@Timeout(30)
class HttpTrackerClientTest {
  static final byte[] HASH = counting(0, 20);
  static final byte[] PEER = TestData.peerId(1);
  static final byte[] PEERS = bytes(compact4(1, 2, 3, 4, 6881), compact4(127, 0, 0, 1, 51413));
  static final byte[] REPLY = bytes("d8:intervali900e5:peers12:", PEERS, "e");

  TestHttpServer server;
  HttpClients clients;
  HttpTrackerClient client;
  final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void start() throws IOException {
    server = TestHttpServer.start();
    clients = new HttpClients();
    client = clients.tracker(Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() throws IOException {
    release.countDown();
    try {
      server.close();
    } finally {
      clients.close();
    }
  }

  static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(body);
    }
    return out.toByteArray();
  }

  CompletableFuture<AnnounceResponse> announce(String path) throws IOException {
    return client.announce(server.url(path), request(HASH, PEER, AnnounceEvent.STARTED));
  }

  static void assertPeers(AnnounceResponse r) throws Exception {
    assertThat(r.interval()).isEqualTo(Duration.ofSeconds(900));
    assertThat(r.peers())
        .containsExactly(
            new InetSocketAddress(InetAddress.getByName("1.2.3.4"), 6881),
            new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 51413));
  }

  static TrackerException trackerException(Throwable t) {
    assertThat(t).isInstanceOf(TrackerException.class);
    return (TrackerException) t;
  }

  @Test
  void announceRoundTrip() throws Exception {
    AtomicReference<String> query = new AtomicReference<>();
    AtomicReference<String> agent = new AtomicReference<>();
    AtomicReference<String> encoding = new AtomicReference<>();
    server.route(
        "/announce",
        x -> {
          query.set(x.uri().getRawQuery());
          agent.set(x.requestHeader("User-Agent").orElse(null));
          encoding.set(x.requestHeader("Accept-Encoding").orElse(null));
          x.send(200, REPLY);
        });
    assertPeers(await(announce("/announce"), 10));
    assertThat(query.get())
        .startsWith("info_hash=" + HttpTrackerTest.HASH_ENCODED + "&peer_id=-BW0100-000000000001")
        .contains("&port=6881&", "&compact=1", "&event=started");
    assertThat(agent.get()).isEqualTo("Bitwright-test/0.1");
    assertThat(encoding.get()).contains("gzip");
  }

  @Test
  void scrapeRoundTrip() throws Exception {
    AtomicReference<String> path = new AtomicReference<>();
    server.route(
        "/scrape",
        x -> {
          path.set(x.uri().getRawPath() + "?" + x.uri().getRawQuery());
          x.send(
              200,
              ascii(
                  "d5:filesd20:xxxxxxxxxxxxxxxxxxxxd8:completei11e10:downloadedi13772e"
                      + "10:incompletei19ee20:yyyyyyyyyyyyyyyyyyyyd8:completei21e"
                      + "10:downloadedi206e10:incompletei20eeee"));
        });
    byte[] x = ascii("xxxxxxxxxxxxxxxxxxxx");
    byte[] y = ascii("yyyyyyyyyyyyyyyyyyyy");
    Map<InfoHash, ScrapeStats> stats =
        await(client.scrape(server.url("/announce"), List.of(x, y)), 10);
    assertThat(path.get())
        .isEqualTo("/scrape?info_hash=xxxxxxxxxxxxxxxxxxxx&info_hash=yyyyyyyyyyyyyyyyyyyy");
    assertThat(stats)
        .containsEntry(new InfoHash(x), new ScrapeStats(11, 13772, 19))
        .containsEntry(new InfoHash(y), new ScrapeStats(21, 206, 20))
        .hasSize(2);
  }

  @Test
  void scrapeOfAnUnscrapableUrlFailsWithoutARequest() throws Exception {
    server.route("/", x -> x.send(200, REPLY));
    Throwable t = awaitFailure(client.scrape(server.url("/tracker"), List.of(HASH)), 5);
    assertThat(trackerException(t).trackerSaidSo()).isFalse();
    assertThat(server.hits("/")).isZero();
  }

  @Test
  void gzipEncodedReply() throws Exception {
    server.route("/gz/announce", x -> x.header("Content-Encoding", "gzip").send(200, gzip(REPLY)));
    assertPeers(await(announce("/gz/announce"), 10));
  }

  @Test
  void brokenGzipFails() throws Exception {
    server.route("/gz/announce", x -> x.header("Content-Encoding", "gzip").send(200, REPLY));
    assertThat(awaitFailure(announce("/gz/announce"), 10)).isInstanceOf(TrackerException.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 404, 403, 204, 304})
  void httpErrorsFail(int status) throws Exception {
    server.route("/announce", x -> x.send(status, ascii("d14:failure reason4:oopse")));
    TrackerException e = trackerException(awaitFailure(announce("/announce"), 10));
    assertThat(e.trackerSaidSo()).isFalse();
    assertThat(e.getMessage()).contains(Integer.toString(status));
  }

  @Test
  void failureReasonFails() throws Exception {
    server.route("/announce", x -> x.send(200, ascii("d14:failure reason11:unknown keye")));
    TrackerException e = trackerException(awaitFailure(announce("/announce"), 10));
    assertThat(e.trackerSaidSo()).isTrue();
    assertThat(e.getMessage()).contains("unknown key");
    assertThat(
            trackerException(
                    awaitFailure(client.scrape(server.url("/announce"), List.of(HASH)), 10))
                .trackerSaidSo())
        .as("scrape of /scrape, which does not exist: HTTP 404")
        .isFalse();
  }

  @Test
  void malformedReplyFails() throws Exception {
    server.route("/announce", x -> x.send(200, ascii("<html>Bad Gateway</html>")));
    assertThat(trackerException(awaitFailure(announce("/announce"), 10)).trackerSaidSo()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(ints = {301, 302, 303, 307, 308})
  void redirectToAnotherPathIsFollowed(int status) throws Exception {
    server.route(
        "/moved/announce", x -> x.redirect(status, "/real/announce?" + x.uri().getRawQuery()));
    AtomicReference<String> query = new AtomicReference<>();
    server.route(
        "/real/announce",
        x -> {
          query.set(x.uri().getRawQuery());
          x.send(200, REPLY);
        });
    assertPeers(await(announce("/moved/announce"), 10));
    assertThat(server.hits("/moved/announce")).isEqualTo(1);
    assertThat(server.hits("/real/announce")).isEqualTo(1);
    assertThat(query.get()).startsWith("info_hash=" + HttpTrackerTest.HASH_ENCODED);
  }

  @Test
  void absoluteRedirectIsFollowed() throws Exception {
    String real = server.url("/real/announce");
    server.route("/moved/announce", x -> x.redirect(302, real));
    server.route("/real/announce", x -> x.send(200, REPLY));
    assertPeers(await(announce("/moved/announce"), 10));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"ftp://127.0.0.1/announce", "udp://127.0.0.1:6969/announce", "file:///etc/passwd"})
  void redirectToAnotherSchemeIsRefused(String location) throws Exception {
    server.route("/announce", x -> x.redirect(302, location));
    TrackerException e = trackerException(awaitFailure(announce("/announce"), 10));
    assertThat(e.getMessage()).contains("refused");
    assertThat(server.hits("/announce")).isEqualTo(1);
  }

  @Test
  void redirectWithoutLocationFails() throws Exception {
    server.route("/announce", x -> x.send(302, new byte[0]));
    assertThat(awaitFailure(announce("/announce"), 10)).isInstanceOf(TrackerException.class);
  }

  @Test
  void redirectLoopStopsAfterMaxRedirects() throws Exception {
    server.route("/loop/announce", x -> x.redirect(302, x.uri().toString()));
    assertThat(awaitFailure(announce("/loop/announce"), 10)).isInstanceOf(TrackerException.class);
    assertThat(server.hits("/loop/announce")).isEqualTo(HttpTrackerClient.MAX_REDIRECTS + 1);
  }

  @Test
  void aChainOfExactlyMaxRedirectsIsFollowedAndOneMoreIsNot() throws Exception {
    server.route(
        "/hop/",
        x -> {
          int n = Integer.parseInt(x.uri().getRawPath().split("/")[2]);
          if (n == 0) {
            x.send(200, REPLY);
          } else {
            x.redirect(307, "/hop/" + (n - 1) + "/announce?" + x.uri().getRawQuery());
          }
        });
    int max = HttpTrackerClient.MAX_REDIRECTS;
    assertPeers(await(announce("/hop/" + max + "/announce"), 10));
    assertThat(server.hits("/hop/")).isEqualTo(max + 1);
    assertThat(awaitFailure(announce("/hop/" + (max + 1) + "/announce"), 10))
        .isInstanceOf(TrackerException.class);
  }

  @Test
  void connectionRefusedFails() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Throwable t =
        awaitFailure(
            client.announce(
                "http://127.0.0.1:" + closedPort + "/announce",
                request(HASH, PEER, AnnounceEvent.NONE)),
            10);
    assertThat(trackerException(t).getCause()).isNotNull();
  }

  @Test
  void nonHttpTrackerUrlFailsAtOnce() {
    CompletableFuture<AnnounceResponse> f =
        client.announce("udp://127.0.0.1:6969/announce", request(HASH, PEER, AnnounceEvent.NONE));
    assertThat(f).isCompletedExceptionally();
    assertThat(TestData.failure(f)).isInstanceOf(TrackerException.class);
  }

  @Test
  void aServerThatNeverAnswersFailsWithinTheTimeout() throws Exception {
    server.route("/hang/announce", x -> release.await(30, TimeUnit.SECONDS));
    HttpTrackerClient quick = clients.tracker(Duration.ofSeconds(1));
    long start = System.nanoTime();
    Throwable t =
        awaitFailure(
            quick.announce(server.url("/hang/announce"), request(HASH, PEER, AnnounceEvent.NONE)),
            10);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    assertThat(t).isInstanceOf(TrackerException.class);
    assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    assertThat(elapsed).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void constructorChecksArguments() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new HttpTrackerClient(null, Duration.ofSeconds(1), "ua"))
        .isInstanceOf(NullPointerException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new HttpTrackerClient(clients.http, null, "ua"))
        .isInstanceOf(NullPointerException.class);
  }
}
