package dev.bitwright.session.internal.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches byte ranges of files from web seeds over {@code java.net.http} (HTTP/1.1 keep-alive, or
 * HTTP/2 where the server offers it; {@code https} with the platform's trust store): one {@code
 * Range} request per file range, the answer checked — {@code 206} with the {@code Content-Range}
 * asked for (or {@code 200} when the range is the whole file) and exactly the bytes asked for — and
 * every failure reported as a {@link WebSeedException} of a kind the caller acts on. Bodies are
 * bounded by what was asked for. Thread-safe; the client's own threads do the I/O.
 */
public final class WebSeedClient {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
  private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);

  private final HttpClient http;
  private final Executor requests;
  private final String userAgent;
  private final Duration timeout;

  /**
   * Creates a client on {@code http}, which sets redirects (followed, with the JDK's bound of 5),
   * the connect timeout and the executor.
   *
   * @param requests the threads that wait for answers, one per request on its way
   * @param timeout the longest a request may take, answer included
   */
  public WebSeedClient(HttpClient http, Executor requests, String userAgent, Duration timeout) {
    this.http = http;
    this.requests = requests;
    this.userAgent = userAgent;
    this.timeout = timeout;
  }

  /**
   * Fetches {@code length} bytes from {@code offset} of the file at {@code url}, whose length the
   * torrent gives as {@code fileLength}, into {@code target} from {@code at} (written by the
   * client's threads until the future completes; nothing beyond those {@code length} bytes).
   */
  public CompletableFuture<Void> fetch(
      URI url, long offset, int length, long fileLength, byte[] target, int at) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url).timeout(timeout).header("User-Agent", userAgent).GET();
    boolean wholeFile = offset == 0 && length == fileLength;
    if (!wholeFile) {
      request.header("Range", "bytes=" + offset + "-" + (offset + length - 1));
    }
    // Only the answer that carries the bytes asked for is read; any other body is dropped unread.
    HttpResponse.BodyHandler<Integer> body =
        info ->
            info.statusCode() == 206 || (info.statusCode() == 200 && wholeFile)
                ? BoundedBody.into(target, at, length)
                : HttpResponse.BodySubscribers.replacing(0);
    HttpRequest built = request.build();
    return CompletableFuture.runAsync(
        () -> check(send(built, body), offset, length, fileLength, wholeFile), requests);
  }

  /**
   * Sends a request and waits for its answer, on one of the {@code requests} threads: {@code
   * sendAsync} would hand every answer to {@code CompletableFuture}'s default pool, which starts a
   * thread per task on machines of one or two cores.
   */
  private HttpResponse<Integer> send(HttpRequest request, HttpResponse.BodyHandler<Integer> body) {
    try {
      return http.send(request, body);
    } catch (IOException | RuntimeException e) {
      throw new CompletionException(WebSeedException.of(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException(
          new WebSeedException(WebSeedException.Kind.NETWORK, "interrupted", Optional.empty()));
    }
  }

  private static void check(
      HttpResponse<Integer> response, long offset, int length, long fileLength, boolean wholeFile) {
    int status = response.statusCode();
    if (status == 404 || status == 410) {
      throw fail(WebSeedException.Kind.FILE_MISSING, "HTTP " + status, Optional.empty());
    }
    if (status == 429 || status >= 500) {
      throw fail(
          WebSeedException.Kind.UNAVAILABLE, "HTTP " + status, retryAfter(response.headers()));
    }
    if (status == 200 && !wholeFile) {
      throw fail(WebSeedException.Kind.BAD_RESPONSE, "the server ignores Range", Optional.empty());
    }
    if (status != 200 && status != 206) {
      throw fail(WebSeedException.Kind.BAD_RESPONSE, "HTTP " + status, Optional.empty());
    }
    if (status == 206) {
      String range = response.headers().firstValue("Content-Range").orElse("");
      Matcher m = CONTENT_RANGE.matcher(range);
      if (!m.matches()
          || Long.parseLong(m.group(1)) != offset
          || Long.parseLong(m.group(2)) != offset + length - 1
          || (!m.group(3).equals("*") && Long.parseLong(m.group(3)) != fileLength)) {
        throw fail(
            WebSeedException.Kind.BAD_RESPONSE,
            "Content-Range \"" + range + "\" for bytes " + offset + "+" + length,
            Optional.empty());
      }
    }
    if (response.body() != length) {
      throw fail(
          WebSeedException.Kind.BAD_RESPONSE,
          "short body: " + response.body() + " of " + length + " bytes",
          Optional.empty());
    }
  }

  private static CompletionException fail(
      WebSeedException.Kind kind, String message, Optional<Duration> retryAfter) {
    return new CompletionException(new WebSeedException(kind, message, retryAfter));
  }

  /** Returns the delay of a {@code Retry-After} in seconds (dates are not honoured), bounded. */
  static Optional<Duration> retryAfter(HttpHeaders headers) {
    Optional<String> value = headers.firstValue("Retry-After");
    if (value.isEmpty() || !value.get().trim().matches("\\d{1,9}")) {
      return Optional.empty();
    }
    Duration d = Duration.ofSeconds(Long.parseLong(value.get().trim()));
    return Optional.of(d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d);
  }
}
