package dev.bitwright.dht;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * An in-memory UDP network of {@link DhtNode}s under one fake clock: datagrams are delivered after
 * a random latency or lost at random, and each node is advanced at its own deadline. Everything
 * comes from one seeded generator, so a run is reproducible.
 */
final class SimulatedNetwork {
  private record Event(
      long at, long sequence, DhtNode node, InetSocketAddress from, ByteBuffer data)
      implements Comparable<Event> {
    @Override
    public int compareTo(Event o) {
      int byTime = Long.compare(at, o.at);
      return byTime != 0 ? byTime : Long.compare(sequence, o.sequence);
    }
  }

  private final RandomGenerator random;
  private final double loss;
  private final long minLatency;
  private final long maxLatency;
  private final PriorityQueue<Event> events = new PriorityQueue<>();
  private final Map<InetSocketAddress, DhtNode> byAddress = new HashMap<>();
  private final Map<DhtNode, InetSocketAddress> addresses = new HashMap<>();
  private final Map<DhtNode, Long> wakeUps = new HashMap<>();
  private long now;
  private long sequence;
  private long delivered;
  private long lost;

  SimulatedNetwork(
      RandomGenerator random, double loss, long minLatencyNanos, long maxLatencyNanos) {
    this.random = random;
    this.loss = loss;
    this.minLatency = minLatencyNanos;
    this.maxLatency = maxLatencyNanos;
    this.now = 1_000_000_000_000L;
  }

  long now() {
    return now;
  }

  /** Returns a distinct address in 10/8 (a local network, so BEP 42 does not re-derive ids). */
  static InetSocketAddress address(int index) {
    return address(new byte[] {10, (byte) (index >>> 16), (byte) (index >>> 8), (byte) index});
  }

  /** Returns a distinct address in fd00::/8 (unique local, exempt from BEP 42 like 10/8). */
  static InetSocketAddress addressV6(int index) {
    byte[] ip = new byte[16];
    ip[0] = (byte) 0xfd;
    ip[13] = (byte) (index >>> 16);
    ip[14] = (byte) (index >>> 8);
    ip[15] = (byte) index;
    return address(ip);
  }

  private static InetSocketAddress address(byte[] ip) {
    try {
      return new InetSocketAddress(InetAddress.getByAddress(ip), 6881);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** Adds a node at {@code address}; it is started by the caller through {@link #act}. */
  void add(InetSocketAddress address, DhtNode node) {
    byAddress.put(address, node);
    addresses.put(node, address);
  }

  List<DhtNode> nodes() {
    return new ArrayList<>(addresses.keySet());
  }

  InetSocketAddress addressOf(DhtNode node) {
    return addresses.get(node);
  }

  /** Runs {@code action} on {@code node} now, then sends what it queued. */
  void act(DhtNode node, Consumer<DhtNode> action) {
    action.accept(node);
    flush(node);
  }

  private void flush(DhtNode node) {
    InetSocketAddress from = addresses.get(node);
    for (DhtDatagram d; (d = node.poll()) != null; ) {
      DhtNode to = byAddress.get(d.destination());
      if (to == null || random.nextDouble() < loss) {
        lost++;
        continue;
      }
      long latency = minLatency + (long) (random.nextDouble() * (maxLatency - minLatency));
      events.add(new Event(now + latency, sequence++, to, from, d.payload()));
    }
    long deadline = node.nextDeadlineNanos();
    Long scheduled = wakeUps.get(node);
    if (scheduled == null || scheduled != deadline) {
      wakeUps.put(node, deadline);
      events.add(new Event(deadline, sequence++, node, null, null));
    }
  }

  /** Delivers datagrams and advances nodes until the clock reaches {@code until}. */
  void runUntil(long until) {
    while (!events.isEmpty() && events.peek().at() <= until) {
      Event e = events.poll();
      now = Math.max(now, e.at());
      if (e.data() != null) {
        delivered++;
        e.node().receive(e.from(), e.data(), now);
        flush(e.node());
      } else if (Long.valueOf(e.at()).equals(wakeUps.get(e.node()))) {
        wakeUps.remove(e.node());
        e.node().advance(now);
        flush(e.node());
      }
    }
    now = Math.max(now, until);
  }

  /** Runs for {@code seconds} of simulated time. */
  void runFor(double seconds) {
    runUntil(now + (long) (seconds * 1e9));
  }

  /** Runs until {@code done} holds or {@code seconds} pass, checking every simulated 100 ms. */
  void runUntil(BooleanSupplier done, double seconds) {
    long end = now + (long) (seconds * 1e9);
    while (!done.getAsBoolean() && now < end) {
      runUntil(Math.min(end, now + 100_000_000L));
    }
  }

  long delivered() {
    return delivered;
  }

  long lost() {
    return lost;
  }
}
