package dev.bitwright.dht;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.dht.internal.KrpcResponse;
import dev.bitwright.dht.internal.Outbox;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A flood of valid queries from many sources leaves every structure within its cap. */
class DhtNodeFloodTest {

  private static ScriptedPeer source(int i) {
    try {
      byte[] ip = {(byte) 100, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i};
      byte[] id = new byte[NodeId.LENGTH];
      new SplittableRandom(i).nextBytes(id);
      return new ScriptedPeer(
          NodeId.of(id), new InetSocketAddress(InetAddress.getByAddress(ip), 6881));
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void announcesFromThousandsOfSourcesStayWithinTheCaps() throws Exception {
    NodeFixture f =
        new NodeFixture(
            DhtConfig.builder()
                .nodeId(NodeFixture.OWN)
                .bootstrapNodes(List.of())
                .maxInfoHashes(100)
                .maxPeersPerInfoHash(20)
                .maxStoredPeers(500)
                .maxOutstandingQueries(64));
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 5_000; i++) {
      ScriptedPeer peer = source(i);
      NodeId infoHash = NodeId.random(random);
      List<DhtDatagram> out =
          peer.send(
              f.node,
              peer.query("g", "get_peers", peer.args().put("info_hash", infoHash.toBytes())),
              f.now);
      byte[] token =
          out.stream()
              .map(ScriptedPeer::decode)
              .filter(KrpcResponse.class::isInstance)
              .map(KrpcResponse.class::cast)
              .findFirst()
              .orElseThrow()
              .values()
              .bytes("token");
      peer.send(
          f.node,
          peer.query(
              "a",
              "announce_peer",
              peer.args().put("info_hash", infoHash.toBytes()).put("port", 1).put("token", token)),
          f.now);
      DhtStats stats = f.node.stats();
      assertThat(stats.storedInfoHashes()).isLessThanOrEqualTo(100);
      assertThat(stats.storedPeers()).isLessThanOrEqualTo(500);
      assertThat(stats.outstandingQueries()).isLessThanOrEqualTo(32);
    }
    assertThat(f.node.stats().storedInfoHashes()).isEqualTo(100);
    assertThat(f.node.stats().routingTableSizeV4()).isZero();
  }

  @Test
  void anUndrainedOutboxIsCapped() {
    NodeFixture f = new NodeFixture();
    for (int i = 0; i < 3 * Outbox.CAPACITY; i++) {
      ScriptedPeer peer = source(i);
      f.node.receive(peer.address, peer.query("p", "ping", peer.args()), f.now);
    }
    assertThat(ScriptedPeer.drain(f.node)).hasSize(Outbox.CAPACITY);
    assertThat(f.node.stats().messagesDropped()).isPositive();
  }
}
