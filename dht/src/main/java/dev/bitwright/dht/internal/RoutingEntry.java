package dev.bitwright.dht.internal;

import dev.bitwright.dht.DhtContact;
import dev.bitwright.dht.NodeId;
import java.net.InetSocketAddress;

/**
 * A node in the routing table, with what BEP 5 needs to tell good, questionable and bad nodes
 * apart. Mutable; owned by {@link RoutingTable}.
 */
public final class RoutingEntry {
  /** A node is questionable after this long without a sign of life. */
  public static final long GOOD_FOR_NANOS = 15L * 60 * 1_000_000_000;

  /** A node is bad after this many queries in a row failed. */
  public static final int FAILURES_BEFORE_BAD = 2;

  /** The three states of BEP 5. */
  public enum State {
    /** Answered within 15 minutes, or answered once and queried us within 15 minutes. */
    GOOD,
    /** Not heard from recently: worth a ping before it is trusted or dropped. */
    QUESTIONABLE,
    /** Failed to answer several queries in a row: replaced when a better node comes. */
    BAD
  }

  private final NodeId id;
  private final InetSocketAddress address;
  private final boolean secure;
  private boolean everResponded;
  private long lastSeen;
  private long lastPinged;
  private int failures;

  RoutingEntry(NodeId id, InetSocketAddress address, boolean secure, long lastSeen) {
    this.id = id;
    this.address = address;
    this.secure = secure;
    this.lastSeen = lastSeen;
    this.lastPinged = lastSeen;
  }

  /** Returns the node's id. */
  public NodeId id() {
    return id;
  }

  /** Returns the node's address. */
  public InetSocketAddress address() {
    return address;
  }

  /** Returns whether the node's id is valid for its IP (BEP 42). */
  public boolean secure() {
    return secure;
  }

  /** Returns the id and address. */
  public DhtContact contact() {
    return new DhtContact(id, address);
  }

  /** Returns the node's state at {@code nowNanos}. */
  public State state(long nowNanos) {
    if (failures >= FAILURES_BEFORE_BAD) {
      return State.BAD;
    }
    return everResponded && failures == 0 && nowNanos - lastSeen < GOOD_FOR_NANOS
        ? State.GOOD
        : State.QUESTIONABLE;
  }

  long lastSeen() {
    return lastSeen;
  }

  void responded(long nowNanos) {
    everResponded = true;
    failures = 0;
    lastSeen = nowNanos;
  }

  void queriedUs(long nowNanos) {
    if (everResponded) {
      lastSeen = nowNanos;
    }
  }

  void failed() {
    failures++;
  }

  boolean needsPing(long nowNanos, long interval) {
    if (state(nowNanos) != State.QUESTIONABLE || nowNanos - lastPinged < interval) {
      return false;
    }
    lastPinged = nowNanos;
    return true;
  }
}
