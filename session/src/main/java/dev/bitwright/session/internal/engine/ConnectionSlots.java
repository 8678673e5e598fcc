package dev.bitwright.session.internal.engine;

import dev.bitwright.session.CloseReason;
import dev.bitwright.session.internal.peer.PeerConnection;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The session's connection slots, shared by its torrents, and who gives way when they are full. An
 * incoming connection that has not finished its handshake costs its sender nothing, so a flood of
 * them (a connection storm, or a slowloris reconnecting) must not keep honest peers out: when every
 * slot is taken, a new incoming connection takes the slot of the oldest connection still in its
 * handshake, and one address may hold at most {@value #MAX_HANDSHAKING_PER_ADDRESS} such
 * connections (its oldest gives way to its newest). Loop thread only.
 */
final class ConnectionSlots {
  static final int MAX_HANDSHAKING_PER_ADDRESS = 16;

  private int max;
  // Insertion-ordered: iteration order must not depend on identity hash codes (simulations replay
  // from a seed), and the first incoming one still handshaking is the oldest.
  private final Set<PeerConnection> open = new LinkedHashSet<>();
  private final Set<PeerConnection> handshaking = new LinkedHashSet<>();
  private final Map<InetAddress, Integer> handshakingByAddress = new HashMap<>();
  private long opened;

  ConnectionSlots(int max) {
    this.max = max;
  }

  /**
   * Changes the most connections; when fewer are allowed than are open, the surplus closes, the
   * least useful first: incoming connections still in their handshake (oldest first), then those
   * that moved the fewest bytes lately ({@link PeerConnection#byRecentBytes}).
   */
  void limit(int max, long now) {
    this.max = max;
    int surplus = open.size() - max;
    if (surplus <= 0) {
      return;
    }
    List<PeerConnection> rest = new ArrayList<>(open);
    rest.removeAll(handshaking);
    rest.sort(PeerConnection.byRecentBytes(now));
    List<PeerConnection> order = new ArrayList<>(handshaking);
    order.addAll(rest);
    for (PeerConnection p : order.subList(0, surplus)) {
      p.close(CloseReason.TOO_MANY_CONNECTIONS);
      closed(p);
    }
  }

  /** Returns how many more connections may open now. */
  int room() {
    return max - open.size();
  }

  /** An outgoing connection takes a slot (the caller checked {@link #room()}). */
  void opened(PeerConnection peer) {
    open.add(peer);
    opened++;
  }

  /** Returns how many connections hold a slot now. */
  int open() {
    return open.size();
  }

  /** Returns how many connections took a slot over the session's life. */
  long openedTotal() {
    return opened;
  }

  /**
   * Returns whether an incoming connection from {@code address} may take a slot; to make room, the
   * oldest connection still handshaking (of this address first) is closed.
   */
  boolean admitIncoming(PeerConnection peer, InetAddress address) {
    if (handshakingByAddress.getOrDefault(address, 0) >= MAX_HANDSHAKING_PER_ADDRESS) {
      evictOldestHandshaking(address);
    }
    if (room() <= 0 && !evictOldestHandshaking(null)) {
      return false;
    }
    open.add(peer);
    opened++;
    handshaking.add(peer);
    handshakingByAddress.merge(address, 1, Integer::sum);
    return true;
  }

  /** Closes the oldest incoming connection still handshaking (from {@code address} if given). */
  private boolean evictOldestHandshaking(InetAddress address) {
    for (PeerConnection p : handshaking) {
      if (address == null || p.address().getAddress().equals(address)) {
        p.close(CloseReason.SLOT_WANTED);
        closed(p); // closing reports back, but not before the connection is set up
        return true;
      }
    }
    return false;
  }

  /** An incoming connection finished its handshake: it keeps its slot for good. */
  void handshakeDone(PeerConnection peer) {
    if (handshaking.remove(peer)) {
      handshakingByAddress.computeIfPresent(
          peer.address().getAddress(), (a, n) -> n > 1 ? n - 1 : null);
    }
  }

  /** A connection closed: its slot is free. */
  void closed(PeerConnection peer) {
    handshakeDone(peer);
    open.remove(peer);
  }
}
