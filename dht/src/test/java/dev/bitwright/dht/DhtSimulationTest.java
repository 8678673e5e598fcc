package dev.bitwright.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Networks of nodes in one process on a simulated network (2 % loss, 10 to 100 ms latency, one
 * seeded random source): they bootstrap from one node, then random nodes announce and others find
 * them, and find_node lookups are checked against the true closest nodes.
 */
class DhtSimulationTest {
  private static final Logger LOG = LoggerFactory.getLogger(DhtSimulationTest.class);

  /** The nodes of one simulated network, started one every 50 ms and left to settle. */
  private record Swarm(SimulatedNetwork net, List<DhtNode> nodes, SplittableRandom random) {
    static Swarm start(int count, IntFunction<InetSocketAddress> address, long seed) {
      SplittableRandom random = new SplittableRandom(seed);
      SimulatedNetwork net = new SimulatedNetwork(random.split(), 0.02, 10_000_000, 100_000_000);
      List<DhtNode> nodes = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        DhtConfig config =
            DhtConfig.builder()
                .random(random.split())
                .bootstrapNodes(i == 0 ? List.of() : List.of(address.apply(0)))
                .build();
        DhtNode node = DhtNode.create(config, net.now());
        nodes.add(node);
        net.add(address.apply(i), node);
        net.act(node, n -> n.start(net.now()));
        net.runFor(0.05);
      }
      net.runFor(120);
      return new Swarm(net, nodes, random);
    }

