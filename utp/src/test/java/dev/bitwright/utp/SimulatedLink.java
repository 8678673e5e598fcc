package dev.bitwright.utp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Two uTP endpoints joined by a simulated path in simulated time: each direction has a one-way
 * delay, random extra delay (which reorders), loss, duplication, and optionally a bottleneck of
 * fixed bandwidth with a queue, whose queueing delay is recorded. Deterministic for a seed.
 */
final class SimulatedLink {
  static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 6881);
  static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 6881);

  /** Impairments of one direction. */
  static final class Path {
    long delayNanos = 1_000_000;
    long jitterNanos;
    double loss;
    double duplicate;
    long bytesPerSecond;
    // When the bottleneck is next free to start serialising a datagram.
    long busyUntil;
    final List<long[]> queueDelays = new ArrayList<>();
    long delivered;
    long dropped;
  }

  private record InFlight(
      long at, long order, InetSocketAddress to, InetSocketAddress from, byte[] data) {}

  final Path aToB = new Path();
  final Path bToA = new Path();
  final UtpEndpoint a;
  final UtpEndpoint b;
  private final Random random;
  private final PriorityQueue<InFlight> inFlight =
      new PriorityQueue<>(
          (x, y) -> x.at != y.at ? Long.compare(x.at, y.at) : Long.compare(x.order, y.order));
  private final ByteBuffer out = ByteBuffer.allocate(70_000);
  private final List<CrossTraffic> crossTraffic = new ArrayList<>();
  private long order;
  long now = 1_000_000_000L;

  SimulatedLink(
      long seed, UtpConfig config, UtpEndpoint.Acceptor acceptA, UtpEndpoint.Acceptor acceptB) {
    this.random = new Random(seed);
    this.a = UtpEndpoint.create(config, new Random(seed + 1), acceptA, now);
    this.b = UtpEndpoint.create(config, new Random(seed + 2), acceptB, now);
  }

  /** A flow that keeps the a-to-b bottleneck's queue at a given delay, as a greedy TCP would. */
  static final class CrossTraffic {
    final long queueTargetNanos;
    final long startNanos;
    long bytes;

    CrossTraffic(long queueTargetNanos, long startNanos) {
      this.queueTargetNanos = queueTargetNanos;
      this.startNanos = startNanos;
    }
  }

  CrossTraffic addCrossTraffic(long queueTargetNanos, long startNanos) {
    CrossTraffic flow = new CrossTraffic(queueTargetNanos, startNanos);
    crossTraffic.add(flow);
    return flow;
  }

  /**
   * Runs until {@code done} holds or {@code maxNanos} of simulated time pass; returns whether done.
   */
  boolean runUntil(java.util.function.BooleanSupplier done, long maxNanos) {
    long end = now + maxNanos;
    while (now < end) {
      flush();
      if (done.getAsBoolean()) {
        return true;
      }
      long next = Math.min(a.nextDeadlineNanos(), b.nextDeadlineNanos());
      if (!inFlight.isEmpty()) {
        next = Math.min(next, inFlight.peek().at);
      }
      if (!crossTraffic.isEmpty()) {
        next = Math.min(next, now + 1_000_000);
      }
      now = Math.max(now, Math.min(next, end));
      pumpCrossTraffic();
      while (!inFlight.isEmpty() && inFlight.peek().at <= now) {
        InFlight d = inFlight.poll();
        UtpEndpoint to = d.to.equals(A) ? a : d.to.equals(B) ? b : null;
        if (to != null) {
          to.receive(d.from, ByteBuffer.wrap(d.data), now);
        }
      }
      a.advance(now);
      b.advance(now);
    }
    flush();
    return done.getAsBoolean();
  }

  void flush() {
    boolean any = true;
    while (any) {
      any = drain(a, A, B, aToB) | drain(b, B, A, bToA);
    }
  }

  private boolean drain(
      UtpEndpoint endpoint, InetSocketAddress from, InetSocketAddress expected, Path path) {
    boolean any = false;
    while (true) {
      out.clear();
      InetSocketAddress to = endpoint.poll(out, now);
      if (to == null) {
        return any;
      }
      any = true;
      out.flip();
      byte[] data = new byte[out.remaining()];
      out.get(data);
      send(path, from, to, data);
      if (random.nextDouble() < path.duplicate) {
        send(path, from, to, data.clone());
      }
    }
  }

  private void send(Path path, InetSocketAddress from, InetSocketAddress to, byte[] data) {
    if (random.nextDouble() < path.loss) {
      path.dropped++;
      return;
    }
    long at = now;
    if (path.bytesPerSecond > 0) {
      long start = Math.max(now, path.busyUntil);
      path.busyUntil = start + data.length * 1_000_000_000L / path.bytesPerSecond;
      path.queueDelays.add(new long[] {now, start - now});
      at = path.busyUntil;
    }
    at += path.delayNanos;
    if (path.jitterNanos > 0) {
      at += (long) (random.nextDouble() * path.jitterNanos);
    }
    path.delivered++;
    inFlight.add(new InFlight(at, order++, to, from, data));
  }

  private void pumpCrossTraffic() {
    for (CrossTraffic flow : crossTraffic) {
      if (now < flow.startNanos) {
        continue;
      }
      while (aToB.busyUntil - now < flow.queueTargetNanos) {
        long start = Math.max(now, aToB.busyUntil);
        aToB.busyUntil = start + 1500 * 1_000_000_000L / aToB.bytesPerSecond;
        flow.bytes += 1500;
      }
    }
  }

  /** Average queueing delay at the a-to-b bottleneck of datagrams sent in [from, to). */
  long averageQueueDelayNanos(long from, long to) {
    long sum = 0;
    long count = 0;
    for (long[] sample : aToB.queueDelays) {
      if (sample[0] >= from && sample[0] < to) {
        sum += sample[1];
        count++;
      }
    }
    return count == 0 ? 0 : sum / count;
  }
}
