package dev.bitwright.session.internal.data;

import dev.bitwright.storage.PieceStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Seed mode's pieces (libtorrent's {@code seed_mode}): pieces a torrent was added with as complete,
 * trusted at start without hashing and verified one at a time, on the disk executor, before their
 * first upload. A piece that fails is reported, and the caller leaves seed mode. Requests waiting
 * for one piece are bounded ({@value #MAX_WAITING_PER_PIECE}; more are refused). Loop thread only.
 */
final class LazyVerification {
  static final int MAX_WAITING_PER_PIECE = 256;

  private final BitSet unverified;
  private final Map<Integer, List<TorrentData.Verdict>> waiting = new HashMap<>();
  private final DiskAccess access;
  private final PieceStore store;
  private final IntConsumer failed;

  /**
   * Starts with {@code assumed} unverified; {@code failed} hears of a piece that failed its check
   * (the caller leaves seed mode).
   */
  LazyVerification(BitSet assumed, DiskAccess access, PieceStore store, IntConsumer failed) {
    this.unverified = (BitSet) assumed.clone();
    this.access = access;
    this.store = store;
    this.failed = failed;
  }

  /** Returns whether {@code piece} is assumed and not verified yet. */
  boolean isUnverified(int piece) {
    return unverified.get(piece);
  }

  /** Returns how many pieces are still assumed. */
  int remaining() {
    return unverified.cardinality();
  }

  /** Returns the pieces of {@code have} that are verified: resume data records no others. */
  BitSet verifiedOf(BitSet have) {
    BitSet verified = (BitSet) have.clone();
    verified.andNot(unverified);
    return verified;
  }

  /**
   * Verifies {@code piece} if no one has asked yet, and tells {@code then} whether it is good; a
   * piece already verified is good at once.
   */
  void verify(int piece, TorrentData.Verdict then) {
    if (!unverified.get(piece)) {
      then.verified(true);
      return;
    }
    List<TorrentData.Verdict> asked = waiting.get(piece);
    if (asked != null) {
      if (asked.size() >= MAX_WAITING_PER_PIECE) {
        then.verified(false);
      } else {
        asked.add(then);
      }
      return;
    }
    asked = new ArrayList<>();
    asked.add(then);
    waiting.put(piece, asked);
    access
        .disk()
        .execute(
            () -> {
              Boolean good;
              try {
                good = store.verifyPiece(piece);
              } catch (IOException | RuntimeException e) {
                good = null; // the disk failed, not the data: the piece stays to be verified
              }
              Boolean verdict = good;
              access.loop().execute(() -> verified(piece, verdict));
            });
  }

  /** The check of {@code piece} is over: good, wrong, or not made (null: the disk failed). */
  private void verified(int piece, Boolean good) {
    List<TorrentData.Verdict> asked = waiting.remove(piece);
    if (asked == null) {
      return; // given up: the torrent left seed mode or closed
    }
    boolean proved = Boolean.TRUE.equals(good);
    if (proved) {
      unverified.clear(piece);
    }
    asked.forEach(v -> v.verified(proved));
    if (Boolean.FALSE.equals(good)) {
      failed.accept(piece);
    }
  }

  /** Gives up: the requests waiting are refused, and nothing is assumed any more. */
  void abandon() {
    unverified.clear();
    List<List<TorrentData.Verdict>> asked = new ArrayList<>(waiting.values());
    waiting.clear();
    asked.forEach(list -> list.forEach(v -> v.verified(false)));
  }
}
