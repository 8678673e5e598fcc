package dev.bitwright.session.internal.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The session's own HTTP/1.1 client against a server that writes exactly the bytes each test
 * scripts: framing (chunked, close-delimited), keep-alive and its stale connections, interim
 * answers, redirects, bounds and timeouts. (The checks every answer goes through are {@link
 * WebSeedClientTest}'s.)
 */
@Timeout(20)
class PlainHttpClientTest {
  private static final byte[] FILE = new byte[1000];

  static {
    for (int i = 0; i < FILE.length; i++) {
      FILE[i] = (byte) (i * 7);
    }
  }

  /** Answers one request on a connection: the request's head is given, the answer written. */
  @FunctionalInterface
  private interface Answer {
    /** Returns whether the connection stays open for another request. */
    boolean answer(String request, OutputStream out) throws Exception;
  }

  /** A server on 127.0.0.1 that answers each request with the next of its scripted answers. */
  private static final class ScriptedServer implements AutoCloseable {
    final ServerSocket socket;
    final List<Answer> answers = new CopyOnWriteArrayList<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    final List<Socket> open = new CopyOnWriteArrayList<>();
    final Thread acceptor;

    ScriptedServer(Answer... script) throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      answers.addAll(Arrays.asList(script));
      acceptor = new Thread(this::accept, "scripted-http");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    private void accept() {
      while (!socket.isClosed()) {
        try {
          Socket s = socket.accept();
          open.add(s);
          connections.incrementAndGet();
          Thread t = new Thread(() -> serve(s), "scripted-http-connection");
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    }

    private void serve(Socket s) {
      try (s) {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        while (true) {
          String request = readHead(in);
          if (request == null || answers.isEmpty()) {
            return;
          }
          requests.add(request);
          if (!answers.remove(0).answer(request, out)) {
            return;
          }
          out.flush();
        }
      } catch (Exception e) {
        // the test's client went away
      }
    }

    private static String readHead(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) >= 0) {
        head.write(b);
        String s = head.toString(StandardCharsets.ISO_8859_1);
        if (s.endsWith("\r\n\r\n")) {
          return s;
        }
      }
      return null;
    }

    URI url(String path) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort() + path);
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket s : open) {
        s.close();
      }
    }
  }

  private static Answer bytes(String head, byte[] body, boolean keepOpen) {
    return (request, out) -> {
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      return keepOpen;
    };
  }

  private static Answer range(int from, int length) {
    String head =
        "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes "
            + from
            + "-"
            + (from + length - 1)
            + "/1000\r\nContent-Length: "
            + length
            + "\r\n\r\n";
    return bytes(head, Arrays.copyOfRange(FILE, from, from + length), true);
  }

  private final List<AutoCloseable> closing = new ArrayList<>();
  private PlainHttpClient client = client(Duration.ofSeconds(5));

  private PlainHttpClient client(Duration timeout) {
    PlainHttpClient c =
        new PlainHttpClient("Bitwright-test\r\nX-Injected: 1", timeout, System::nanoTime);
    closing.add(c);
    return c;
  }

  private ScriptedServer server(Answer... script) throws IOException {
    ScriptedServer s = new ScriptedServer(script);
    closing.add(s);
    return s;
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  private byte[] fetch(URI url, int from, int length) throws WebSeedException {
    byte[] into = new byte[length + 2];
    assertThat(client.fetch(url, from, length, FILE.length, into, 1)).isEmpty();
    assertThat(into[0]).isZero();
    assertThat(into[length + 1]).as("nothing written past the range").isZero();
    return Arrays.copyOfRange(into, 1, length + 1);
  }

  private WebSeedException failure(URI url, int from, int length) {
    try {
      fetch(url, from, length);
    } catch (WebSeedException e) {
      return e;
    }
    throw new AssertionError("no failure");
  }

  @Test
  void theRequestIsAPlainRangedGetWithoutInjectedFields() throws Exception {
    ScriptedServer s = server(range(100, 50));
    assertThat(fetch(s.url("/a%20b/c?x=1"), 100, 50)).isEqualTo(Arrays.copyOfRange(FILE, 100, 150));
    String request = s.requests.get(0);
    assertThat(request).startsWith("GET /a%20b/c?x=1 HTTP/1.1\r\n");
    assertThat(request).contains("\r\nHost: 127.0.0.1:" + s.socket.getLocalPort() + "\r\n");
    assertThat(request).contains("\r\nRange: bytes=100-149\r\n");
    assertThat(request).contains("\r\nUser-Agent: Bitwright-testX-Injected: 1\r\n");
  }

  @Test
  void aConnectionIsKeptAliveAndReused() throws Exception {
    ScriptedServer s = server(range(0, 10), range(10, 10), range(20, 10));
    for (int i = 0; i < 3; i++) {
      assertThat(fetch(s.url("/f"), i * 10, 10))
          .isEqualTo(Arrays.copyOfRange(FILE, i * 10, i * 10 + 10));
    }
    assertThat(s.connections).hasValue(1);
  }

  @Test
  void aKeptConnectionTheServerClosedIsReplacedOnce() throws Exception {
    // The first answer keeps the connection as far as the client knows, but the server closes it.
    ScriptedServer s =
        server(
            (request, out) -> {
              range(0, 10).answer(request, out);
              out.flush();
              return false;
            },
            range(10, 10));
    fetch(s.url("/f"), 0, 10);
    Thread.sleep(100);
    assertThat(fetch(s.url("/f"), 10, 10)).isEqualTo(Arrays.copyOfRange(FILE, 10, 20));
    assertThat(s.connections).hasValue(2);
  }

  @Test
  void aChunkedBodyIsDecodedWithExtensionsAndTrailers() throws Exception {
    String body =
        "4;name=value\r\n"
            + new String(FILE, 0, 4, StandardCharsets.ISO_8859_1)
            + "\r\n"
            + "6\r\n"
            + new String(FILE, 4, 6, StandardCharsets.ISO_8859_1)
            + "\r\n"
            + "0\r\nX-Trailer: yes\r\n\r\n";
    ScriptedServer s =
        server(
            bytes(
                "HTTP/1.1 206 OK\r\nContent-Range: bytes 0-9/1000\r\nTransfer-Encoding: chunked\r\n\r\n",
                body.getBytes(StandardCharsets.ISO_8859_1),
                true),
            range(10, 5));
    assertThat(fetch(s.url("/f"), 0, 10)).isEqualTo(Arrays.copyOf(FILE, 10));
    assertThat(fetch(s.url("/f"), 10, 5)).isEqualTo(Arrays.copyOfRange(FILE, 10, 15));
    assertThat(s.connections).as("the chunked answer kept its connection").hasValue(1);
  }

  @Test
  void aChunkedBodyLongerThanAskedForOrMalformedIsABadResponse() throws Exception {
    String head =
        "HTTP/1.1 206 OK\r\nContent-Range: bytes 0-9/1000\r\nTransfer-Encoding: chunked\r\n\r\n";
    ScriptedServer s =
        server(
            bytes(
                head,
                ("ff\r\n" + "x".repeat(255) + "\r\n0\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1),
                true),
            bytes(head, "zz\r\n".getBytes(StandardCharsets.ISO_8859_1), true),
            bytes(
                head,
                ("1" + "0".repeat(2000) + "\r\n").getBytes(StandardCharsets.ISO_8859_1),
                true));
    for (int i = 0; i < 3; i++) {
      assertThat(failure(s.url("/f"), 0, 10).kind()).isEqualTo(WebSeedException.Kind.BAD_RESPONSE);
    }
  }

  @Test
  void aBodyUntilCloseIsReadAndBounded() throws Exception {
    ScriptedServer s =
        server(
            bytes(
                "HTTP/1.0 206 OK\r\nContent-Range: bytes 0-9/1000\r\n\r\n",
                Arrays.copyOf(FILE, 10),
                false),
            bytes(
                "HTTP/1.0 206 OK\r\nContent-Range: bytes 0-9/1000\r\n\r\n",
                Arrays.copyOf(FILE, 11),
                false));
    assertThat(fetch(s.url("/f"), 0, 10)).isEqualTo(Arrays.copyOf(FILE, 10));
    assertThat(failure(s.url("/f"), 0, 10)).hasMessageContaining("longer");
  }

  @Test
  void interimAnswersAreSkipped() throws Exception {
    ScriptedServer s =
        server(
            (request, out) -> {
              out.write(
                  "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n"
                      .getBytes(StandardCharsets.ISO_8859_1));
              return range(0, 10).answer(request, out);
            });
    assertThat(fetch(s.url("/f"), 0, 10)).isEqualTo(Arrays.copyOf(FILE, 10));
  }

  @Test
  void anErrorPagesBodyIsSkippedAndItsConnectionKept() throws Exception {
    ScriptedServer s =
        server(
            bytes(
                "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\n",
                "not here!".getBytes(StandardCharsets.US_ASCII),
                true),
            range(0, 10));
    assertThat(failure(s.url("/f"), 0, 10).kind()).isEqualTo(WebSeedException.Kind.FILE_MISSING);
    fetch(s.url("/g"), 0, 10);
    assertThat(s.connections).hasValue(1);
  }

  @Test
  void aMalformedErrorPageKeepsItsStatusAsTheFault() throws Exception {
    ScriptedServer s =
        server(
            bytes(
                "HTTP/1.1 404 Not Found\r\nContent-Length: x9\r\n\r\n",
                "not here!".getBytes(StandardCharsets.US_ASCII),
                true),
            range(0, 10));
    assertThat(failure(s.url("/f"), 0, 10).kind()).isEqualTo(WebSeedException.Kind.FILE_MISSING);
    fetch(s.url("/g"), 0, 10);
    assertThat(s.connections).as("the connection was not trusted again").hasValue(2);
  }

  @Test
  void aConnectionWithBytesBeyondTheBodyIsNotReused() throws Exception {
    ScriptedServer s =
        server(
            (request, out) -> {
              // One write, so that the extra bytes come with the body (loopback: one segment).
              ByteArrayOutputStream answer = new ByteArrayOutputStream();
              range(0, 10).answer(request, answer);
              answer.write("garbage".getBytes(StandardCharsets.US_ASCII));
              out.write(answer.toByteArray());
              return true;
            },
            range(10, 10));
    fetch(s.url("/f"), 0, 10);
    assertThat(fetch(s.url("/f"), 10, 10)).isEqualTo(Arrays.copyOfRange(FILE, 10, 20));
    assertThat(s.connections).hasValue(2);
  }

  @Test
  void redirectsAreFollowedAndOneToHttpsIsHandedBack() throws Exception {
    ScriptedServer s =
        server(
            bytes(
                "HTTP/1.1 307 Temporary Redirect\r\nLocation: /there/f\r\nContent-Length: 0\r\n\r\n",
                new byte[0],
                true),
            range(0, 10),
            bytes(
                "HTTP/1.1 301 Moved\r\nLocation: https://cdn.example/f\r\nContent-Length: 0\r\n\r\n",
                new byte[0],
                true));
    assertThat(fetch(s.url("/here/f"), 0, 10)).isEqualTo(Arrays.copyOf(FILE, 10));
    assertThat(s.requests.get(1)).startsWith("GET /there/f HTTP/1.1");
    assertThat(client.fetch(s.url("/f"), 0, 10, FILE.length, new byte[10], 0))
        .isEqualTo(Optional.of(URI.create("https://cdn.example/f")));
  }

  @Test
  void redirectsAreBounded() throws Exception {
    Answer loop =
        bytes("HTTP/1.1 302 Found\r\nLocation: /f\r\nContent-Length: 0\r\n\r\n", new byte[0], true);
    ScriptedServer s = server(loop, loop, loop, loop, loop, loop, loop, loop);
    assertThat(failure(s.url("/f"), 0, 10)).hasMessageContaining("redirects");
  }

  @Test
  void aHeadThatNeverEndsIsCutAtItsBound() throws Exception {
    ScriptedServer s =
        server(
            (request, out) -> {
              out.write("HTTP/1.1 206 OK\r\n".getBytes(StandardCharsets.ISO_8859_1));
              byte[] field =
                  "X-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"
                      .getBytes(StandardCharsets.ISO_8859_1);
              for (int i = 0; i < 1000; i++) {
                out.write(field);
              }
              return true;
            });
    assertThat(failure(s.url("/f"), 0, 10)).hasMessageContaining("longer than");
  }

  @Test
  void aServerThatDripsBytesTimesOut() throws Exception {
    client = client(Duration.ofMillis(700));
    ScriptedServer s =
        server(
            (request, out) -> {
              for (byte b : "HTTP/1.1 206 OK\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1)) {
                out.write(b);
                out.flush();
              }
              for (int i = 0; i < 100; i++) {
                out.write('a');
                out.flush();
                Thread.sleep(100);
              }
              return false;
            });
    long start = System.nanoTime();
    WebSeedException e = failure(s.url("/f"), 0, 10);
    assertThat(e.kind()).isEqualTo(WebSeedException.Kind.NETWORK);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3000);
  }

  @Test
  void closingWakesARequestThatWaits() throws Exception {
    ScriptedServer s =
        server(
            (request, out) -> {
              Thread.sleep(10_000);
              return false;
            });
    CompletableFuture<WebSeedException> waiting =
        CompletableFuture.supplyAsync(() -> failure(s.url("/f"), 0, 10));
    Thread.sleep(300);
    client.close();
    assertThat(waiting.get(3, TimeUnit.SECONDS).kind()).isEqualTo(WebSeedException.Kind.NETWORK);
  }
}
