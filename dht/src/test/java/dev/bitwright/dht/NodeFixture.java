package dev.bitwright.dht;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.dht.internal.KrpcQuery;
import java.util.List;
import java.util.SplittableRandom;

/** A node under test with a fake clock, and helpers to script its neighbours. */
final class NodeFixture {
  static final NodeId OWN = NodeId.fromHex("80" + "00".repeat(19));
  long now = -3_000_000_000L;
  final DhtNode node;

  NodeFixture(DhtConfig.Builder config) {
    node = DhtNode.create(config.random(new SplittableRandom(11)).build(), now);
    node.start(now);
    ScriptedPeer.drain(node);
  }

  /** A started node with id {@link #OWN}, no bootstrap nodes, IPv4 and IPv6. */
  NodeFixture() {
    this(DhtConfig.builder().nodeId(OWN).bootstrapNodes(List.of()));
  }

  long advance(double seconds) {
    now += (long) (seconds * 1e9);
    node.advance(now);
    return now;
  }

  /** Makes {@code peer} answer a ping, so that it enters the routing table. */
  void introduce(ScriptedPeer peer) {
    node.addNode(peer.address, now);
    List<DhtDatagram> out = ScriptedPeer.drain(node);
    assertThat(out).hasSize(1);
    KrpcQuery ping = (KrpcQuery) ScriptedPeer.decode(out.get(0));
    peer.send(node, peer.response(ping.transactionId(), peer.args()), now);
  }

  /** Answers {@code query}, sent by the node to {@code peer}, with {@code values}. */
  List<DhtDatagram> answer(ScriptedPeer peer, DhtDatagram query, BencodeDictionary.Builder values) {
    KrpcQuery q = (KrpcQuery) ScriptedPeer.decode(query);
    return peer.send(node, peer.response(q.transactionId(), values), now);
  }
}
