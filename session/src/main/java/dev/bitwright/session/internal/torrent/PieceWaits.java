package dev.bitwright.session.internal.torrent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What readers of a torrent's files wait for and ask for: a future per piece that completes when
 * the piece is verified, and piece deadlines held by count, so that several readers can want one
 * piece and the last to let go clears its deadline. Loop thread only.
 */
public final class PieceWaits {
  private final TorrentRuntime torrent;
  private final Map<Integer, CompletableFuture<Void>> waits = new HashMap<>();
  private final Map<Integer, Integer> holds = new HashMap<>();
  private boolean removed;

  PieceWaits(TorrentRuntime torrent) {
    this.torrent = torrent;
  }

  /**
   * Returns a future that completes when {@code piece} is verified (at once if it is), or fails
   * with an {@link IllegalStateException} when the torrent is removed first. Readers must not
   * complete it: it is shared.
   */
  public CompletableFuture<Void> whenVerified(int piece) {
    if (removed) {
      return CompletableFuture.failedFuture(new IllegalStateException("the torrent was removed"));
    }
    if (torrent.dataKnown() && torrent.data().picker().have(piece)) {
      if (!torrent.data().mustVerifyBeforeUpload(piece)) {
        return CompletableFuture.completedFuture(null);
      }
      // Seed mode trusts the piece unhashed: a reader gets it once it proves good.
      CompletableFuture<Void> proved = new CompletableFuture<>();
      torrent
          .data()
          .verifyBeforeUpload(
              piece,
              good -> {
                if (good) {
                  proved.complete(null);
                } else {
                  proved.completeExceptionally(
                      new IllegalStateException("piece " + piece + " failed its check"));
                }
              });
      return proved;
    }
    return waits.computeIfAbsent(piece, p -> new CompletableFuture<>());
  }

  /** Asks for {@code piece} within {@code in}, for one more reader. */
  public void hold(int piece, Duration in) {
    holds.merge(piece, 1, Integer::sum);
    torrent.settings().setDeadline(piece, in);
  }

  /** One reader lets go of {@code piece}: the last clears its deadline. */
  public void release(int piece) {
    Integer left = holds.computeIfPresent(piece, (p, n) -> n > 1 ? n - 1 : null);
    if (left == null) {
      torrent.settings().clearDeadline(piece);
    }
  }

  /** {@code piece} is verified: its readers go on. */
  void verified(int piece) {
    CompletableFuture<Void> waiting = waits.remove(piece);
    if (waiting != null) {
      waiting.complete(null);
    }
  }

  /** A check is over: the pieces it found are verified. */
  void checked() {
    for (int piece : List.copyOf(waits.keySet())) {
      if (torrent.data().picker().have(piece)) {
        verified(piece);
      }
    }
  }

  /** The torrent is removed: every reader fails. */
  void removed() {
    removed = true;
    List<CompletableFuture<Void>> waiting = new ArrayList<>(waits.values());
    waits.clear();
    holds.clear();
    waiting.forEach(
        f -> f.completeExceptionally(new IllegalStateException("the torrent was removed")));
  }
}
