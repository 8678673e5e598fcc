package dev.bitwright.dht.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.dht.DhtContact;
import dev.bitwright.dht.NodeId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
  private static final long T0 = 5_000_000_000L;
  private static final long MINUTE = 60_000_000_000L;
  private static final NodeId OWN = NodeId.fromHex("00".repeat(20));
  private final SplittableRandom random = new SplittableRandom(1);
  private int nextAddress = 1;

  /** An id sharing exactly {@code prefix} leading bits with {@link #OWN} (all zero). */
  private NodeId idWithPrefix(int prefix) {
    byte[] id = NodeId.random(random).toBytes();
    for (int bit = 0; bit < prefix; bit++) {
      id[bit >>> 3] &= (byte) ~(0x80 >>> (bit & 7));
    }
    id[prefix >>> 3] |= (byte) (0x80 >>> (prefix & 7));
    return NodeId.of(id);
  }

  private InetSocketAddress local() {
    return address("10.0." + (nextAddress >>> 8) + "." + (nextAddress++ & 0xff));
  }

  private static InetSocketAddress address(String ip) {
    try {
      return new InetSocketAddress(InetAddress.getByName(ip), 6881);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void onlyTheBucketHoldingOurIdSplits() {
    RoutingTable table = new RoutingTable(OWN, false, T0);
    for (int i = 0; i < RoutingTable.K; i++) {
      assertThat(table.nodeResponded(idWithPrefix(0), local(), T0))
          .isEqualTo(RoutingTable.Outcome.ADDED);
    }
    assertThat(table.bucketCount()).isEqualTo(1);
    // A ninth node near us splits the single bucket; the far half keeps its eight.
    assertThat(table.nodeResponded(idWithPrefix(3), local(), T0))
        .isEqualTo(RoutingTable.Outcome.ADDED);
    assertThat(table.bucketCount()).isEqualTo(2);
    assertThat(table.bucket(0)).hasSize(8);
    assertThat(table.bucket(1)).hasSize(1);
    // The far bucket is full and does not cover our id: a ninth far node waits.
    assertThat(table.nodeResponded(idWithPrefix(0), local(), T0))
        .isEqualTo(RoutingTable.Outcome.CACHED);
    assertThat(table.replacementCount()).isEqualTo(1);
    assertThat(table.size()).isEqualTo(9);
  }

  @Test
  void nodeStatesFollowBep5() {
    RoutingTable table = new RoutingTable(OWN, false, T0);
    NodeId id = idWithPrefix(0);
    InetSocketAddress a = local();
    table.nodeResponded(id, a, T0);
    RoutingEntry entry = table.entry(id).orElseThrow();
    assertThat(entry.state(T0)).isEqualTo(RoutingEntry.State.GOOD);
    assertThat(entry.state(T0 + 16 * MINUTE)).isEqualTo(RoutingEntry.State.QUESTIONABLE);
    // A query from a node that once answered keeps it good.
    table.nodeQueriedUs(id, a, T0 + 14 * MINUTE);
    assertThat(entry.state(T0 + 16 * MINUTE)).isEqualTo(RoutingEntry.State.GOOD);
    table.queryFailed(a, T0);
    assertThat(entry.state(T0)).isEqualTo(RoutingEntry.State.QUESTIONABLE);
    table.queryFailed(a, T0);
    assertThat(entry.state(T0)).isEqualTo(RoutingEntry.State.BAD);
    assertThat(table.closest(OWN, 8, T0)).isEmpty();
    table.nodeResponded(id, a, T0);
    assertThat(entry.state(T0)).isEqualTo(RoutingEntry.State.GOOD);
  }

  @Test
  void aBadNodeIsReplacedFromTheReplacementCache() {
    RoutingTable table = new RoutingTable(OWN, false, T0);
    table.nodeResponded(idWithPrefix(3), local(), T0);
    InetSocketAddress first = null;
    for (int i = 0; i < RoutingTable.K; i++) {
      InetSocketAddress a = local();
      first = first == null ? a : first;
      table.nodeResponded(idWithPrefix(0), a, T0);
    }
    NodeId waiting = idWithPrefix(0);
    assertThat(table.nodeResponded(waiting, local(), T0)).isEqualTo(RoutingTable.Outcome.CACHED);
    table.queryFailed(first, T0);
    table.queryFailed(first, T0);
    assertThat(table.entryAt(first)).isEmpty();
    assertThat(table.entry(waiting)).isPresent();
    assertThat(table.replacementCount()).isZero();
  }

  @Test
  void aBadNodeGivesWayToANewOne() {
    RoutingTable table = new RoutingTable(OWN, false, T0);
    table.nodeResponded(idWithPrefix(3), local(), T0);
    InetSocketAddress first = local();
    table.nodeResponded(idWithPrefix(0), first, T0);
    for (int i = 1; i < RoutingTable.K; i++) {
      table.nodeResponded(idWithPrefix(0), local(), T0);
    }
    table.queryFailed(first, T0);
    table.queryFailed(first, T0);
    assertThat(table.wouldAdmit(idWithPrefix(0), local(), T0)).isTrue();
    assertThat(table.nodeResponded(idWithPrefix(0), local(), T0))
        .isEqualTo(RoutingTable.Outcome.REPLACED);
    assertThat(table.entryAt(first)).isEmpty();
  }

  @Test
  void aSecureNodeReplacesAnUnverifiedOneInAFullBucket() throws Exception {
    // Our id starts with bit 1, so the far bucket holds ids starting with 0, as the BEP's 5fbf...
    RoutingTable table = new RoutingTable(NodeId.fromHex("ff".repeat(20)), false, T0);
    for (int i = 0; i < RoutingTable.K; i++) {
      byte[] id = NodeId.random(random).toBytes();
      id[0] &= 0x7f;
      table.nodeResponded(NodeId.of(id), address("8.8.4." + i), T0);
    }
    InetAddress ip = InetAddress.getByName("124.31.75.21");
    NodeId secure = NodeId.fromHex("5fbfbff10c5d6a4ec8a88e4c6ab4c28b95eee401");
    assertThat(table.nodeResponded(secure, new InetSocketAddress(ip, 1), T0))
        .isEqualTo(RoutingTable.Outcome.REPLACED);
    assertThat(table.entry(secure).orElseThrow().secure()).isTrue();
    assertThat(table.size()).isEqualTo(RoutingTable.K);
  }

  @Test
  void enforcingModeRefusesUnverifiedIds() {
    RoutingTable table = new RoutingTable(OWN, true, T0);
    assertThat(table.nodeResponded(idWithPrefix(0), address("8.8.8.8"), T0))
        .isEqualTo(RoutingTable.Outcome.REJECTED);
    assertThat(table.nodeResponded(idWithPrefix(0), local(), T0))
        .isEqualTo(RoutingTable.Outcome.ADDED);
  }

  @Test
  void oneEntryPerAddressAndNoIdTakeover() {
    RoutingTable table = new RoutingTable(OWN, false, T0);
    NodeId id = idWithPrefix(0);
    InetSocketAddress a = local();
    table.nodeResponded(id, a, T0);
    assertThat(table.nodeResponded(id, local(), T0)).isEqualTo(RoutingTable.Outcome.REJECTED);
    NodeId renamed = idWithPrefix(1);
    assertThat(table.nodeResponded(renamed, a, T0)).isEqualTo(RoutingTable.Outcome.ADDED);
    assertThat(table.entry(id)).isEmpty();
    assertThat(table.size()).isEqualTo(1);
    assertThat(table.nodeResponded(OWN, local(), T0)).isEqualTo(RoutingTable.Outcome.REJECTED);
  }

  @Test
  void onePublicIpHoldsOneEntry() {
    RoutingTable table = new RoutingTable(OWN, false, T0);
    InetSocketAddress first = address("198.51.100.1");
    InetSocketAddress samePort2 = new InetSocketAddress(first.getAddress(), 6882);
    NodeId second = idWithPrefix(0);
    assertThat(table.nodeResponded(idWithPrefix(0), first, T0))
        .isEqualTo(RoutingTable.Outcome.ADDED);
    assertThat(table.wouldAdmit(second, samePort2, T0)).isFalse();
    assertThat(table.nodeResponded(second, samePort2, T0)).isEqualTo(RoutingTable.Outcome.REJECTED);
    // Local networks are exempt: a test swarm on one machine shares 127.0.0.1.
    InetSocketAddress loopback = address("127.0.0.1");
    assertThat(table.nodeResponded(idWithPrefix(0), loopback, T0))
        .isEqualTo(RoutingTable.Outcome.ADDED);
    assertThat(
            table.nodeResponded(
                idWithPrefix(0), new InetSocketAddress(loopback.getAddress(), 6882), T0))
        .isEqualTo(RoutingTable.Outcome.ADDED);
    // Once the first entry goes bad, its IP may come back with another port.
    table.queryFailed(first, T0);
    table.queryFailed(first, T0);
    assertThat(table.nodeResponded(second, samePort2, T0)).isEqualTo(RoutingTable.Outcome.ADDED);
    assertThat(table.entryAt(first)).isEmpty();
  }

  @Test
  void closestNodesComeFirst() {
    RoutingTable table = new RoutingTable(OWN, false, T0);
    for (int prefix = 0; prefix < 40; prefix++) {
      table.nodeResponded(idWithPrefix(prefix), local(), T0);
    }
    List<DhtContact> closest = table.closest(OWN, 8, T0);
    assertThat(closest).hasSize(8);
    assertThat(closest)
        .extracting(c -> OWN.commonPrefixLength(c.id()))
        .containsExactly(39, 38, 37, 36, 35, 34, 33, 32);
  }

  @Test
  void bucketsUnchangedFor15MinutesAreRefreshedWithAnIdInTheirRange() {
    RoutingTable table = new RoutingTable(OWN, false, T0);
    for (int prefix = 0; prefix < 5; prefix++) {
      for (int i = 0; i < 3; i++) {
        table.nodeResponded(idWithPrefix(prefix), local(), T0);
      }
    }
    for (int i = 0; i < 9; i++) {
      table.nodeResponded(idWithPrefix(0), local(), T0);
    }
    int buckets = table.bucketCount();
    assertThat(buckets).isGreaterThan(1);
    assertThat(table.refreshTargets(T0 + 14 * MINUTE, random, 100)).isEmpty();
    List<NodeId> targets = table.refreshTargets(T0 + 15 * MINUTE, random, 100);
    assertThat(targets).hasSize(buckets);
    for (int i = 0; i < buckets - 1; i++) {
      assertThat(OWN.commonPrefixLength(targets.get(i))).isEqualTo(i);
    }
    assertThat(OWN.commonPrefixLength(targets.get(buckets - 1)))
        .isGreaterThanOrEqualTo(buckets - 1);
    assertThat(table.refreshTargets(T0 + 16 * MINUTE, random, 100)).isEmpty();
  }

  @Test
  void rememberedNodesAreQuestionableAndGetPinged() {
    RoutingTable table = new RoutingTable(OWN, false, T0);
    DhtContact remembered = new DhtContact(idWithPrefix(0), local());
    assertThat(table.addRemembered(remembered, T0)).isTrue();
    assertThat(table.addRemembered(remembered, T0)).isFalse();
    assertThat(table.entry(remembered.id()).orElseThrow().state(T0))
        .isEqualTo(RoutingEntry.State.QUESTIONABLE);
    assertThat(table.nodesToPing(T0, MINUTE, 4))
        .extracting(RoutingEntry::id)
        .containsExactly(remembered.id());
    assertThat(table.nodesToPing(T0 + 1, MINUTE, 4)).isEmpty();
  }
}