    DhtNode any() {
      return nodes.get(1 + random.nextInt(nodes.size() - 1));
    }
  }

  /** What the announce-then-find rounds and the find_node rounds measured. */
  private static final class Results {
    final List<LookupStats> peerLookups = new ArrayList<>();
    final List<LookupStats> nodeLookups = new ArrayList<>();
    int found;
    int closestFound;
    int overlap;
  }

  /** A random node announces a random info-hash; another one looks it up. */
  private static void announceThenFind(Swarm s, int round, Results results) {
    DhtNode announcer = s.any();
    DhtNode seeker = s.any();
    NodeId infoHash = NodeId.random(s.random());
    int port = 10_000 + round;
    RecordingPeerListener announced = new RecordingPeerListener();
    s.net().act(announcer, n -> n.announce(infoHash, port, false, announced, s.net().now()));
    s.net().runUntil(announced::isDone, 60);
    assertThat(announced.done).isNotNull();
    assertThat(announced.done.announcesSent()).isGreaterThan(0);

    RecordingPeerListener seeking = new RecordingPeerListener();
    s.net().act(seeker, n -> n.getPeers(infoHash, seeking, s.net().now()));
    s.net().runUntil(seeking::isDone, 60);
    assertThat(seeking.done).isNotNull();
    results.peerLookups.add(seeking.done);
    InetSocketAddress expected =
        new InetSocketAddress(s.net().addressOf(announcer).getAddress(), port);
    if (seeking.peers.contains(expected)) {
      results.found++;
    }
  }

  /** A random node looks up a random id; the answer is compared with the true 8 closest. */
  private static void findNode(Swarm s, Results results) {
    DhtNode seeker = s.any();
    NodeId target = NodeId.random(s.random());
    AtomicReference<List<DhtContact>> result = new AtomicReference<>();
    s.net()
        .act(
            seeker,
            n ->
                n.findNode(
                    target,
                    (t, closest, stats) -> {
                      result.set(closest);
                      results.nodeLookups.add(stats);
                    },
                    s.net().now()));
    s.net().runUntil(() -> result.get() != null, 60);
    assertThat(result.get()).isNotNull();
    List<NodeId> truth =
        s.nodes().stream()
            .map(DhtNode::id)
            .filter(id -> !id.equals(seeker.id()))
            .sorted(NodeId.byDistanceTo(target))
            .limit(8)
            .toList();
    List<NodeId> got = result.get().stream().map(DhtContact::id).toList();
    if (!got.isEmpty() && got.get(0).equals(truth.get(0))) {
      results.closestFound++;
    }
    results.overlap += (int) got.stream().filter(truth::contains).count();
  }

  private static Results measure(Swarm swarm, int rounds) {
    Results results = new Results();
    for (int i = 0; i < rounds; i++) {
      announceThenFind(swarm, i, results);
    }
    for (int i = 0; i < rounds; i++) {
      findNode(swarm, results);
    }
    return results;
  }

  @Test
  void lookupsConvergeInAThousandNodeNetwork(TestReporter reporter) {
    long started = System.nanoTime();
    int rounds = 100;
    Swarm swarm = Swarm.start(1000, SimulatedNetwork::address, 20261124);
    Results r = measure(swarm, rounds);
    double seconds = (System.nanoTime() - started) / 1e9;
    String summary =
        String.format(
            "%d nodes; get_peers found the announcer in %d/%d; find_node found the closest node"
                + " in %d/%d, mean overlap with the true 8 closest %.2f;"
                + " get_peers hops median %d p95 %d, queries median %d p95 %d;"
                + " find_node hops median %d p95 %d, queries median %d p95 %d;"
                + " datagrams delivered %d, lost %d; %.1f s wall time",
            swarm.nodes().size(),
            r.found,
            rounds,
            r.closestFound,
            rounds,
            r.overlap / (double) rounds,
            percentile(r.peerLookups, LookupStats::hops, 50),
            percentile(r.peerLookups, LookupStats::hops, 95),
            percentile(r.peerLookups, LookupStats::queriesSent, 50),
            percentile(r.peerLookups, LookupStats::queriesSent, 95),
            percentile(r.nodeLookups, LookupStats::hops, 50),
            percentile(r.nodeLookups, LookupStats::hops, 95),
            percentile(r.nodeLookups, LookupStats::queriesSent, 50),
            percentile(r.nodeLookups, LookupStats::queriesSent, 95),
            swarm.net().delivered(),
            swarm.net().lost(),
            seconds);
    LOG.info(summary);
    reporter.publishEntry("simulation", summary);

    assertThat(r.found).isGreaterThanOrEqualTo(rounds * 97 / 100);
    assertThat(r.closestFound).isGreaterThanOrEqualTo(rounds * 95 / 100);
    assertThat(r.overlap / (double) rounds).isGreaterThan(7.5);
    assertThat(percentile(r.peerLookups, LookupStats::hops, 50)).isBetween(1, 6);
    assertThat(percentile(r.peerLookups, LookupStats::hops, 95)).isLessThanOrEqualTo(8);
    assertThat(percentile(r.peerLookups, LookupStats::queriesSent, 95)).isLessThanOrEqualTo(40);
    assertThat(percentile(r.nodeLookups, LookupStats::queriesSent, 95)).isLessThanOrEqualTo(40);
    assertThat(r.peerLookups)
        .allSatisfy(s -> assertThat(s.duration()).isLessThan(Duration.ofSeconds(30)));
  }

  @Test
  void lookupsConvergeOverIpv6(TestReporter reporter) {
    int rounds = 30;
    Swarm swarm = Swarm.start(300, SimulatedNetwork::addressV6, 32);
    Results r = measure(swarm, rounds);
    reporter.publishEntry(
        "ipv6", "found " + r.found + "/" + rounds + ", closest " + r.closestFound + "/" + rounds);
    assertThat(swarm.nodes().get(7).stats().routingTableSizeV6()).isGreaterThan(8);
    assertThat(swarm.nodes().get(7).stats().routingTableSizeV4()).isZero();
    assertThat(r.found).isGreaterThanOrEqualTo(rounds * 95 / 100);
    assertThat(r.closestFound).isGreaterThanOrEqualTo(rounds * 9 / 10);
  }

  private static int percentile(List<LookupStats> stats, ToIntFunction<LookupStats> f, int p) {
    List<Integer> values = new ArrayList<>(stats.stream().map(f::applyAsInt).toList());
    Collections.sort(values);
    int index = (int) Math.ceil(p / 100.0 * values.size()) - 1;
    return values.get(Math.max(0, index));
  }
}
