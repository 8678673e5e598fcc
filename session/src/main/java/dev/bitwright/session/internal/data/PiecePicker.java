package dev.bitwright.session.internal.data;

import dev.bitwright.session.internal.peer.Block;
import dev.bitwright.storage.PieceMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Chooses which blocks to request from which peer: partial pieces first (so pieces complete and can
 * be verified and shared), then pieces with a deadline (earliest first) or, in sequential mode, the
 * lowest index, otherwise the rarest pieces among the peer's, ties broken at random. Only wanted
 * pieces (priority above zero) are picked; higher priorities go first. When every missing block is
 * already requested, endgame allows each block to be requested from a second and third peer; the
 * first copy to arrive wins and the others are cancelled.
 *
 * <p>Loop thread only.
 */
public final class PiecePicker {
  /** How many peers may be asked for one block in endgame. */
  static final int ENDGAME_COPIES = 3;

  private final PieceMap map;
  private final RandomGenerator random;
  private final int[] availability;
  private final int[] priority;
  private final BitSet have;
  // The pieces being downloaded, by index (no boxing on the per-block path), and their set.
  private final Partial[] partials;
  private final BitSet partialSet = new BitSet();
  private final Map<Integer, Long> deadlines = new HashMap<>();
  private boolean sequential;
  private int seeds;

  /** Per-block state of a piece being downloaded. */
  private static final class Partial {
    final int blocks;
    final int[] requests;
    final BitSet received;

    /** No block below this index is free (unrequested and missing): where searches start. */
    int cursor;

    Partial(int blocks) {
      this.blocks = blocks;
      this.requests = new int[blocks];
      this.received = new BitSet(blocks);
    }

    boolean allRequested() {
      for (int b = cursor; b < blocks; b++) {
        if (!received.get(b) && requests[b] == 0) {
          return false;
        }
      }
      return true;
    }
  }

  /** Creates a picker for {@code map} with the pieces we already have. */
  public PiecePicker(PieceMap map, BitSet have, RandomGenerator random) {
    this.map = map;
    this.random = random;
    this.availability = new int[map.pieceCount()];
    this.partials = new Partial[map.pieceCount()];
    this.priority = new int[map.pieceCount()];
    Arrays.fill(priority, 1);
    this.have = (BitSet) have.clone();
  }

  /** Sets the priority of a piece: 0 not wanted, 1 normal, 2 high. */
  public void setPriority(int piece, int level) {
    priority[piece] = level;
  }

  /** Returns whether {@code piece} is wanted at all (priority above zero). */
  public boolean isWanted(int piece) {
    return priority[piece] > 0;
  }

  /** Sets sequential mode: lowest missing piece first instead of rarest first. */
  public void setSequential(boolean sequential) {
    this.sequential = sequential;
  }

  /** Asks for piece {@code piece} by {@code deadlineNanos} (streaming); earliest go first. */
  public void setDeadline(int piece, long deadlineNanos) {
    if (!have.get(piece)) {
      deadlines.put(piece, deadlineNanos);
    }
  }

  /** Forgets the deadline of {@code piece}, if it had one. */
  public void clearDeadline(int piece) {
    deadlines.remove(piece);
  }

  /** Returns whether pieces are picked in an order: sequential mode, or pieces with deadlines. */
  public boolean inOrder() {
    return sequential || !deadlines.isEmpty();
  }

  /** Returns the deadlines of the pieces not received yet, by piece. */
  public Map<Integer, Long> deadlines() {
    return Map.copyOf(deadlines);
  }

  /** Returns whether we have every wanted piece. */
  public boolean isComplete() {
    for (int p = have.nextClearBit(0); p < map.pieceCount(); p = have.nextClearBit(p + 1)) {
      if (priority[p] > 0) {
        return false;
      }
    }
    return true;
  }

  /** Returns whether we have piece {@code piece}. */
  public boolean have(int piece) {
    return have.get(piece);
  }

  /** Returns a copy of the pieces we have. */
  public BitSet haveSet() {
    return (BitSet) have.clone();
  }

  /** A peer announced {@code piece}. */
  public void peerHas(int piece) {
    availability[piece]++;
  }

  /** A peer with these pieces left (or sent a have-all: count it as a seed). */
  public void peerGone(BitSet pieces) {
    pieces.stream().forEach(p -> availability[p]--);
  }

  /** A peer has every piece. */
  public void seedJoined() {
    seeds++;
  }

  /** A seed left. */
  public void seedLeft() {
    seeds--;
  }

  /** Returns how many peers have {@code piece}. */
  public int availability(int piece) {
    return availability[piece] + seeds;
  }

