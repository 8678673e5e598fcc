package dev.bitwright.session.internal.web;

import com.google.common.base.Suppliers;
import dev.bitwright.session.internal.net.BoundedBody;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Fetches byte ranges of files from web seeds: one {@code Range} request per file range, the answer
 * checked ({@link RangeAnswer}: {@code 206} with the {@code Content-Range} asked for, or {@code
 * 200} when the range is the whole file, and exactly the bytes asked for), every failure reported
 * as a {@link WebSeedException} of a kind the caller acts on, bodies bounded by what was asked for
 * and read straight into the caller's array. {@code http} goes over the session's own HTTP/1.1
 * client ({@link PlainHttpClient}: keep-alive connections, the body read from the socket into the
 * job's buffer); {@code https} over {@code java.net.http} (the platform's TLS and trust store,
 * HTTP/2 where offered), created when the first {@code https} request needs it. Requests wait for
 * their answers on the {@code requests} threads. Thread-safe.
 */
public final class WebSeedClient implements AutoCloseable {
  private final PlainHttpClient plain;
  private final Supplier<HttpClient> https;
  private final Executor requests;
  private final String userAgent;
  private final Duration timeout;

  /**
   * Creates a client.
   *
   * @param https makes the client for {@code https} (which sets its redirects, connect timeout and
   *     executor), called once, when the first {@code https} request needs it
   * @param requests the threads that wait for answers, one per request on its way
   * @param timeout the longest a request may take, answer included
   * @param nanoTime the clock of the timeouts
   */
  public WebSeedClient(
      Supplier<HttpClient> https,
      Executor requests,
      String userAgent,
      Duration timeout,
      LongSupplier nanoTime) {
    this.plain = new PlainHttpClient(userAgent, timeout, nanoTime);
    this.https = Suppliers.memoize(https::get);
    this.requests = requests;
    this.userAgent = userAgent;
    this.timeout = timeout;
  }

  /**
   * Fetches {@code length} bytes from {@code offset} of the file at {@code url}, whose length the
   * torrent gives as {@code fileLength}, into {@code target} from {@code at} (written by the
   * client's threads until the future completes; nothing beyond those {@code length} bytes). The
   * future fails with a {@link WebSeedException}.
   */
  public CompletableFuture<Void> fetch(
      URI url, long offset, int length, long fileLength, byte[] target, int at) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            Optional<URI> elsewhere = plain.fetch(url, offset, length, fileLength, target, at);
            if (elsewhere.isPresent()) {
              fetchWithJdk(elsewhere.get(), offset, length, fileLength, target, at);
            }
          } catch (WebSeedException e) {
            throw new CompletionException(e);
          }
        },
        requests);
  }

  /**
   * Fetches over {@code java.net.http}, waiting for the answer on this thread: {@code sendAsync}
   * would hand every answer to {@code CompletableFuture}'s default pool, which starts a thread per
   * task on machines of one or two cores.
   */
  private void fetchWithJdk(
      URI url, long offset, int length, long fileLength, byte[] target, int at)
      throws WebSeedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url).timeout(timeout).header("User-Agent", userAgent).GET();
    boolean wholeFile = RangeAnswer.isWholeFile(offset, length, fileLength);
    if (!wholeFile) {
      request.header("Range", RangeAnswer.rangeOf(offset, length));
    }
    // Only the answer that carries the bytes asked for is read; any other body is dropped unread.
    HttpResponse.BodyHandler<Integer> body =
        info ->
            info.statusCode() == 206 || (info.statusCode() == 200 && wholeFile)
                ? BoundedBody.into(
                    target,
                    at,
                    length,
                    () ->
                        new WebSeedException(
                            WebSeedException.Kind.BAD_RESPONSE,
                            "body longer than the " + length + " bytes asked for",
                            Optional.empty()))
                : HttpResponse.BodySubscribers.replacing(0);
    HttpResponse<Integer> response;
    try {
      response = https.get().send(request.build(), body);
    } catch (IOException | RuntimeException e) {
      throw WebSeedException.of(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WebSeedException(WebSeedException.Kind.NETWORK, "interrupted", Optional.empty());
    }
    RangeAnswer.check(
        response.statusCode(), response.headers()::firstValue, offset, length, fileLength);
    RangeAnswer.checkBody(response.body(), length);
  }

  /** Closes the connections kept alive; requests on their way fail. */
  @Override
  public void close() {
    plain.close();
  }
}
