package dev.bitwright.tracker;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
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
 * The JDK's {@code com.sun.net.httpserver.HttpServer} on 127.0.0.1 (port 0), driven through
 * reflection.
 *
 * <p>Why reflection: Maven compiles these tests patched into the {@code dev.bitwright.tracker}
 * module, which does not read {@code jdk.httpserver}, so javac refuses the {@code
 * com.sun.net.httpserver} types ("package is not visible"); the module must not require it just for
 * tests. At run time the tests are on the class path, where the package is accessible.
 */
final class JdkHttpServer implements AutoCloseable {
  /** Handles one exchange; the exchange is closed afterwards whatever happens. */
  interface Handler {
    void handle(Exchange exchange) throws Exception;
  }

  private static final Class<?> SERVER = type("com.sun.net.httpserver.HttpServer");
  private static final Class<?> HANDLER = type("com.sun.net.httpserver.HttpHandler");
  private static final Class<?> EXCHANGE = type("com.sun.net.httpserver.HttpExchange");
  private static final Class<?> HEADERS = type("com.sun.net.httpserver.Headers");

  private final Object server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

  private JdkHttpServer() throws IOException {
    server =
        call(
            null,
            method(SERVER, "create", InetSocketAddress.class, int.class),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            0);
    call(server, method(SERVER, "setExecutor", java.util.concurrent.Executor.class), executor);
  }

  /** Starts a server with no contexts yet; add them with {@link #route}. */
  static JdkHttpServer start() throws IOException {
    JdkHttpServer s = new JdkHttpServer();
    call(s.server, method(SERVER, "start"));
    return s;
  }

  /** Serves requests whose path starts with {@code path} with {@code handler}. */
  JdkHttpServer route(String path, Handler handler) throws IOException {
    Object proxy =
        Proxy.newProxyInstance(
            JdkHttpServer.class.getClassLoader(),
            new Class<?>[] {HANDLER},
            (self, m, args) -> {
              if (m.getName().equals("handle") && args != null && args.length == 1) {
                Exchange exchange = new Exchange(args[0]);
                hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                try {
                  handler.handle(exchange);
                } catch (Exception e) {
                  // the client sees a reset or a truncated reply; that is what some tests want
                } finally {
                  exchange.close();
                }
                return null;
              }
              if (m.getName().equals("hashCode")) {
                return System.identityHashCode(self);
              }
              if (m.getName().equals("equals")) {
                return self == args[0];
              }
              return "JdkHttpServer handler for " + path;
            });
    call(server, method(SERVER, "createContext", String.class, HANDLER), path, proxy);
    return this;
  }

  /** Returns how many requests reached the route {@code path}. */
  int hits(String path) {
    AtomicInteger n = hits.get(path);
    return n == null ? 0 : n.get();
  }

  int port() throws IOException {
    return ((InetSocketAddress) call(server, method(SERVER, "getAddress"))).getPort();
  }

  /** Returns {@code http://127.0.0.1:PORT} followed by {@code path}. */
  String url(String path) throws IOException {
    return "http://127.0.0.1:" + port() + path;
  }

  @Override
  public void close() throws IOException {
    try {
      call(server, method(SERVER, "stop", int.class), 0);
    } finally {
      executor.shutdownNow();
      try {
        executor.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** One request and its response. */
  static final class Exchange {
    private final Object exchange;

    Exchange(Object exchange) {
      this.exchange = exchange;
    }

    URI uri() throws IOException {
      return (URI) call(exchange, method(EXCHANGE, "getRequestURI"));
    }

    Optional<String> requestHeader(String name) throws IOException {
      Object headers = call(exchange, method(EXCHANGE, "getRequestHeaders"));
      return Optional.ofNullable(
          (String) call(headers, method(HEADERS, "getFirst", String.class), name));
    }

    Exchange header(String name, String value) throws IOException {
      Object headers = call(exchange, method(EXCHANGE, "getResponseHeaders"));
      call(headers, method(HEADERS, "set", String.class, String.class), name, value);
      return this;
    }

    /** Sends {@code body} with a Content-Length. */
    void send(int status, byte[] body) throws IOException {
      call(
          exchange,
          method(EXCHANGE, "sendResponseHeaders", int.class, long.class),
          status,
          body.length == 0 ? -1L : body.length);
      if (body.length > 0) {
        try (OutputStream out = body()) {
          out.write(body);
        }
      }
    }

    /** Sends the headers with chunked encoding; the caller writes the body and closes it. */
    OutputStream sendChunked(int status) throws IOException {
      call(exchange, method(EXCHANGE, "sendResponseHeaders", int.class, long.class), status, 0L);
      return body();
    }

    /** Redirects to {@code location}. */
    void redirect(int status, String location) throws IOException {
      header("Location", location);
      send(status, new byte[0]);
    }

    private OutputStream body() throws IOException {
      return (OutputStream) call(exchange, method(EXCHANGE, "getResponseBody"));
    }

    void close() throws IOException {
      call(exchange, method(EXCHANGE, "close"));
    }
  }

  private static Class<?> type(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "the JDK's HTTP server (module jdk.httpserver) is missing", e);
    }
  }

  private static Method method(Class<?> type, String name, Class<?>... parameters)
      throws IOException {
    try {
      return type.getMethod(name, parameters);
    } catch (NoSuchMethodException e) {
      throw new IOException(e);
    }
  }

  private static Object call(Object target, Method method, Object... args) throws IOException {
    try {
      return method.invoke(target, args);
    } catch (IllegalAccessException e) {
      throw new IOException(e);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause());
    }
  }
}
