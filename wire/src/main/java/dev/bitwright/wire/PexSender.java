package dev.bitwright.wire;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides what to tell one peer by {@code ut_pex} (BEP 11), following the BEP's limits: at most one
 * message a minute, at most {@value #MAX_ENTRIES} added and {@value #MAX_ENTRIES} dropped contacts
 * after the first message (the first may hold up to {@value #MAX_FIRST_ENTRIES}), no duplicates, a
 * contact never added and dropped in one message, and every contact added is dropped once it
 * disconnects. Contacts that do not fit wait for the next message.
 *
 * <p>Not one of the package's queue-like state machines: it keeps no output and sets no deadline.
 * The host's periodic work for the peer asks it, with the torrent's current peers and {@code
 * nowNanos} (from an injected ticker), and its {@link #nextMessage} computes the message then. Not
 * thread-safe.
 */
public final class PexSender {
  /** The shortest time between two messages to one peer. */
  public static final Duration INTERVAL = Duration.ofMinutes(1);

  /** The most added (and the most dropped) contacts in a message after the first. */
  public static final int MAX_ENTRIES = 50;

  /** The most added contacts in the first message. */
  public static final int MAX_FIRST_ENTRIES = 200;

  private final Map<InetSocketAddress, Integer> told = new HashMap<>();
  private long lastSent;
  private boolean sentBefore;

  /** Creates a sender for one connection. */
  public PexSender() {}

  /**
   * {@return the message to send now, given the peers the torrent is connected to now (address to
   * BEP 11 flags; the receiving peer itself excluded), or empty if less than a minute has passed
   * since the last message or nothing changed}
   *
   * @param connected the torrent's connected peers and their BEP 11 flags, without the receiving
   *     peer
   * @param nowNanos the current time, in nanoseconds of the host's monotonic clock
   */
  public Optional<PexMessage> nextMessage(
      Map<InetSocketAddress, Integer> connected, long nowNanos) {
    if (sentBefore && nowNanos - lastSent < INTERVAL.toNanos()) {
      return Optional.empty();
    }
    List<InetSocketAddress> dropped = new ArrayList<>();
    for (InetSocketAddress a : told.keySet()) {
      if (!connected.containsKey(a) && dropped.size() < MAX_ENTRIES) {
        dropped.add(a);
      }
    }
    int maxAdded = sentBefore ? MAX_ENTRIES : MAX_FIRST_ENTRIES;
    List<PexMessage.Peer> added = new ArrayList<>();
    for (Map.Entry<InetSocketAddress, Integer> e : connected.entrySet()) {
      if (added.size() >= maxAdded) {
        break;
      }
      if (!told.containsKey(e.getKey()) && !e.getKey().isUnresolved()) {
        added.add(new PexMessage.Peer(e.getKey(), e.getValue() & 0xff));
      }
    }
    if (added.isEmpty() && dropped.isEmpty()) {
      return Optional.empty();
    }
    dropped.forEach(told::remove);
    added.forEach(p -> told.put(p.address(), p.flags()));
    lastSent = nowNanos;
    sentBefore = true;
    return Optional.of(new PexMessage(added, dropped));
  }
}
