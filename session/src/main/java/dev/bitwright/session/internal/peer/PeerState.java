package dev.bitwright.session.internal.peer;

import dev.bitwright.wire.ExtensionHandshake;
import dev.bitwright.wire.Handshake;
import dev.bitwright.wire.PeerId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What one connection knows of its peer and of itself towards it: choke and interest in both
 * directions, the peer's pieces, our requests to it, the Fast extension's sets, what its handshakes
 * said, its rates and the times of its last activity. The torrent's policy reads and changes it
 * through the methods here; the wire mechanics ({@link PeerConnection}) only stamp times and rates.
 *
 * <p>Loop thread only. Bit sets returned by the methods are live views for reading: callers do not
 * change them.
 */
public final class PeerState {
  /** The most pieces a peer may suggest at once (BEP 6); the oldest go first. */
  static final int MAX_SUGGESTED = 16;

  /** How many allowed fast pieces we take from one peer. */
  static final int MAX_ALLOWED_FAST_FOR_US = 64;

  private boolean amChoking = true;
  private boolean amInterested;
  private boolean peerChoking = true;
  private boolean peerInterested;
  private boolean seed;
  private boolean uploadOnly;
  private boolean snubbed;
  private Block probe;
  private long probeSentAt;
  private long requestLatencyNanos = -1;
  private boolean requestsWanted;
  private boolean dhtPortReceived;
  private BitSet pieces = new BitSet();
  // The picker that counts this peer's pieces, as an opaque token; null while none does.
  private Object countedBy;
  private final Set<Block> requested = new LinkedHashSet<>();
  private final BitSet allowedFastForUs = new BitSet();
  private final BitSet allowedFastForThem = new BitSet();
  private final BitSet suggested = new BitSet();
  private final ArrayDeque<Integer> suggestionOrder = new ArrayDeque<>();
  private final PeerActivity activity = new PeerActivity();
  private Handshake handshake;
  private ExtensionHandshake extensions;

  // ---------------------------------------------------------------- handshakes

  /** Records the peer's BitTorrent handshake. */
  void handshaken(Handshake remote) {
    this.handshake = remote;
  }

  /** Returns the peer's handshake; null before it arrived. */
  public Handshake handshake() {
    return handshake;
  }

  /** Returns the peer's id; null before its handshake arrived. */
  public PeerId peerId() {
    return handshake == null ? null : handshake.peerId();
  }

  /** Returns whether the peer speaks the Fast extension (BEP 6). */
  public boolean supportsFast() {
    return handshake != null && handshake.supportsFast();
  }

  /** Records the peer's extension handshake (BEP 10), which also says whether it only uploads. */
  public void extensionsReceived(ExtensionHandshake remote) {
    this.extensions = remote;
    this.uploadOnly = remote.uploadOnly();
  }

  /** Returns the peer's extension handshake, if it sent one. */
  public Optional<ExtensionHandshake> extensions() {
    return Optional.ofNullable(extensions);
  }

  /** Returns the peer's message id for the extension {@code name}, if it announced one. */
  public OptionalInt extensionId(String name) {
    return extensions == null ? OptionalInt.empty() : extensions.idOf(name);
  }

  /** Returns how many requests the peer says it queues (BEP 10 {@code reqq}), if it said. */
  public OptionalInt requestQueue() {
    return extensions == null ? OptionalInt.empty() : extensions.requestQueue();
  }

  /** Returns the port the peer says it listens on (BEP 10 {@code p}), if it said. */
  public OptionalInt listenPort() {
    return extensions == null ? OptionalInt.empty() : extensions.listenPort();
  }

  /** Returns whether the peer said it only uploads (BEP 21). */
  public boolean isUploadOnly() {
    return uploadOnly;
  }

  /** Records an upload-only message (BEP 21). */
  public void setUploadOnly(boolean uploadOnly) {
    this.uploadOnly = uploadOnly;
  }

  /** Returns true the first time the peer gives its DHT port on this connection (BEP 5). */
  public boolean firstDhtPort() {
    boolean first = !dhtPortReceived;
    dhtPortReceived = true;
    return first;
  }

  // ---------------------------------------------------------------- choke and interest

  /** Returns whether we choke the peer. */
  public boolean amChoking() {
    return amChoking;
  }

