package dev.bitwright.session.internal.web;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Ranged {@code GET}s over plain HTTP/1.1 on the calling thread, for {@code http} web seeds: the
 * bulk path of a launcher's CDN, where {@code java.net.http}'s reactive pipeline cost several times
 * the CPU of the transfer itself. Connections are kept alive and reused per origin (idle ones at
 * most {@value #IDLE_SECONDS} s, {@value #MAX_IDLE_PER_ORIGIN} per origin, {@value #MAX_IDLE} in
 * all); a request that fails on a reused connection before any answer arrived is sent once more on
 * a new one. Redirects are followed up to {@value #MAX_REDIRECTS} times; one to {@code https} is
 * handed back to the caller. Thread-safe; {@link #close()} closes every connection, waking the
 * threads that wait on them.
 */
final class PlainHttpClient implements AutoCloseable {
  private static final int MAX_REDIRECTS = 5;
  private static final int IDLE_SECONDS = 30;
  private static final int MAX_IDLE_PER_ORIGIN = 8;
  // Idle connections in all: a web seed that redirects to ever new origins cannot pile them up.
  private static final int MAX_IDLE = 32;
  // An unused answer's body up to this is read and dropped to keep its connection; longer, closed.
  private static final int MAX_SKIPPED_BODY = 64 * 1024;

  private final String userAgent;
  private final Duration timeout;
  private final LongSupplier nanoTime;
  private final Map<String, ArrayDeque<HttpConnection>> idle = new HashMap<>();
  private final Set<HttpConnection> open = new HashSet<>();
  private boolean closed;

  /**
   * Creates a client.
   *
   * @param timeout the longest a request may take, connecting and answer included
   * @param nanoTime the clock of the timeouts
   */
  PlainHttpClient(String userAgent, Duration timeout, LongSupplier nanoTime) {
    this.userAgent = userAgent.replaceAll("[\\x00-\\x1f\\x7f]", "");
    this.timeout = timeout;
    this.nanoTime = nanoTime;
  }

  /**
   * Fetches {@code length} bytes from {@code offset} of the file at {@code url} (of {@code
   * fileLength} bytes) into {@code target} from {@code at}, on the calling thread.
   *
   * @return the {@code https} location a redirect led to, which this client does not speak (the
   *     caller fetches it another way), or empty once the bytes are in {@code target}
   * @throws WebSeedException if the request fails, of the kind that says why
   */
  Optional<URI> fetch(URI url, long offset, int length, long fileLength, byte[] target, int at)
      throws WebSeedException {
    long deadline = nanoTime.getAsLong() + timeout.toNanos();
    URI current = url;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (!"http".equalsIgnoreCase(current.getScheme())) {
        return Optional.of(current);
      }
      Optional<URI> next = fetchOnce(current, offset, length, fileLength, target, at, deadline);
      if (next.isEmpty()) {
        return Optional.empty();
      }
      current = next.get();
    }
    throw RangeAnswer.bad("more than " + MAX_REDIRECTS + " redirects");
  }

  /** Makes one request; returns where it was redirected to, or empty when the bytes arrived. */
  private Optional<URI> fetchOnce(
      URI url, long offset, int length, long fileLength, byte[] target, int at, long deadline)
      throws WebSeedException {
    String host = hostOf(url);
    int port = url.getPort() < 0 ? 80 : url.getPort();
    String origin = host.toLowerCase(Locale.ROOT) + ":" + port;
    byte[] request = request(url, offset, length, fileLength);
    HttpConnection connection = take(origin);
    boolean reusable = false;
    try {
      HttpHead head;
      boolean reused = connection != null;
      try {
        if (connection == null) {
          connection = connect(host, port, deadline);
        }
        head = exchange(connection, request, deadline);
      } catch (IOException e) {
        if (!reused || connection.answered() || e instanceof SocketTimeoutException) {
          throw e;
        }
        discard(connection); // closed by the server while it was idle: once more on a new one
        connection = connect(host, port, deadline);
        head = exchange(connection, request, deadline);
      }
      Optional<URI> redirect = redirectOf(url, head);
      if (redirect.isPresent()) {
        reusable = skipQuietly(connection, head);
        return redirect;
      }
      try {
        RangeAnswer.check(head.status(), head::field, offset, length, fileLength);
      } catch (WebSeedException e) {
        reusable = skipQuietly(connection, head);
        throw e;
      }
      int received = connection.readBody(head, target, at, length);
      RangeAnswer.checkBody(received, length);
      reusable =
          head.keepsAlive()
              && (head.isChunked() || head.contentLength() >= 0)
              && connection.drained();
      return Optional.empty();
    } catch (WebSeedException e) {
      throw e;
    } catch (IOException e) {
      throw new WebSeedException(
          WebSeedException.Kind.NETWORK, String.valueOf(e.getMessage()), Optional.empty());
    } finally {
      if (connection != null) {
        if (reusable) {
          release(origin, connection);
        } else {
          discard(connection);
        }
      }
    }
  }

  /**
   * Drops the body of an answer that is not used; returns whether the connection can be used again.
   * A failure here only costs the connection: the answer's own fault is what the caller reports.
   */
  private static boolean skipQuietly(HttpConnection connection, HttpHead head) {
    try {
      return connection.skipBody(head, MAX_SKIPPED_BODY) && connection.drained();
    } catch (IOException e) {
      return false;
    }
  }

  private static HttpHead exchange(HttpConnection connection, byte[] request, long deadline)
      throws IOException {
    connection.send(request, deadline);
    return connection.readHead();
  }

  /** Returns the request's bytes: a {@code GET} of the range, or of the whole file. */
  private byte[] request(URI url, long offset, int length, long fileLength) {
    URI ascii = URI.create(url.toASCIIString());
    String path =
        ascii.getRawPath() == null || ascii.getRawPath().isEmpty() ? "/" : ascii.getRawPath();
    String query = ascii.getRawQuery() == null ? "" : "?" + ascii.getRawQuery();
    String hostField =
        ascii.getHost()
            + (ascii.getPort() < 0 || ascii.getPort() == 80 ? "" : ":" + ascii.getPort());
    StringBuilder r = new StringBuilder(256);
    r.append("GET ").append(path).append(query).append(" HTTP/1.1\r\n");
    r.append("Host: ").append(hostField).append("\r\n");
    r.append("User-Agent: ").append(userAgent).append("\r\n");
    r.append("Accept-Encoding: identity\r\n");
    if (!RangeAnswer.isWholeFile(offset, length, fileLength)) {
      r.append("Range: ").append(RangeAnswer.rangeOf(offset, length)).append("\r\n");
    }
    r.append("\r\n");
    return r.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Returns the URL's host, an IPv6 literal without its brackets. */
  private static String hostOf(URI url) throws WebSeedException {
    String host = url.getHost();
    if (host == null || host.isEmpty()) {
      throw RangeAnswer.bad("no host in " + url);
    }
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** Returns where a redirect answer sends us, resolved against {@code url}, if it is one. */
  private static Optional<URI> redirectOf(URI url, HttpHead head) throws WebSeedException {
    int status = head.status();
    if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
      return Optional.empty();
    }
    Optional<String> location = head.field("Location");
    if (location.isEmpty()) {
      throw RangeAnswer.bad("HTTP " + status + " without a Location");
    }
    try {
      return Optional.of(url.resolve(new URI(location.get())));
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      throw RangeAnswer.bad("a redirect to a malformed Location");
    }
  }

  private HttpConnection connect(String host, int port, long deadline) throws IOException {
    HttpConnection connection = HttpConnection.unconnected(nanoTime);
    synchronized (this) {
      if (closed) {
        throw new IOException("the session is closing");
      }
      open.add(connection); // from now on close() ends the connect too
    }
    connection.connect(host, port, deadline);
    return connection;
  }

  /** Returns an idle connection to {@code origin}, if one has not been idle too long. */
  private synchronized HttpConnection take(String origin) {
    sweep();
    ArrayDeque<HttpConnection> waiting = idle.get(origin);
    return waiting == null ? null : waiting.pollLast();
  }

  private synchronized void release(String origin, HttpConnection connection) {
    sweep();
    ArrayDeque<HttpConnection> waiting = idle.computeIfAbsent(origin, o -> new ArrayDeque<>());
    if (closed || waiting.size() >= MAX_IDLE_PER_ORIGIN || idleCount() >= MAX_IDLE) {
      discard(connection);
      return;
    }
    connection.idle();
    waiting.addLast(connection);
  }

  /** Closes the idle connections that waited too long, and forgets origins left with none. */
  private void sweep() {
    long oldest = nanoTime.getAsLong() - Duration.ofSeconds(IDLE_SECONDS).toNanos();
    for (var it = idle.values().iterator(); it.hasNext(); ) {
      ArrayDeque<HttpConnection> waiting = it.next();
      while (!waiting.isEmpty() && waiting.peekFirst().idleSince() - oldest <= 0) {
        discard(waiting.pollFirst());
      }
      if (waiting.isEmpty()) {
        it.remove();
      }
    }
  }

  private int idleCount() {
    int n = 0;
    for (ArrayDeque<HttpConnection> waiting : idle.values()) {
      n += waiting.size();
    }
    return n;
  }

  private synchronized void discard(HttpConnection connection) {
    open.remove(connection);
    connection.close();
  }

  /** Closes every connection, idle or in use (their threads fail with a network error). */
  @Override
  public synchronized void close() {
    closed = true;
    for (HttpConnection c : open) {
      c.close();
    }
    open.clear();
    idle.clear();
  }
}