  /**
   * Picks up to {@code count} blocks to request from a peer with pieces {@code peerHas} ({@code
   * null} for a seed), skipping blocks this peer was already asked for.
   *
   * @param allowed if not null, only these pieces (the peer chokes us; its allowed fast set)
   */
  public List<Block> pick(BitSet peerHas, int count, PeerRequests mine, BitSet allowed) {
    return pick(peerHas, count, mine, allowed, null);
  }

  /**
   * As {@link #pick(BitSet, int, PeerRequests, BitSet)}; a new piece is one of {@code suggested}
   * (the peer's BEP 6 suggestions, may be null) if one has the best priority available, rarest
   * first among them. Sequential mode ignores suggestions.
   */
  public List<Block> pick(
      BitSet peerHas, int count, PeerRequests mine, BitSet allowed, BitSet suggested) {
    List<Block> picked = new ArrayList<>(count);
    for (int piece = partialSet.nextSetBit(0);
        piece >= 0;
        piece = partialSet.nextSetBit(piece + 1)) {
      if (picked.size() >= count) {
        return picked;
      }
      if (eligible(piece, peerHas, allowed)) {
        fillFrom(piece, partials[piece], count, picked, mine, false);
      }
    }
    if (picked.size() < count && !deadlines.isEmpty()) {
      deadlines.entrySet().stream()
          .sorted(Map.Entry.comparingByValue())
          .map(Map.Entry::getKey)
          .filter(p -> eligible(p, peerHas, allowed) && !partialSet.get(p))
          .forEach(p -> startPiece(p, count, picked, mine));
    }
    while (picked.size() < count) {
      int piece = choosePiece(peerHas, allowed, suggested);
      if (piece < 0) {
        break;
      }
      startPiece(piece, count, picked, mine);
    }
    if (picked.size() < count && endgame()) {
      // The blocks picked above are not in the peer's requests yet: never duplicate those.
      Set<Block> pickedNow = new HashSet<>(picked);
      PeerRequests asked = b -> pickedNow.contains(b) || mine.contains(b);
      for (int p = partialSet.nextSetBit(0); p >= 0; p = partialSet.nextSetBit(p + 1)) {
        if (picked.size() >= count) {
          break;
        }
        if (eligible(p, peerHas, allowed)) {
          fillFrom(p, partials[p], count, picked, asked, true);
        }
      }
    }
    return picked;
  }

  /**
   * Picks up to {@code count} blocks for a source that fetches byte ranges rather than blocks (a
   * web seed), so that they follow each other in the byte stream and make few, long requests: a new
   * piece chosen as {@link #pick} would, then the pieces after it while they are new, wanted at the
   * same priority and allowed; the unrequested blocks of partial pieces, scattered as they are,
   * only when no new piece is left. With piece deadlines set (streaming), the deadlines come first,
   * as in {@link #pick}.
   */
  public List<Block> pickRun(BitSet peerHas, int count, PeerRequests mine, BitSet allowed) {
    if (!deadlines.isEmpty()) {
      return pick(peerHas, count, mine, allowed);
    }
    List<Block> picked = new ArrayList<>(count);
    int piece = -1;
    while (picked.size() < count) {
      int next = piece + 1;
      boolean runGoesOn =
          piece >= 0
              && next < map.pieceCount()
              && !partialSet.get(next)
              && eligible(next, peerHas, allowed)
              && priority[next] == priority[piece];
      piece = runGoesOn ? next : choosePiece(peerHas, allowed, null);
      if (piece < 0) {
        break;
      }
      startPiece(piece, count, picked, mine);
    }
    if (picked.size() < count) {
      picked.addAll(pick(peerHas, count - picked.size(), mine, allowed));
    }
    return picked;
  }

  private void startPiece(int piece, int count, List<Block> picked, PeerRequests mine) {
    if (picked.size() >= count) {
      return;
    }
    Partial partial = new Partial(blocksOf(piece));
    partials[piece] = partial;
    partialSet.set(piece);
    fillFrom(piece, partial, count, picked, mine, false);
  }

  private boolean eligible(int piece, BitSet peerHas, BitSet allowed) {
    return !have.get(piece)
        && priority[piece] > 0
        && (peerHas == null || peerHas.get(piece))
        && (allowed == null || allowed.get(piece));
  }

