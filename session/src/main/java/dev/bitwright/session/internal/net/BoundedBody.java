package dev.bitwright.session.internal.net;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Supplier;

/**
 * A response body read straight into a slice of the caller's array (a web seed job's buffer: no
 * array of its own, no copy later) of at most {@code limit} bytes: a server that sends more is cut
 * off (the body fails with the caller's exception), so a web seed or a gateway can never make us
 * hold more than we asked for. The body's value is the number of bytes it wrote.
 */
public final class BoundedBody implements HttpResponse.BodySubscriber<Integer> {
  private final CompletableFuture<Integer> result = new CompletableFuture<>();
  private final byte[] target;
  private final int start;
  private final int limit;
  private final Supplier<? extends Throwable> tooLong;
  private int length;
  private Flow.Subscription subscription;

  private BoundedBody(byte[] target, int start, int limit, Supplier<? extends Throwable> tooLong) {
    this.target = target;
    this.start = start;
    this.limit = limit;
    this.tooLong = tooLong;
  }

  /**
   * Returns a subscriber whose body goes to {@code target} from {@code start}, at most {@code
   * limit}; a longer body fails with what {@code tooLong} makes.
   */
  public static HttpResponse.BodySubscriber<Integer> into(
      byte[] target, int start, int limit, Supplier<? extends Throwable> tooLong) {
    return new BoundedBody(target, start, limit, tooLong);
  }

  /**
   * Returns a handler whose bodies are read into arrays of their own of at most {@code limit}
   * bytes; a longer body fails with what {@code tooLong} makes.
   */
  public static HttpResponse.BodyHandler<byte[]> capped(
      int limit, Supplier<? extends Throwable> tooLong) {
    return info -> {
      byte[] buffer = new byte[limit];
      return HttpResponse.BodySubscribers.mapping(
          into(buffer, 0, limit, tooLong), n -> Arrays.copyOf(buffer, n));
    };
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
        result.completeExceptionally(tooLong.get());
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
