package dev.bitwright.dht.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.dht.NodeId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class RoutingTableProperties {

  /**
   * Whatever nodes answer or fail, every bucket holds at most K nodes, each in the bucket its id
   * belongs to, and the table never grows beyond 160 buckets.
   */
  @Property(tries = 200)
  void bucketsStayConsistent(@ForAll long seed, @ForAll @IntRange(min = 1, max = 2000) int events)
      throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    NodeId own = NodeId.random(random);
    RoutingTable table = new RoutingTable(own, false, 0);
    for (int i = 0; i < events; i++) {
      byte[] ip = {10, 1, (byte) random.nextInt(8), (byte) random.nextInt(256)};
      InetSocketAddress address = new InetSocketAddress(InetAddress.getByAddress(ip), 6881);
      if (random.nextInt(4) == 0) {
        table.queryFailed(address, i);
      } else {
        // Ids near ours now and then, so that buckets split deep.
        NodeId id = random.nextBoolean() ? NodeId.random(random) : near(own, random);
        table.nodeResponded(id, address, i);
      }
    }
    assertThat(table.bucketCount()).isBetween(1, NodeId.BITS);
    int total = 0;
    for (int b = 0; b < table.bucketCount(); b++) {
      List<RoutingEntry> bucket = table.bucket(b);
      assertThat(bucket).hasSizeLessThanOrEqualTo(RoutingTable.K);
      total += bucket.size();
      for (RoutingEntry e : bucket) {
        int shared = own.commonPrefixLength(e.id());
        if (b < table.bucketCount() - 1) {
          assertThat(shared).isEqualTo(b);
        } else {
          assertThat(shared).isGreaterThanOrEqualTo(b);
        }
      }
    }
    assertThat(total).isEqualTo(table.size());
    assertThat(table.replacementCount()).isLessThanOrEqualTo(table.bucketCount() * RoutingTable.K);
  }

  private static NodeId near(NodeId own, SplittableRandom random) {
    byte[] id = own.toBytes();
    int flipFrom = random.nextInt(NodeId.BITS);
    for (int bit = flipFrom; bit < NodeId.BITS; bit++) {
      if (random.nextBoolean() || bit == flipFrom) {
        id[bit >>> 3] ^= (byte) (0x80 >>> (bit & 7));
      }
    }
    return NodeId.of(id);
  }
}