  private void fillFrom(
      int piece, Partial partial, int count, List<Block> picked, PeerRequests mine, boolean dup) {
    int size = map.pieceSize(piece);
    int limit = dup ? ENDGAME_COPIES : 1;
    for (int b = dup ? 0 : partial.cursor; b < partial.blocks && picked.size() < count; b++) {
      if (partial.received.get(b) || partial.requests[b] >= limit) {
        if (!dup && b == partial.cursor) {
          partial.cursor++;
        }
        continue;
      }
      int offset = b * Block.SIZE;
      Block block = new Block(piece, offset, Math.min(Block.SIZE, size - offset));
      // A block nobody asked for cannot be in this peer's requests: only endgame must check.
      if (dup && mine.contains(block)) {
        continue;
      }
      partial.requests[b]++;
      if (!dup && b == partial.cursor) {
        partial.cursor++;
      }
      picked.add(block);
    }
  }

  /**
   * The wanted piece to start: sequential, or by priority, then suggested by the peer, then rarest
   * first with random ties.
   */
  private int choosePiece(BitSet peerHas, BitSet allowed, BitSet suggested) {
    int best = -1;
    int bestPriority = 0;
    boolean bestSuggested = false;
    int bestAvailability = Integer.MAX_VALUE;
    int ties = 0;
    for (int p = have.nextClearBit(0); p < map.pieceCount(); p = have.nextClearBit(p + 1)) {
      if (partialSet.get(p) || !eligible(p, peerHas, allowed)) {
        continue;
      }
      if (sequential) {
        return p;
      }
      int prio = priority[p];
      boolean sug = suggested != null && suggested.get(p);
      int avail = availability[p];
      int order =
          prio != bestPriority
              ? Integer.compare(prio, bestPriority)
              : sug != bestSuggested
                  ? Boolean.compare(sug, bestSuggested)
                  : Integer.compare(bestAvailability, avail);
      if (order > 0) {
        best = p;
        bestPriority = prio;
        bestSuggested = sug;
        bestAvailability = avail;
        ties = 1;
      } else if (order == 0 && random.nextInt(++ties) == 0) {
        best = p;
      }
    }
    return best;
  }

  private boolean endgame() {
    for (int p = have.nextClearBit(0); p < map.pieceCount(); p = have.nextClearBit(p + 1)) {
      if (priority[p] == 0) {
        continue;
      }
      Partial partial = partials[p];
      if (partial == null || !partial.allRequested()) {
        return false;
      }
    }
    return true;
  }

  private int blocksOf(int piece) {
    return (map.pieceSize(piece) + Block.SIZE - 1) / Block.SIZE;
  }

  /**
   * A requested block arrived. Returns true the first time (the data should be written), false for
   * a duplicate (endgame) or a block not requested.
   */
  public boolean received(Block block) {
    Partial partial = partials[block.piece()];
    if (partial == null || partial.received.get(block.index())) {
      return false;
    }
    partial.received.set(block.index());
    return true;
  }

  /** A request will not be answered (cancel, reject, choke, disconnect). */
  public void requestDropped(Block block) {
    Partial partial = partials[block.piece()];
    if (partial != null && partial.requests[block.index()] > 0) {
      partial.requests[block.index()]--;
      partial.cursor = Math.min(partial.cursor, block.index());
    }
  }

  /** Returns the indexes of the blocks of {@code piece} that have arrived (empty if none). */
  public BitSet receivedBlocks(int piece) {
    Partial partial = partials[piece];
    return partial == null ? new BitSet() : (BitSet) partial.received.clone();
  }

  /** Returns how many blocks of {@code piece} have arrived. */
  public int receivedCount(int piece) {
    Partial partial = partials[piece];
    return partial == null ? 0 : partial.received.cardinality();
  }

  /** Returns whether every block of {@code piece} has arrived. */
  public boolean allBlocksReceived(int piece) {
    Partial partial = partials[piece];
    return partial != null && partial.received.cardinality() == partial.blocks;
  }

  /** The piece verified: we have it now. */
  public void pieceVerified(int piece) {
    forget(piece);
    deadlines.remove(piece);
    have.set(piece);
  }

  /** The piece failed its hash: download it again. */
  public void pieceFailed(int piece) {
    forget(piece);
  }

  /** Forgets the blocks of {@code piece} received so far (they were dropped): fetch them again. */
  public void forget(int piece) {
    partials[piece] = null;
    partialSet.clear(piece);
  }

  /** Forgets every partial piece (pause, recheck). */
  public void reset(BitSet newHave) {
    Arrays.fill(partials, null);
    partialSet.clear();
    have.clear();
    have.or(newHave);
  }

  /** Returns whether {@code piece} is being downloaded. */
  public boolean isPartial(int piece) {
    return partialSet.get(piece);
  }

  /** The blocks one peer has been asked for, to avoid asking it twice. */
  public interface PeerRequests {
    /** Returns whether this peer was asked for {@code block}. */
    boolean contains(Block block);
  }
}
