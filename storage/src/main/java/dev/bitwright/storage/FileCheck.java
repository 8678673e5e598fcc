package dev.bitwright.storage;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.util.BitSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A recheck of existing data ("check files"): verifies a set of pieces on several lanes at once and
 * reports which are valid. Each lane holds one 128 KiB buffer, so memory stays bounded whatever the
 * torrent's size. Lanes run on the executor the caller gives (the session's disk executor); none is
 * started here.
 *
 * <pre>{@code
 * FileCheck check = FileCheck.start(store, store.map().allPieces(), executor, 2, progress);
 * BitSet valid = check.result().join();
 * }</pre>
 */
public final class FileCheck {
  /** Receives progress; called from the checking threads, one call at a time. */
  @FunctionalInterface
  public interface ProgressListener {
    /**
     * Called after each piece with growing values; must return quickly.
     *
     * @param checkedPieces pieces checked so far
     * @param totalPieces pieces to check in all
     * @param checkedBytes bytes read so far
     */
    void onProgress(int checkedPieces, int totalPieces, long checkedBytes);
  }

  private final PieceStore store;
  private final int[] pieces;
  private final ProgressListener listener;
  private final BitSet valid = new BitSet();
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger checked = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final CompletableFuture<BitSet> result = new CompletableFuture<>();

  private FileCheck(PieceStore store, BitSet toCheck, ProgressListener listener) {
    this.store = store;
    this.pieces = toCheck.stream().toArray();
    this.listener = listener;
  }

  /**
   * Starts checking the pieces in {@code toCheck} on {@code lanes} tasks of {@code executor}.
   *
   * @param store the store whose pieces are read and hashed
   * @param toCheck the indices of the pieces to check; copied
   * @param executor runs the lanes, such as the session's disk executor
   * @param lanes how many pieces are checked at once, each with its own buffer; at least 1
   * @param listener receives the progress
   * @return the running check, whose {@link #result()} completes with the valid pieces
   * @throws IllegalArgumentException if {@code lanes < 1} or a piece index is out of range
   */
  public static FileCheck start(
      PieceStore store, BitSet toCheck, Executor executor, int lanes, ProgressListener listener) {
    checkNotNull(store);
    checkNotNull(executor);
    checkNotNull(listener);
    checkArgument(lanes >= 1, "lanes must be at least 1: %s", lanes);
    checkArgument(
        toCheck.isEmpty() || toCheck.length() <= store.map().pieceCount(), "piece out of range");
    FileCheck check = new FileCheck(store, toCheck, listener);
    int tasks = Math.max(1, Math.min(lanes, check.pieces.length));
    check.running.set(tasks);
    for (int i = 0; i < tasks; i++) {
      try {
        executor.execute(check::lane);
      } catch (RuntimeException e) {
        check.fail(e);
        check.laneDone();
      }
    }
    return check;
  }

  /**
   * {@return the valid pieces among those checked, when all are checked} It completes exceptionally
   * with the first {@link StorageException} (or other failure), or with a {@link
   * CancellationException} after {@link #cancel()}.
   */
  public CompletableFuture<BitSet> result() {
    return result.copy();
  }

  /** Stops the check soon: lanes finish the piece in hand and the result is cancelled. */
  public void cancel() {
    cancelled.set(true);
  }

  private void lane() {
    try {
      while (!cancelled.get() && !result.isDone()) {
        int i = next.getAndIncrement();
        if (i >= pieces.length) {
          break;
        }
        int piece = pieces[i];
        boolean ok = store.verifyPiece(piece);
        synchronized (valid) {
          if (ok) {
            valid.set(piece);
          }
          listener.onProgress(
              checked.incrementAndGet(),
              pieces.length,
              bytes.addAndGet(store.map().pieceSize(piece)));
        }
      }
    } catch (IOException | RuntimeException e) {
      fail(e);
    } finally {
      laneDone();
    }
  }

  private void fail(Throwable e) {
    result.completeExceptionally(e);
  }

  private void laneDone() {
    if (running.decrementAndGet() == 0) {
      if (cancelled.get()) {
        result.completeExceptionally(new CancellationException("file check cancelled"));
      } else {
        synchronized (valid) {
          result.complete((BitSet) valid.clone());
        }
      }
    }
  }
}
