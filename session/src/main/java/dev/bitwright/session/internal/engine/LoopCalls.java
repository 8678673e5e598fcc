package dev.bitwright.session.internal.engine;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The futures of calls other threads post to the loop, and what killed the loop, if it died: a call
 * then fails at once, and the calls still waiting fail when it dies, instead of waiting forever.
 * Thread-safe.
 */
final class LoopCalls {
  private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
  private volatile Throwable failure;

  /**
   * Returns a future for a call posted to the loop (any thread): it fails at once if the loop has
   * died, or when it dies before answering.
   */
  <T> CompletableFuture<T> call() {
    CompletableFuture<T> f = new CompletableFuture<>();
    Throwable dead = failure;
    if (dead != null) {
      f.completeExceptionally(new IllegalStateException("the session failed: " + dead, dead));
      return f;
    }
    pending.add(f);
    f.whenComplete((v, e) -> pending.remove(f));
    if (failure != null) {
      failPending(failure); // it died between the check and the registration
    }
    return f;
  }

  /** The loop died of {@code cause}: every call waiting fails, and every call from now on. */
  void loopFailed(Throwable cause) {
    failure = cause;
    failPending(cause);
  }

  private void failPending(Throwable cause) {
    for (CompletableFuture<?> f : List.copyOf(pending)) {
      f.completeExceptionally(new IllegalStateException("the session failed: " + cause, cause));
    }
  }

  /** Returns what stopped the loop, if it died. */
  Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }
}
