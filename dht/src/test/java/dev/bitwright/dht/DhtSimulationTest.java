package dev.bitwright.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 1,000 nodes in one process on a simulated network (2 % loss, 10 to 100 ms latency, one seeded
 * random source): they bootstrap from one node, then random nodes announce and others find them,
 * and find_node lookups are checked against the true closest nodes.
 */
class DhtSimulationTest {
  private static final Logger LOG = LoggerFactory.getLogger(DhtSimulationTest.class);
  private static final int NODES = 1000;
  private static final int ANNOUNCES = 100;
  private static final int FIND_NODES = 100;

  @Test
  void lookupsConvergeInAThousandNodeNetwork(TestReporter reporter) {
    long started = System.nanoTime();
    SplittableRandom random = new SplittableRandom(20261124);
    SimulatedNetwork net = new SimulatedNetwork(random.split(), 0.02, 10_000_000, 100_000_000);
    InetSocketAddress bootstrap = SimulatedNetwork.address(0);
    List<DhtNode> nodes = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      DhtConfig config =
          DhtConfig.builder()
              .random(random.split())
              .bootstrapNodes(i == 0 ? List.of() : List.of(bootstrap))
              .ipv6(false)
              .build();
      DhtNode node = DhtNode.create(config, net.now());
      nodes.add(node);
      net.add(SimulatedNetwork.address(i), node);
      net.act(node, n -> n.start(net.now()));
      net.runFor(0.05);
    }
    net.runFor(120);

    List<LookupStats> peerLookups = new ArrayList<>();
    int found = 0;
    for (int i = 0; i < ANNOUNCES; i++) {
      DhtNode announcer = nodes.get(1 + random.nextInt(NODES - 1));
      DhtNode seeker = nodes.get(1 + random.nextInt(NODES - 1));
      NodeId infoHash = NodeId.random(random);
      int port = 10_000 + i;
      RecordingPeerListener announced = new RecordingPeerListener();
      net.act(announcer, n -> n.announce(infoHash, port, false, announced, net.now()));
      net.runUntil(announced::isDone, 60);
      assertThat(announced.done).isNotNull();
      assertThat(announced.done.announcesSent()).isGreaterThan(0);

      RecordingPeerListener seeking = new RecordingPeerListener();
      net.act(seeker, n -> n.getPeers(infoHash, seeking, net.now()));
      net.runUntil(seeking::isDone, 60);
      assertThat(seeking.done).isNotNull();
      peerLookups.add(seeking.done);
      InetSocketAddress expected =
          new InetSocketAddress(net.addressOf(announcer).getAddress(), port);
      if (seeking.peers.contains(expected)) {
        found++;
      }
    }

    List<LookupStats> nodeLookups = new ArrayList<>();
    int closestFound = 0;
    int overlap = 0;
    for (int i = 0; i < FIND_NODES; i++) {
      DhtNode seeker = nodes.get(random.nextInt(NODES));
      NodeId target = NodeId.random(random);
      AtomicReference<List<DhtContact>> result = new AtomicReference<>();
      net.act(
          seeker,
          n ->
              n.findNode(
                  target,
                  (t, closest, stats) -> {
                    result.set(closest);
                    nodeLookups.add(stats);
                  },
                  net.now()));
      net.runUntil(() -> result.get() != null, 60);
      assertThat(result.get()).isNotNull();
      List<NodeId> truth =
          nodes.stream()
              .map(DhtNode::id)
              .filter(id -> !id.equals(seeker.id()))
              .sorted(NodeId.byDistanceTo(target))
              .limit(8)
              .toList();
      List<NodeId> got = result.get().stream().map(DhtContact::id).toList();
      if (!got.isEmpty() && got.get(0).equals(truth.get(0))) {
        closestFound++;
      }
      overlap += (int) got.stream().filter(truth::contains).count();
    }

    double seconds = (System.nanoTime() - started) / 1e9;
    String summary =
        String.format(
            "%d nodes; get_peers found the announcer in %d/%d; find_node found the closest node"
                + " in %d/%d, mean overlap with the true 8 closest %.2f;"
                + " get_peers hops median %d p95 %d, queries median %d p95 %d;"
                + " find_node hops median %d p95 %d, queries median %d p95 %d;"
                + " datagrams delivered %d, lost %d; %.1f s wall time",
            NODES,
            found,
            ANNOUNCES,
            closestFound,
            FIND_NODES,
            overlap / (double) FIND_NODES,
            percentile(peerLookups, LookupStats::hops, 50),
            percentile(peerLookups, LookupStats::hops, 95),
            percentile(peerLookups, LookupStats::queriesSent, 50),
            percentile(peerLookups, LookupStats::queriesSent, 95),
            percentile(nodeLookups, LookupStats::hops, 50),
            percentile(nodeLookups, LookupStats::hops, 95),
            percentile(nodeLookups, LookupStats::queriesSent, 50),
            percentile(nodeLookups, LookupStats::queriesSent, 95),
            net.delivered(),
            net.lost(),
            seconds);
    LOG.info(summary);
    reporter.publishEntry("simulation", summary);

    assertThat(found).isGreaterThanOrEqualTo(ANNOUNCES * 97 / 100);
    assertThat(closestFound).isGreaterThanOrEqualTo(FIND_NODES * 95 / 100);
    assertThat(overlap / (double) FIND_NODES).isGreaterThan(7.5);
    assertThat(percentile(peerLookups, LookupStats::hops, 50)).isBetween(1, 6);
    assertThat(percentile(peerLookups, LookupStats::hops, 95)).isLessThanOrEqualTo(8);
    assertThat(percentile(peerLookups, LookupStats::queriesSent, 95)).isLessThanOrEqualTo(40);
    assertThat(percentile(nodeLookups, LookupStats::queriesSent, 95)).isLessThanOrEqualTo(40);
    assertThat(peerLookups)
        .allSatisfy(s -> assertThat(s.duration()).isLessThan(Duration.ofSeconds(30)));
  }

  private static int percentile(List<LookupStats> stats, ToIntFunction<LookupStats> f, int p) {
    List<Integer> values = new ArrayList<>(stats.stream().map(f::applyAsInt).toList());
    Collections.sort(values, Comparator.naturalOrder());
    int index = (int) Math.ceil(p / 100.0 * values.size()) - 1;
    return values.get(Math.max(0, index));
  }
}
