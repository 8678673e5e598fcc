package dev.bitwright.session.internal.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.testsupport.TestHttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The checks on a web seed's answers, against a server that answers what each test wants. */
class WebSeedClientTest {
  private static final byte[] FILE = new byte[1000];

  static {
    for (int i = 0; i < FILE.length; i++) {
      FILE[i] = (byte) i;
    }
  }

  private TestHttpServer http;
  private ExecutorService requests;
  private WebSeedClient client;

  @BeforeEach
  void start() throws Exception {
    http = TestHttpServer.start();
    requests = Executors.newCachedThreadPool();
    client =
        new WebSeedClient(
            () -> HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build(),
            requests,
            "Bitwright-test",
            Duration.ofSeconds(5),
            System::nanoTime);
  }

  @AfterEach
  void stop() {
    client.close();
    http.close();
    requests.shutdownNow();
  }

  private byte[] fetch(String path, long offset, int length) throws Exception {
    byte[] into = new byte[length + 2];
    client
        .fetch(URI.create(http.url(path)), offset, length, FILE.length, into, 1)
        .get(10, TimeUnit.SECONDS);
    assertThat(into[0]).isZero();
    assertThat(into[length + 1]).as("nothing written past the range").isZero();
    return Arrays.copyOfRange(into, 1, length + 1);
  }

  private WebSeedException failure(String path, long offset, int length) {
    try {
      fetch(path, offset, length);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(WebSeedException.class);
      return (WebSeedException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("no failure");
  }

  private static void range(TestHttpServer.Exchange ex, String contentRange, byte[] body)
      throws Exception {
    ex.header("Content-Range", contentRange);
    ex.send(206, body);
  }

  @Test
  void aRangeIsAskedForAndItsAnswerChecked() throws Exception {
    http.route(
        "/f",
        ex -> {
          assertThat(ex.requestHeader("Range")).hasValue("bytes=100-199");
          assertThat(ex.requestHeader("User-Agent")).hasValue("Bitwright-test");
          range(ex, "bytes 100-199/1000", Arrays.copyOfRange(FILE, 100, 200));
        });
    assertThat(fetch("/f", 100, 100)).isEqualTo(Arrays.copyOfRange(FILE, 100, 200));
  }

  @Test
  void theWholeFileIsAskedForWithoutARangeAndMayComeAs200() throws Exception {
    http.route(
        "/f",
        ex -> {
          assertThat(ex.requestHeader("Range")).isEmpty();
          ex.send(200, FILE);
        });
    assertThat(fetch("/f", 0, FILE.length)).isEqualTo(FILE);
  }

  @Test
  void aServerThatIgnoresRangeIsABadResponse() {
    http.route("/f", ex -> ex.send(200, FILE));
    WebSeedException e = failure("/f", 100, 100);
    assertThat(e.kind()).isEqualTo(WebSeedException.Kind.BAD_RESPONSE);
    assertThat(e).hasMessageContaining("ignores Range");
  }

  @Test
  void aWrongContentRangeIsABadResponse() {
    http.route("/f", ex -> range(ex, "bytes 101-200/1000", Arrays.copyOfRange(FILE, 101, 201)));
    assertThat(failure("/f", 100, 100).kind()).isEqualTo(WebSeedException.Kind.BAD_RESPONSE);
    http.route("/g", ex -> range(ex, "bytes 100-199/999", Arrays.copyOfRange(FILE, 100, 200)));
    assertThat(failure("/g", 100, 100).kind()).isEqualTo(WebSeedException.Kind.BAD_RESPONSE);
  }

  @Test
  void shortAndLongBodiesAreBadResponses() {
    http.route("/short", ex -> range(ex, "bytes 100-199/1000", new byte[50]));
    assertThat(failure("/short", 100, 100).kind()).isEqualTo(WebSeedException.Kind.BAD_RESPONSE);
    http.route("/long", ex -> range(ex, "bytes 100-199/1000", new byte[5000]));
    assertThat(failure("/long", 100, 100).kind()).isEqualTo(WebSeedException.Kind.BAD_RESPONSE);
  }

  @Test
  void aMissingFileAndABusyServerAreToldApart() {
    http.route("/gone", ex -> ex.send(410, new byte[0]));
    assertThat(failure("/gone", 0, 10).kind()).isEqualTo(WebSeedException.Kind.FILE_MISSING);
    http.route(
        "/busy",
        ex -> {
          ex.header("Retry-After", "7");
          ex.send(503, new byte[0]);
        });
    WebSeedException busy = failure("/busy", 0, 10);
    assertThat(busy.kind()).isEqualTo(WebSeedException.Kind.UNAVAILABLE);
    assertThat(busy.retryAfter()).hasValue(Duration.ofSeconds(7));
  }

  @Test
  void aRetryAfterIsBoundedAndADateIsNotFollowed() {
    http.route(
        "/long",
        ex -> {
          ex.header("Retry-After", "999999");
          ex.send(503, new byte[0]);
        });
    assertThat(failure("/long", 0, 10).retryAfter()).hasValue(Duration.ofMinutes(10));
    http.route(
        "/date",
        ex -> {
          ex.header("Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT");
          ex.send(503, new byte[0]);
        });
    assertThat(failure("/date", 0, 10).retryAfter()).isEmpty();
  }

  @Test
  void redirectsAreFollowed() throws Exception {
    http.route("/moved", ex -> ex.redirect(302, http.url("/f")));
    http.route("/f", ex -> range(ex, "bytes 0-9/1000", Arrays.copyOfRange(FILE, 0, 10)));
    assertThat(fetch("/moved", 0, 10)).isEqualTo(Arrays.copyOfRange(FILE, 0, 10));
  }

  @Test
  void aResetIsANetworkFailure() {
    http.route(
        "/reset",
        ex -> {
          throw new java.io.IOException("reset");
        });
    assertThat(failure("/reset", 0, 10).kind())
        .isIn(WebSeedException.Kind.NETWORK, WebSeedException.Kind.BAD_RESPONSE);
  }

  @Test
  void anUnreachableServerIsANetworkFailure() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    assertThatThrownBy(
            () ->
                client
                    .fetch(
                        URI.create("http://127.0.0.1:" + port + "/f"),
                        0,
                        10,
                        FILE.length,
                        new byte[10],
                        0)
                    .get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(WebSeedException.class)
        .satisfies(
            e ->
                assertThat(((WebSeedException) e.getCause()).kind())
                    .isEqualTo(WebSeedException.Kind.NETWORK));
  }
}
