package dev.bitwright.session.internal.web;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read straight into a slice of the caller's array (a job's buffer: no array of its
 * own, no copy later) of at most {@code limit} bytes: a server that sends more is cut off (the body
 * fails), so a web seed can never make us hold more than we asked for. The body's value is the
 * number of bytes it wrote.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<Integer> {
  private final CompletableFuture<Integer> result = new CompletableFuture<>();
  private final byte[] target;
  private final int start;
  private final int limit;
  private int length;
  private Flow.Subscription subscription;

  private BoundedBody(byte[] target, int start, int limit) {
    this.target = target;
    this.start = start;
    this.limit = limit;
  }

  /**
   * Returns a subscriber whose body goes to {@code target} from {@code start}, at most {@code
   * limit}.
   */
  static HttpResponse.BodySubscriber<Integer> into(byte[] target, int start, int limit) {
    return new BoundedBody(target, start, limit);
  }

  @Override
  public CompletionStage<Integer> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer b : items) {
      if (b.remaining() > limit - length) {
        subscription.cancel();
        result.completeExceptionally(
            new WebSeedException(
                WebSeedException.Kind.BAD_RESPONSE,
                "body longer than the " + limit + " bytes asked for",
                Optional.empty()));
        return;
      }
      int n = b.remaining();
      b.get(target, start + length, n);
      length += n;
    }
  }

  @Override
  public void onError(Throwable error) {
    result.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    result.complete(length);
  }
}
