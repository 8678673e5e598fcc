package dev.bitwright.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeEncoder;
import dev.bitwright.bencode.BencodeList;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.dht.internal.CompactNodes;
import dev.bitwright.dht.internal.KrpcCodec;
import dev.bitwright.dht.internal.KrpcQuery;
import dev.bitwright.metainfo.internal.compact.CompactAddresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** How a node queries others: lookups, announces, validation of answers, timeouts and state. */
class DhtNodeQueryingTest {
  private static final NodeId INFO_HASH = NodeId.fromHex("c0".repeat(20));
  private final ScriptedPeer alice = ScriptedPeer.at("192.0.2.1", 7001, 0xc1);
  private final ScriptedPeer bob = ScriptedPeer.at("192.0.2.2", 7002, 0xc2);

  private static KrpcQuery query(DhtDatagram d) {
    return (KrpcQuery) ScriptedPeer.decode(d);
  }

  @Test
  void anAnnounceLooksUpThenAnnouncesToTheNodesThatGaveTokens() throws Exception {
    NodeFixture f = new NodeFixture();
    f.introduce(alice);
    f.introduce(bob);
    RecordingPeerListener listener = new RecordingPeerListener();
    DhtLookup lookup = f.node.announce(INFO_HASH, 6881, false, listener, f.now);
    List<DhtDatagram> getPeers = ScriptedPeer.drain(f.node);
    assertThat(getPeers).extracting(d -> query(d).method()).containsOnly("get_peers");
    assertThat(getPeers)
        .extracting(DhtDatagram::destination)
        .containsExactlyInAnyOrder(alice.address, bob.address);

    InetSocketAddress seed = ScriptedPeer.address("198.51.100.7", 51413);
    List<DhtDatagram> announces = new ArrayList<>();
    for (DhtDatagram d : getPeers) {
      ScriptedPeer peer = d.destination().equals(alice.address) ? alice : bob;
      BencodeDictionary.Builder values =
          peer.args()
              .put("token", "tok-" + peer.id.byteAt(0))
              .put("nodes", new byte[0])
              .put("values", BencodeList.of(BencodeString.of(CompactAddresses.encode(seed))));
      announces.addAll(f.answer(peer, d, values));
    }
    assertThat(listener.peers).containsExactly(seed);
    assertThat(listener.batches).isEqualTo(1);
    assertThat(announces).hasSize(2);
    for (DhtDatagram d : announces) {
      KrpcQuery q = query(d);
      ScriptedPeer peer = d.destination().equals(alice.address) ? alice : bob;
      assertThat(q.method()).isEqualTo("announce_peer");
      assertThat(q.arguments().integer("port")).isEqualTo(6881);
      assertThat(q.arguments().id("info_hash")).isEqualTo(INFO_HASH);
      assertThat(new String(q.arguments().bytes("token"), java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo("tok-" + peer.id.byteAt(0));
      assertThat(lookup.isDone()).isFalse();
      f.answer(peer, d, peer.args());
    }
    assertThat(lookup.isDone()).isTrue();
    assertThat(listener.done.announcesSent()).isEqualTo(2);
    assertThat(listener.done.nodesWithTokens()).isEqualTo(2);
    assertThat(listener.done.peersFound()).isEqualTo(1);
    assertThat(listener.done.hops()).isEqualTo(1);
  }

  @Test
  void findNodeFollowsCloserNodesAndReportsTheClosest() {
    NodeFixture f = new NodeFixture();
    f.introduce(alice);
    NodeId target = NodeId.fromHex("ff".repeat(20));
    ScriptedPeer closer =
        new ScriptedPeer(NodeId.fromHex("fe".repeat(20)), ScriptedPeer.address("192.0.2.9", 7009));
    List<List<DhtContact>> results = new ArrayList<>();
    f.node.findNode(target, (t, closest, stats) -> results.add(closest), f.now);
    DhtDatagram first = ScriptedPeer.drain(f.node).get(0);
    assertThat(first.destination()).isEqualTo(alice.address);
    List<DhtDatagram> next =
        f.answer(
            alice,
            first,
            alice
                .args()
                .put(
                    "nodes",
                    CompactNodes.nodes(List.of(new DhtContact(closer.id, closer.address)))));
    assertThat(next).extracting(DhtDatagram::destination).containsExactly(closer.address);
    f.answer(closer, next.get(0), closer.args().put("nodes", new byte[0]));
    assertThat(results).hasSize(1);
    assertThat(results.get(0)).extracting(DhtContact::id).containsExactly(closer.id, alice.id);
    assertThat(f.node.stats().routingTableSizeV4()).isEqualTo(2);
  }

  @Test
  void answersFromTheWrongAddressOrWithTheWrongIdAreRejected() {
    NodeFixture f = new NodeFixture();
    f.introduce(alice);
    f.node.findNode(INFO_HASH, (t, c, s) -> {}, f.now);
    DhtDatagram q = ScriptedPeer.drain(f.node).get(0);
    byte[] tid = query(q).transactionId();
    long dropped = f.node.stats().messagesDropped();
    // The right transaction id from another address is not an answer.
    bob.send(f.node, bob.response(tid, bob.args()), f.now);
    assertThat(f.node.stats().messagesDropped()).isEqualTo(dropped + 1);
    assertThat(f.node.stats().outstandingQueries()).isEqualTo(1);
    // From the right address with another id, it is a failed query.
    ScriptedPeer impostor = new ScriptedPeer(bob.id, alice.address);
    impostor.send(f.node, impostor.response(tid, impostor.args()), f.now);
    assertThat(f.node.stats().outstandingQueries()).isZero();
    assertThat(f.node.stats().messagesDropped()).isEqualTo(dropped + 2);
    assertThat(f.node.stats().routingTableSizeV4()).isEqualTo(1);
  }

  @Test
  void anUnansweredQueryIsSentAgainThenFails() {
    InetSocketAddress silent = ScriptedPeer.address("192.0.2.50", 6881);
    NodeFixture f =
        new NodeFixture(DhtConfig.builder().bootstrapNodes(List.of(silent)).ipv6(false));
    List<DhtDatagram> first = ScriptedPeer.drain(f.node);
    List<LookupStats> done = new ArrayList<>();
    f.node.findNode(INFO_HASH, (t, c, stats) -> done.add(stats), f.now);
    List<DhtDatagram> sent = ScriptedPeer.drain(f.node);
    assertThat(sent).hasSize(1);
    assertThat(f.node.nextDeadlineNanos()).isEqualTo(f.now + 2_000_000_000L);
    f.advance(2);
    List<DhtDatagram> again = ScriptedPeer.drain(f.node);
    assertThat(again).extracting(DhtDatagram::payload).contains(sent.get(0).payload());
    assertThat(done).isEmpty();
    f.advance(2);
    assertThat(done).hasSize(1);
    assertThat(done.get(0).timeouts()).isEqualTo(1);
    assertThat(done.get(0).queriesSent()).isEqualTo(1);
    assertThat(done.get(0).duration()).isEqualTo(Duration.ofSeconds(4));
    assertThat(first).isEmpty();
  }

  @Test
  void aCancelledLookupEndsAtOnce() {
    NodeFixture f = new NodeFixture();
    f.introduce(alice);
    RecordingPeerListener listener = new RecordingPeerListener();
    DhtLookup lookup = f.node.getPeers(INFO_HASH, listener, f.now);
    DhtDatagram q = ScriptedPeer.drain(f.node).get(0);
    lookup.cancel(f.now);
    assertThat(lookup.isDone()).isTrue();
    assertThat(listener.done.queriesSent()).isEqualTo(1);
    f.answer(
        alice,
        q,
        alice
            .args()
            .put("values", BencodeList.of(BencodeString.of(new byte[] {1, 2, 3, 4, 5, 6}))));
    assertThat(listener.peers).isEmpty();
  }

  @Test
  void sampleInfohashesTraversalReportsSamples() {
    NodeFixture f = new NodeFixture();
    f.introduce(alice);
    List<List<NodeId>> samples = new ArrayList<>();
    List<LookupStats> done = new ArrayList<>();
    f.node.sampleInfohashes(
        INFO_HASH,
        new SampleListener() {
          @Override
          public void samplesReceived(
              DhtContact node, List<NodeId> s, long stored, Duration interval) {
            assertThat(node.id()).isEqualTo(alice.id);
            assertThat(stored).isEqualTo(7);
            assertThat(interval).isEqualTo(Duration.ofHours(1));
            samples.add(s);
          }

          @Override
          public void lookupDone(LookupStats stats) {
            done.add(stats);
          }
        },
        f.now);
    DhtDatagram q = ScriptedPeer.drain(f.node).get(0);
    assertThat(query(q).method()).isEqualTo("sample_infohashes");
    byte[] two = new byte[40];
    two[0] = 1;
    two[20] = 2;
    f.answer(alice, q, alice.args().put("samples", two).put("num", 7).put("interval", 3600));
    assertThat(samples).hasSize(1);
    assertThat(samples.get(0)).hasSize(2);
    assertThat(done).hasSize(1);
  }

  @Test
  void theStateRestoresTheIdAndTableWithoutTheBootstrapNodes() throws Exception {
    InetSocketAddress router = ScriptedPeer.address("192.0.2.99", 6881);
    NodeFixture first = new NodeFixture(DhtConfig.builder().bootstrapNodes(List.of()).ipv6(false));
    first.introduce(alice);
    first.introduce(bob);
    byte[] state = first.node.saveState();

    DhtNode restarted =
        DhtNode.create(
            DhtConfig.builder()
                .savedState(state)
                .bootstrapNodes(List.of(router))
                .random(new SplittableRandom(2))
                .build(),
            0);
    assertThat(restarted.id()).isEqualTo(first.node.id());
    restarted.start(0);
    assertThat(restarted.stats().routingTableSizeV4()).isEqualTo(2);
    assertThat(ScriptedPeer.drain(restarted))
        .extracting(DhtDatagram::destination)
        .containsExactlyInAnyOrder(alice.address, bob.address);
  }

  @Test
  void aCorruptStateIsIgnored() {
    DhtNode node =
        DhtNode.create(
            DhtConfig.builder()
                .savedState("d2:id3:abce".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .bootstrapNodes(List.of(alice.address))
                .random(new SplittableRandom(2))
                .build(),
            0);
    node.start(0);
    assertThat(ScriptedPeer.drain(node))
        .extracting(DhtDatagram::destination)
        .containsExactly(alice.address);
  }

  /** Three nodes answer pings with {@code external} in their BEP 42 {@code ip} field. */
  private static void threeNodesSeeUsAt(NodeFixture f, InetSocketAddress external) {
    for (int i = 0; i < 3; i++) {
      ScriptedPeer voter = ScriptedPeer.at("198.51.100." + (i + 1), 6881, 0x10 * (i + 1));
      f.node.addNode(voter.address, f.now);
      KrpcQuery ping = query(ScriptedPeer.drain(f.node).get(0));
      byte[] reply =
          BencodeEncoder.encode(
              KrpcCodec.response(ping.transactionId(), voter.args().build(), external, null));
      voter.send(f.node, ByteBuffer.wrap(reply), f.now);
    }
  }

  @Test
  void theIdIsReDerivedFromTheExternalAddressThatVotersAgreeOn() throws Exception {
    InetSocketAddress external = new InetSocketAddress(InetAddress.getByName("203.0.113.5"), 6881);
    NodeFixture f = new NodeFixture(DhtConfig.builder().bootstrapNodes(List.of()).ipv6(false));
    NodeId before = f.node.id();
    threeNodesSeeUsAt(f, external);
    assertThat(f.node.externalAddress()).contains(external.getAddress());
    assertThat(f.node.id()).isNotEqualTo(before);
    assertThat(f.node.id().isSecureFor(external.getAddress())).isTrue();
    assertThat(f.node.stats().externalAddress()).contains(external.getAddress());
  }

  @Test
  void aConfiguredIdIsKept() throws Exception {
    InetSocketAddress external = new InetSocketAddress(InetAddress.getByName("203.0.113.5"), 6881);
    NodeFixture f = new NodeFixture();
    threeNodesSeeUsAt(f, external);
    assertThat(f.node.externalAddress()).contains(external.getAddress());
    assertThat(f.node.id()).isEqualTo(NodeFixture.OWN);
  }

  @Test
  void callerMistakes() {
    DhtNode idle = DhtNode.create(DhtConfig.builder().random(new SplittableRandom(1)).build(), 0);
    assertThatThrownBy(() -> idle.getPeers(INFO_HASH, (h, p) -> {}, 0))
        .isInstanceOf(IllegalStateException.class);
    idle.start(0);
    assertThatThrownBy(() -> idle.start(0)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> idle.announce(INFO_HASH, 0, false, (h, p) -> {}, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> idle.addNode(InetSocketAddress.createUnresolved("x", 1), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DhtConfig.builder().ipv4(false).ipv6(false).build())
        .isInstanceOf(IllegalStateException.class);
    assertThat(DhtConfig.builder().build().bootstrapNodes())
        .allSatisfy(a -> assertThat(a.isUnresolved()).isTrue())
        .hasSize(4);
  }
}
