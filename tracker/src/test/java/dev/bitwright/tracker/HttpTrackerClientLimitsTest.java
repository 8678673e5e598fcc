package dev.bitwright.tracker;

import static dev.bitwright.tracker.HttpTrackerClientTest.HASH;
import static dev.bitwright.tracker.HttpTrackerClientTest.PEER;
import static dev.bitwright.tracker.HttpTrackerClientTest.REPLY;
import static dev.bitwright.tracker.HttpTrackerClientTest.gzip;
import static dev.bitwright.tracker.TestData.await;
import static dev.bitwright.tracker.TestData.awaitFailure;
import static dev.bitwright.tracker.TestData.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.testsupport.TestHttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Size limits (plain, chunked and gzip) and time limits of {@link HttpTrackerClient}. */
@Timeout(30)
class HttpTrackerClientLimitsTest {
  static final int MAX = HttpTracker.MAX_RESPONSE_SIZE;

  TestHttpServer server;
  HttpClients clients;
  HttpTrackerClient client;

  @BeforeEach
  void start() throws IOException {
    server = TestHttpServer.start();
    clients = new HttpClients();
    client = clients.tracker(Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() throws IOException {
    try {
      server.close();
    } finally {
      clients.close();
    }
  }

  CompletableFuture<AnnounceResponse> announce(String path) throws IOException {
    return client.announce(server.url(path), request(HASH, PEER, AnnounceEvent.NONE));
  }

  static void writeChunked(TestHttpServer.Exchange x, byte[] body) throws IOException {
    try (OutputStream out = x.sendChunked(200)) {
      for (int from = 0; from < body.length; from += 64 * 1024) {
        out.write(body, from, Math.min(64 * 1024, body.length - from));
      }
    }
  }

  @Test
  void aReplyOfExactlyTheLimitIsAccepted() throws Exception {
    byte[] body = TestData.paddedAnnounceReply(MAX);
    server.route("/announce", x -> x.send(200, body));
    server.route("/chunked/announce", x -> writeChunked(x, body));
    assertThat(await(announce("/announce"), 20).interval()).isEqualTo(Duration.ofMinutes(30));
    assertThat(await(announce("/chunked/announce"), 20).interval())
        .isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void aReplyLargerThanTheLimitFails() throws Exception {
    byte[] body = TestData.paddedAnnounceReply(MAX + 1);
    server.route("/announce", x -> x.send(200, body));
    assertThat(awaitFailure(announce("/announce"), 20)).isInstanceOf(TrackerException.class);
  }

  @Test
  void aChunkedReplyLargerThanTheLimitFails() throws Exception {
    byte[] body = TestData.paddedAnnounceReply(MAX + 100_000);
    server.route("/announce", x -> writeChunked(x, body));
    assertThat(awaitFailure(announce("/announce"), 20)).isInstanceOf(TrackerException.class);
  }

  @Test
  void gzipOfExactlyTheLimitIsAccepted() throws Exception {
    byte[] zipped = gzip(TestData.paddedAnnounceReply(MAX));
    assertThat(zipped.length).isLessThan(MAX / 100);
    server.route("/announce", x -> x.header("Content-Encoding", "gzip").send(200, zipped));
    assertThat(await(announce("/announce"), 20).interval()).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void aGzipBombFails() throws Exception {
    byte[] bomb = gzip(TestData.paddedAnnounceReply(MAX + 1));
    byte[] bigBomb = gzip(TestData.paddedAnnounceReply(64 * MAX));
    assertThat(bigBomb.length).as("small on the wire").isLessThan(MAX / 4);
    server.route("/announce", x -> x.header("Content-Encoding", "gzip").send(200, bomb));
    server.route("/big/announce", x -> x.header("Content-Encoding", "gzip").send(200, bigBomb));
    assertThat(awaitFailure(announce("/announce"), 20)).isInstanceOf(TrackerException.class);
    assertThat(awaitFailure(announce("/big/announce"), 20)).isInstanceOf(TrackerException.class);
  }

  @Test
  void scrapeRepliesHaveTheSameLimit() throws Exception {
    byte[] body = TestData.paddedAnnounceReply(MAX + 1);
    server.route("/scrape", x -> x.send(200, body));
    assertThat(awaitFailure(client.scrape(server.url("/announce"), java.util.List.of(HASH)), 20))
        .isInstanceOf(TrackerException.class);
  }

  @Test
  void aSlowButInTimeReplyWorks() throws Exception {
    server.route(
        "/announce",
        x -> {
          Thread.sleep(300);
          x.send(200, REPLY);
        });
    HttpTrackerClient quick = clients.tracker(Duration.ofSeconds(2));
    assertThat(
            await(
                    quick.announce(
                        server.url("/announce"), request(HASH, PEER, AnnounceEvent.NONE)),
                    10)
                .peers())
        .hasSize(2);
  }

  @Test
  void theTimeoutCoversRedirects() throws Exception {
    server.route(
        "/hop/",
        x -> {
          int n = Integer.parseInt(x.uri().getRawPath().split("/")[2]);
          Thread.sleep(700);
          if (n == 0) {
            x.send(200, REPLY);
          } else {
            x.redirect(302, "/hop/" + (n - 1) + "/announce?" + x.uri().getRawQuery());
          }
        });
    HttpTrackerClient quick = clients.tracker(Duration.ofSeconds(1));
    Throwable t =
        awaitFailure(
            quick.announce(server.url("/hop/3/announce"), request(HASH, PEER, AnnounceEvent.NONE)),
            10);
    assertThat(t).isInstanceOf(TrackerException.class);
  }
}
