package dev.bitwright.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server on 127.0.0.1 (a free port) for tests of trackers and web seeds: each route is a
 * handler that may answer anything, including faults (wrong statuses, truncated bodies, resets).
 * Closing it stops the server and its threads.
 */
public final class TestHttpServer implements AutoCloseable {
  /** Handles one exchange; the exchange is closed afterwards whatever happens. */
  @FunctionalInterface
  public interface Handler {
    /**
     * Answers {@code exchange}.
     *
     * @throws Exception to end the exchange abruptly (the client sees a reset or a short reply)
     */
    void handle(Exchange exchange) throws Exception;
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

  private TestHttpServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
  }

  /**
   * Starts a server with no routes yet; add them with {@link #route}.
   *
   * @throws IOException if no port can be bound
   */
  public static TestHttpServer start() throws IOException {
    TestHttpServer s = new TestHttpServer();
    s.server.start();
    return s;
  }

  /**
   * Serves requests whose path starts with {@code path} with {@code handler}.
   *
   * @return this server
   */
  public TestHttpServer route(String path, Handler handler) {
    server.createContext(
        path,
        raw -> {
          hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
          try {
            handler.handle(new Exchange(raw));
          } catch (Exception e) {
            // the client sees a reset or a truncated reply; that is what some tests want
          } finally {
            raw.close();
          }
        });
    return this;
  }

  /** Returns how many requests reached the route {@code path}. */
  public int hits(String path) {
    AtomicInteger n = hits.get(path);
    return n == null ? 0 : n.get();
  }

  /** Returns the port the server listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Returns {@code http://127.0.0.1:PORT} followed by {@code path}. */
  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /** Stops the server and its threads. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One request and its response. */
  public static final class Exchange {
    private final HttpExchange exchange;

    Exchange(HttpExchange exchange) {
      this.exchange = exchange;
    }

    /** Returns the request method, such as {@code GET}. */
    public String method() {
      return exchange.getRequestMethod();
    }

    /** Returns the request URI: path and raw query. */
    public URI uri() {
      return exchange.getRequestURI();
    }

    /** Returns the first value of request header {@code name}, if present. */
    public Optional<String> requestHeader(String name) {
      return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
    }

    /**
     * Sets response header {@code name}.
     *
     * @return this exchange
     */
    public Exchange header(String name, String value) {
      exchange.getResponseHeaders().set(name, value);
      return this;
    }

    /**
     * Sends {@code body} with a Content-Length.
     *
     * @throws IOException if the client went away
     */
    public void send(int status, byte[] body) throws IOException {
      exchange.sendResponseHeaders(status, body.length == 0 ? -1L : body.length);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }

    /**
     * Sends the headers with a Content-Length of {@code length} (or chunked encoding for 0); the
     * caller writes the body, possibly fewer bytes than promised, and closes it.
     *
     * @throws IOException if the client went away
     */
    public OutputStream sendHeaders(int status, long length) throws IOException {
      exchange.sendResponseHeaders(status, length);
      return exchange.getResponseBody();
    }

    /**
     * Sends the headers with chunked encoding; the caller writes the body and closes it.
     *
     * @throws IOException if the client went away
     */
    public OutputStream sendChunked(int status) throws IOException {
      return sendHeaders(status, 0);
    }

    /**
     * Redirects to {@code location}.
     *
     * @throws IOException if the client went away
     */
    public void redirect(int status, String location) throws IOException {
      header("Location", location);
      send(status, new byte[0]);
    }
  }
}
