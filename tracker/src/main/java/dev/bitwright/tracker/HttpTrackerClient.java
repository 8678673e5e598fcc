package dev.bitwright.tracker;

import static com.google.common.base.Preconditions.checkNotNull;

import dev.bitwright.metainfo.InfoHash;
import dev.bitwright.tracker.internal.BoundedBody;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * Announces and scrapes over HTTP(S) with {@link HttpClient}: TLS, HTTP/1.1 and connection reuse
 * come with the JDK, and its asynchronous API needs no thread of ours per request.
 *
 * <p>Redirects are followed by hand, at most {@value #MAX_REDIRECTS}, and only to {@code http} or
 * {@code https} URLs (a redirect elsewhere is a {@link TrackerException}). Replies may be gzip
 * encoded; bodies beyond {@link HttpTracker#MAX_RESPONSE_SIZE} (compressed or not) fail without
 * being held in memory. Every request has a timeout. Failures complete the future exceptionally
 * with a {@link TrackerException}.
 *
 * <p>Unlike the package's sans-I/O state machines, this class does its own I/O (the design allows
 * it for HTTP trackers): one future per request, completed on the {@link HttpClient}'s executor,
 * and its timeouts run on the JDK's timers, not on an injected clock.
 */
public final class HttpTrackerClient {
  /** The most redirects followed for one request. */
  public static final int MAX_REDIRECTS = 5;

  private final HttpClient http;
  private final Duration timeout;
  private final String userAgent;

  /**
   * Creates a client.
   *
   * @param http the client to send with; build it with {@code Redirect.NEVER} (redirects are
   *     handled here) and the session's executor
   * @param timeout the time allowed for each request, redirects included
   * @param userAgent the {@code User-Agent} header
   */
  public HttpTrackerClient(HttpClient http, Duration timeout, String userAgent) {
    this.http = checkNotNull(http);
    this.timeout = checkNotNull(timeout);
    this.userAgent = checkNotNull(userAgent);
  }

  /**
   * Announces {@code request} to {@code trackerUrl}.
   *
   * @param trackerUrl the tracker's {@code http} or {@code https} announce URL
   * @param request the announce's fields
   * @return the tracker's answer; completed exceptionally with a {@link TrackerException} on
   *     failure or timeout
   */
  public CompletableFuture<AnnounceResponse> announce(String trackerUrl, AnnounceRequest request) {
    try {
      return withDeadline(fetch(HttpTracker.announceUri(trackerUrl, request), 0), trackerUrl)
          .thenApply(unchecked(HttpTracker::parseAnnounce));
    } catch (TrackerException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Scrapes {@code infoHashes} at the scrape URL derived from {@code trackerUrl} (BEP 48); fails
   * with a {@link TrackerException} if the tracker URL does not allow scraping.
   *
   * @param trackerUrl the tracker's {@code http} or {@code https} announce URL
   * @param infoHashes the 20-byte info-hashes to ask about
   * @return the statistics by info-hash; completed exceptionally with a {@link TrackerException} on
   *     failure or timeout
   */
  public CompletableFuture<Map<InfoHash, ScrapeStats>> scrape(
      String trackerUrl, List<byte[]> infoHashes) {
    try {
      Optional<URI> uri = HttpTracker.scrapeUri(trackerUrl, infoHashes);
      if (uri.isEmpty()) {
        throw new TrackerException("tracker URL does not allow scraping: " + trackerUrl, false);
      }
      return withDeadline(fetch(uri.get(), 0), trackerUrl)
          .thenApply(unchecked(HttpTracker::parseScrape));
    } catch (TrackerException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The timeout covers the whole request, redirects included. */
  private CompletableFuture<byte[]> withDeadline(CompletableFuture<byte[]> fetch, String url) {
    return fetch
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (body, error) -> {
              if (error == null) {
                return body;
              }
              Throwable cause = error instanceof CompletionException ? error.getCause() : error;
              if (cause instanceof TimeoutException) {
                throw new CompletionException(
                    new TrackerException(
                        "HTTP tracker " + url + " did not answer in " + timeout, false));
              }
              throw error instanceof CompletionException c ? c : new CompletionException(error);
            });
  }

  private CompletableFuture<byte[]> fetch(URI uri, int redirects) {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("User-Agent", userAgent)
            .header("Accept-Encoding", "gzip")
            .GET()
            .build();
    return http.sendAsync(request, BoundedBody.handler(HttpTracker.MAX_RESPONSE_SIZE))
        .handle(
            (response, error) -> {
              if (error != null) {
                throw new CompletionException(
                    new TrackerException(
                        "HTTP tracker " + uri.getHost() + ": " + describe(error), error));
              }
              return response;
            })
        .thenCompose(response -> follow(uri, response, redirects));
  }

  private CompletableFuture<byte[]> follow(URI uri, HttpResponse<byte[]> response, int redirects) {
    int status = response.statusCode();
    if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
      Optional<String> location = response.headers().firstValue("Location");
      if (location.isEmpty() || redirects >= MAX_REDIRECTS) {
        return failed("too many or broken redirects from " + uri.getHost());
      }
      URI next = uri.resolve(location.get());
      String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return failed("redirect to a " + scheme + " URL refused: " + next);
      }
      return fetch(next, redirects + 1);
    }
    if (status != 200) {
      return failed("HTTP tracker " + uri.getHost() + " answered HTTP " + status);
    }
    try {
      return CompletableFuture.completedFuture(decode(response));
    } catch (TrackerException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static byte[] decode(HttpResponse<byte[]> response) throws TrackerException {
    boolean gzip =
        response
            .headers()
            .firstValue("Content-Encoding")
            .map(e -> e.equalsIgnoreCase("gzip"))
            .orElse(false);
    if (!gzip) {
      return response.body();
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
      byte[] body = in.readNBytes(HttpTracker.MAX_RESPONSE_SIZE + 1);
      if (body.length > HttpTracker.MAX_RESPONSE_SIZE) {
        throw new TrackerException(
            "gzip reply larger than " + HttpTracker.MAX_RESPONSE_SIZE, false);
      }
      return body;
    } catch (IOException e) {
      throw new TrackerException("bad gzip reply: " + e.getMessage(), e);
    }
  }

  private static <T> CompletableFuture<T> failed(String message) {
    return CompletableFuture.failedFuture(new TrackerException(message, false));
  }

  private static String describe(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
  }

  /** A parser that may throw, as a function for {@code thenApply}. */
  private interface Parser<T> {
    T parse(byte[] body) throws TrackerException;
  }

  private static <T> Function<byte[], T> unchecked(Parser<T> parser) {
    return body -> {
      try {
        return parser.parse(body);
      } catch (TrackerException e) {
        throw new CompletionException(e);
      }
    };
  }
}