  /** Chokes or unchokes the peer; returns whether that changed anything. */
  public boolean setAmChoking(boolean choke, long now) {
    if (amChoking == choke) {
      return false;
    }
    amChoking = choke;
    if (!choke) {
      activity.unchoked(now);
    }
    return true;
  }

  /** Returns whether we are interested in the peer. */
  public boolean amInterested() {
    return amInterested;
  }

  /** Sets our interest; returns whether that changed it. */
  public boolean setAmInterested(boolean interested) {
    boolean changed = amInterested != interested;
    amInterested = interested;
    return changed;
  }

  /** Returns whether the peer chokes us. */
  public boolean peerChoking() {
    return peerChoking;
  }

  /** Records a choke or unchoke from the peer. */
  public void setPeerChoking(boolean choking) {
    this.peerChoking = choking;
  }

  /** Returns whether the peer is interested in us. */
  public boolean peerInterested() {
    return peerInterested;
  }

  /** Records an interested or not interested message. */
  public void setPeerInterested(boolean interested) {
    this.peerInterested = interested;
  }

  // ---------------------------------------------------------------- the peer's pieces

  /** Returns whether the peer has {@code piece}. */
  public boolean has(int piece) {
    return seed || pieces.get(piece);
  }

  /** Returns whether the peer has every piece (have-all, or every bit of its bitfield). */
  public boolean isSeed() {
    return seed;
  }

  /** Returns how many pieces the peer has; meaningless for a seed before the count is known. */
  public int pieceCount() {
    return pieces.cardinality();
  }

  /** Returns the pieces a peer that is not a seed has (a live view), or null for a seed. */
  public BitSet piecesUnlessSeed() {
    return seed ? null : pieces;
  }

  /** Returns the pieces recorded for the peer (a live view; empty for a have-all seed). */
  public BitSet pieces() {
    return pieces;
  }

  /** Records a have; returns whether the piece is new. */
  public boolean markHave(int piece) {
    if (seed || pieces.get(piece)) {
      return false;
    }
    pieces.set(piece);
    return true;
  }

  /** Records a bitfield: the peer's pieces are exactly {@code bits}. */
  public void replacePieces(BitSet bits) {
    seed = false;
    pieces = bits;
  }

  /** Records a have-all, or that the peer turned out to have every piece. */
  public void markSeed() {
    seed = true;
  }

  /** A seed lost a piece (lt_donthave): it becomes a peer with every piece of {@code count}. */
  public void seedToPeer(int count) {
    seed = false;
    pieces = new BitSet();
    pieces.set(0, count);
  }

  /** Forgets {@code piece}; returns whether the peer had it. */
  public boolean dropHave(int piece) {
    boolean had = pieces.get(piece);
    pieces.clear(piece);
    return had;
  }

  /** Drops recorded pieces at or past {@code count} (told before the piece count was known). */
  public void trimPieces(int count) {
    if (pieces.length() > count) {
      pieces.clear(count, pieces.length());
    }
  }

  /** Returns whether {@code counter} (a piece picker) counts this peer's pieces. */
  public boolean countedBy(Object counter) {
    return countedBy == counter;
  }

  /** Notes that {@code counter} (a piece picker) now counts this peer's pieces. */
  public void markCountedBy(Object counter) {
    countedBy = counter;
  }

  /** Notes that nothing counts this peer's pieces. */
  public void markUncounted() {
    countedBy = null;
  }

  // ---------------------------------------------------------------- our requests

  /** Returns whether {@code block} is requested from the peer. */
  public boolean isRequested(Block block) {
    return requested.contains(block);
  }

  /**
   * Records a request sent to the peer at {@code now}. One request at a time is timed (the probe),
   * so that the peer's answer time is known without a time per request.
   */
  public void markRequested(Block block, long now) {
    requested.add(block);
    if (probe == null) {
      probe = block;
      probeSentAt = now;
    }
  }

  /** Forgets a request rejected or cancelled; returns whether it was one. */
  public boolean unmarkRequested(Block block) {
    if (block.equals(probe)) {
      probe = null;
    }
    return requested.remove(block);
  }

  /**
   * Returns how long the peer took to answer {@code block}, if it is the timed request (the probe)
   * and arrived at {@code now}; else -1. Call before {@link #answered}.
   */
  public long probeLatency(Block block, long now) {
    return block.equals(probe) ? now - probeSentAt : -1;
  }

