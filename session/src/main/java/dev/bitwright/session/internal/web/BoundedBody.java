package dev.bitwright.session.internal.web;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into one array of at most {@code limit} bytes: a server that sends more is
 * cut off (the body fails), so a web seed can never make us hold more than we asked for.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final byte[] bytes;
  private int length;
  private Flow.Subscription subscription;

  private BoundedBody(int limit) {
    this.bytes = new byte[limit];
  }

  /** Returns a subscriber whose body holds at most {@code limit} bytes. */
  static HttpResponse.BodySubscriber<byte[]> of(int limit) {
    return new BoundedBody(limit);
  }

  @Override
  public CompletionStage<byte[]> getBody() {
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
      if (b.remaining() > bytes.length - length) {
        subscription.cancel();
        result.completeExceptionally(
            new IOException("body longer than the " + bytes.length + " bytes asked for"));
        return;
      }
      int n = b.remaining();
      b.get(bytes, length, n);
      length += n;
    }
  }

  @Override
  public void onError(Throwable error) {
    result.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    result.complete(length == bytes.length ? bytes : Arrays.copyOf(bytes, length));
  }
}
