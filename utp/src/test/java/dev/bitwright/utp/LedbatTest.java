package dev.bitwright.utp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** LEDBAT on a bottleneck: the queue it builds stays near the target, and it yields to greed. */
class LedbatTest {
  private static final long MS = 1_000_000L;
  private static final long SECOND = 1_000 * MS;
  private static final long LINK_BYTES_PER_SECOND = 1_000_000;

  private StreamEnd server;

  private SimulatedLink bottleneck(long seed) {
    server = new StreamEnd(new byte[0]);
    SimulatedLink link = new SimulatedLink(seed, UtpConfig.defaults(), r -> null, r -> server);
    link.aToB.delayNanos = 20 * MS;
    link.bToA.delayNanos = 20 * MS;
    link.aToB.bytesPerSecond = LINK_BYTES_PER_SECOND;
    return link;
  }

  @Test
  void holdsTheQueueingDelayNearTheTargetAndFillsTheLink() throws IOException {
    SimulatedLink link = bottleneck(21);
    StreamEnd client = new StreamEnd(new byte[30_000_000]);
    client.socket = link.a.connect(SimulatedLink.B, client, link.now);
    long start = link.now;

    link.runUntil(() -> false, 20 * SECOND);

    long delay = link.averageQueueDelayNanos(start + 5 * SECOND, start + 20 * SECOND);
    assertThat(delay).as("average queueing delay, ns").isBetween(50 * MS, 130 * MS);
    long rate = server.received.size() / 20;
    assertThat(rate).as("goodput, bytes/s").isGreaterThan(LINK_BYTES_PER_SECOND * 80 / 100);
  }

  @Test
  void yieldsToACompetingFlowThatFillsTheQueue() throws IOException {
    SimulatedLink link = bottleneck(22);
    StreamEnd client = new StreamEnd(new byte[30_000_000]);
    client.socket = link.a.connect(SimulatedLink.B, client, link.now);
    long start = link.now;
    SimulatedLink.CrossTraffic greedy = link.addCrossTraffic(300 * MS, start + 10 * SECOND);

    link.runUntil(() -> false, 10 * SECOND);
    long alone = server.received.size();
    // LEDBAT backs off by at most its gain per round trip, so it takes a while to get out of the
    // way; measured once it has.
    link.runUntil(() -> false, 10 * SECOND);
    long before = server.received.size();
    long greedyBefore = greedy.bytes;
    link.runUntil(() -> false, 10 * SECOND);
    long during = server.received.size() - before;

    assertThat(alone / 10).as("alone, bytes/s").isGreaterThan(LINK_BYTES_PER_SECOND * 60 / 100);
    assertThat(during / 10)
        .as("beside a greedy flow, bytes/s")
        .isLessThan(LINK_BYTES_PER_SECOND / 20);
    assertThat((greedy.bytes - greedyBefore) / 10).isGreaterThan(LINK_BYTES_PER_SECOND * 90 / 100);
    assertThat(client.closed).as("still connected").isFalse();
  }
}