  /**
   * Forgets a request the peer answered at {@code now}; returns whether it was one. The probe's
   * answer updates the latency: a mean that gives the newest answer a quarter of the weight.
   */
  public boolean answered(Block block, long now) {
    if (block.equals(probe)) {
      probe = null;
      long sample = now - probeSentAt;
      requestLatencyNanos =
          requestLatencyNanos < 0 ? sample : (3 * requestLatencyNanos + sample) / 4;
    }
    return requested.remove(block);
  }

  /**
   * Returns how long the peer takes to answer a request, from sending it to the block's arrival (a
   * round trip and the peer's queue), if one was timed yet.
   */
  public OptionalLong requestLatencyNanos() {
    return requestLatencyNanos < 0 ? OptionalLong.empty() : OptionalLong.of(requestLatencyNanos);
  }

  /** Returns how many requests wait for an answer. */
  public int requestCount() {
    return requested.size();
  }

  /** Forgets every request and returns them. */
  public List<Block> dropRequests() {
    probe = null;
    List<Block> dropped = new ArrayList<>(requested);
    requested.clear();
    return dropped;
  }

  /** Forgets the requests for blocks of {@code piece} and returns them. */
  public List<Block> dropRequestsOf(int piece) {
    List<Block> dropped = new ArrayList<>();
    for (Iterator<Block> it = requested.iterator(); it.hasNext(); ) {
      Block b = it.next();
      if (b.piece() == piece) {
        if (b.equals(probe)) {
          probe = null;
        }
        it.remove();
        dropped.add(b);
      }
    }
    return dropped;
  }

  /** Asks for the pipeline to be refilled once the current read is handled. */
  public void wantRequests() {
    requestsWanted = true;
  }

  /** Returns whether a refill was asked for since the last call, and clears the ask. */
  public boolean takeRequestsWanted() {
    boolean wanted = requestsWanted;
    requestsWanted = false;
    return wanted;
  }

  /** Returns whether the peer sent no block for a while though we asked (it snubs us). */
  public boolean isSnubbed() {
    return snubbed;
  }

  /**
   * Returns whether requests wait and no block came since {@code sinceNanos} before {@code now}.
   */
  public boolean snubsFor(long now, long sinceNanos) {
    return !requested.isEmpty() && activity.sincePieceReceived(now) > sinceNanos;
  }

  /** Notes that the peer snubs us. */
  public void markSnubbed() {
    snubbed = true;
  }

  // ---------------------------------------------------------------- Fast extension

  /** Records a piece the peer allows us to fetch while choked; returns whether it was taken. */
  public boolean allowFastForUs(int piece) {
    if (allowedFastForUs.cardinality() >= MAX_ALLOWED_FAST_FOR_US) {
      return false;
    }
    allowedFastForUs.set(piece);
    return true;
  }

  /** Returns the pieces we may fetch while choked (a live view). */
  public BitSet allowedFastForUs() {
    return allowedFastForUs;
  }

  /** Records a piece we told the peer it may fetch while we choke it. */
  public void allowFastForThem(int piece) {
    allowedFastForThem.set(piece);
  }

  /** Returns whether the peer may fetch {@code piece} while we choke it. */
  public boolean isAllowedFastForThem(int piece) {
    return allowedFastForThem.get(piece);
  }

  /** Returns the pieces the peer may fetch while we choke it (a live view). */
  public BitSet allowedFastForThem() {
    return allowedFastForThem;
  }

  /** Remembers a suggested piece (BEP 6), the latest {@value #MAX_SUGGESTED}. */
  public void suggest(int piece) {
    if (suggested.get(piece)) {
      return;
    }
    if (suggestionOrder.size() >= MAX_SUGGESTED) {
      suggested.clear(suggestionOrder.poll());
    }
    suggested.set(piece);
    suggestionOrder.add(piece);
  }

  /** Returns the pieces the peer suggested (a live view). */
  public BitSet suggested() {
    return suggested;
  }

  // ---------------------------------------------------------------- activity

  /** Returns the peer's rates and the times of its last activity. */
  public PeerActivity activity() {
    return activity;
  }

  /** Counts payload received from the peer: a block arrived at {@code now}, so it does not snub. */
  public void pieceReceived(int bytes, long now) {
    activity.pieceReceived(bytes, now);
    snubbed = false;
  }
}
