package dev.bitwright.session.internal.torrent;

import dev.bitwright.session.TorrentFailedException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The future of a torrent's current attempt to complete: it completes when every wanted piece is
 * verified, fails with {@link TorrentFailedException} on an error, and is replaced by a new one
 * when the torrent is resumed after an error. Removal fails it for good. Any thread.
 */
final class TorrentCompletion {
  private final AtomicReference<CompletableFuture<Void>> current =
      new AtomicReference<>(new CompletableFuture<>());

  /** Returns the future of the current attempt. */
  CompletableFuture<Void> future() {
    return current.get();
  }

  /**
   * Starts a new attempt when the last one failed on an error, so that the future can complete
   * again (the caller of a resume sees the new future at once).
   */
  void renewAfterError() {
    // A removal swaps in a future failed for good (see removed), which this never replaces.
    current.updateAndGet(f -> failedOnError(f) ? new CompletableFuture<>() : f);
  }

  private static boolean failedOnError(CompletableFuture<Void> f) {
    if (!f.isCompletedExceptionally()) {
      return false;
    }
    try {
      f.getNow(null);
      return false;
    } catch (CompletionException e) {
      return e.getCause() instanceof TorrentFailedException;
    } catch (CancellationException e) {
      return false;
    }
  }

  /** The attempt succeeded. */
  void complete() {
    current.get().complete(null);
  }

  /** The attempt failed. */
  void fail(TorrentFailedException error) {
    current.get().completeExceptionally(error);
  }

  /** The torrent was removed: this and every later attempt fail. */
  void removed() {
    CompletableFuture<Void> gone = new CompletableFuture<>();
    gone.completeExceptionally(new IllegalStateException("torrent removed"));
    current.getAndSet(gone).completeExceptionally(new IllegalStateException("torrent removed"));
  }
}
