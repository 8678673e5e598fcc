package dev.bitwright.dht;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.dht.internal.KrpcQuery;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The periodic work of {@link DhtNode#advance}: pings, bucket refresh, re-bootstrap, expiry. */
class DhtNodeMaintenanceTest {
  private final ScriptedPeer alice = ScriptedPeer.at("192.0.2.1", 7001, 0x11);

  private static List<String> methods(List<DhtDatagram> out) {
    return out.stream().map(d -> ((KrpcQuery) ScriptedPeer.decode(d)).method()).toList();
  }

  @Test
  void questionableNodesArePingedAndStaleBucketsRefreshed() {
    NodeFixture f = new NodeFixture();
    f.introduce(alice);
    f.advance(10 * 60);
    assertThat(ScriptedPeer.drain(f.node)).isEmpty();
    f.advance(5 * 60 + 5);
    List<DhtDatagram> out = ScriptedPeer.drain(f.node);
    assertThat(methods(out)).contains("ping", "find_node");
    assertThat(out).extracting(DhtDatagram::destination).containsOnly(alice.address);
  }

  @Test
  void withAnEmptyTableTheNodeAsksTheRoutersAgainAMinuteLater() {
    InetSocketAddress router = ScriptedPeer.address("192.0.2.200", 6881);
    NodeFixture f =
        new NodeFixture(DhtConfig.builder().bootstrapNodes(List.of(router)).ipv6(false));
    // The router never answers: the bootstrap lookup fails after one retry (4 s), and a minute
    // after it started the node, whose table is still empty, asks the router again.
    List<String> transactions = new ArrayList<>();
    List<Integer> firstSeen = new ArrayList<>();
    for (int second = 5; second <= 70; second += 5) {
      f.advance(5);
      for (DhtDatagram d : ScriptedPeer.drain(f.node)) {
        KrpcQuery q = (KrpcQuery) ScriptedPeer.decode(d);
        assertThat(q.method()).isEqualTo("find_node");
        assertThat(d.destination()).isEqualTo(router);
        String transaction = HexFormat.of().formatHex(q.transactionId());
        if (!transactions.contains(transaction)) {
          transactions.add(transaction);
          firstSeen.add(second);
        }
      }
    }
    // At 5 s the retry of the query sent at start (its first copy went before the loop).
    assertThat(firstSeen).containsExactly(5, 60);
    assertThat(f.node.stats().routingTableSizeV4()).isZero();
  }

  @Test
  void theDeadlineIsTheNextRetryOrMaintenance() {
    NodeFixture f = new NodeFixture();
    long deadline = f.node.nextDeadlineNanos();
    assertThat(deadline - f.now).isBetween(1L, 5_000_000_000L);
    f.node.addNode(alice.address, f.now);
    assertThat(f.node.nextDeadlineNanos() - f.now).isLessThanOrEqualTo(2_000_000_000L);
    assertThat(f.node.stats().outstandingQueries()).isEqualTo(1);
    f.advance(2);
    assertThat(f.node.stats().outstandingQueries()).isEqualTo(1);
    f.advance(2);
    assertThat(f.node.stats().outstandingQueries()).isZero();
  }
}
