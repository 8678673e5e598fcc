package dev.bitwright.dht;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.bencode.BencodeList;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.bencode.BencodeValue;
import dev.bitwright.dht.internal.KrpcError;
import dev.bitwright.dht.internal.KrpcMessage;
import dev.bitwright.dht.internal.KrpcQuery;
import dev.bitwright.dht.internal.KrpcResponse;
import dev.bitwright.dht.internal.QueryResponder;
import dev.bitwright.metainfo.internal.compact.CompactAddresses;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a node answers queries (BEP 5, 32, 42, 43, 51) and protects itself while doing so. */
class DhtNodeAnsweringTest {
  private static final NodeId INFO_HASH = NodeId.fromHex("12".repeat(20));
  private final NodeFixture f = new NodeFixture();
  private final ScriptedPeer alice = ScriptedPeer.at("192.0.2.1", 7001, 0x11);
  private final ScriptedPeer bob = ScriptedPeer.at("192.0.2.2", 7002, 0x22);

  /**
   * Returns the one reply (not a query: the node may also ping a new querier) sent to {@code to}.
   */
  private KrpcMessage only(List<DhtDatagram> out, InetSocketAddress to) {
    List<KrpcMessage> replies =
        out.stream()
            .filter(d -> d.destination().equals(to))
            .map(ScriptedPeer::decode)
            .filter(m -> !(m instanceof KrpcQuery))
            .toList();
    assertThat(replies).hasSize(1);
    return replies.get(0);
  }

  private KrpcResponse ask(
      ScriptedPeer peer, String method, dev.bitwright.bencode.BencodeDictionary.Builder args) {
    return (KrpcResponse)
        only(peer.send(f.node, peer.query("tx", method, args), f.now), peer.address);
  }

  private byte[] tokenFor(ScriptedPeer peer) throws DhtException {
    return ask(peer, "get_peers", peer.args().put("info_hash", INFO_HASH.toBytes()))
        .values()
        .bytes("token");
  }

  /** Announces {@code peer} on {@code port} with a token it just got. */
  private KrpcResponse announce(ScriptedPeer peer, int port) throws DhtException {
    byte[] token = tokenFor(peer);
    return ask(
        peer,
        "announce_peer",
        peer.args().put("info_hash", INFO_HASH.toBytes()).put("port", port).put("token", token));
  }

  @Test
  void pingIsAnsweredWithOurIdTheRequestersAddressAndOurVersion() throws Exception {
    List<DhtDatagram> out = alice.send(f.node, alice.query("p1", "ping", alice.args()), f.now);
    KrpcResponse r = (KrpcResponse) only(out, alice.address);
    assertThat(r.sender()).isEqualTo(NodeFixture.OWN);
    assertThat(r.transactionId()).isEqualTo("p1".getBytes(StandardCharsets.UTF_8));
    assertThat(r.requesterAddress()).contains(alice.address);
    assertThat(out)
        .allSatisfy(
            d ->
                assertThat(StandardCharsets.ISO_8859_1.decode(d.payload()).toString())
                    .contains("1:v4:BW\u0000\u0001"));
  }

  @Test
  void aNodeThatQueriesUsIsPingedAndEntersTheTableOnlyWhenItAnswers() {
    List<DhtDatagram> out = alice.send(f.node, alice.query("p1", "ping", alice.args()), f.now);
    assertThat(out).hasSize(2);
    assertThat(f.node.stats().routingTableSizeV4()).isZero();
    DhtDatagram ping =
        out.stream()
            .filter(d -> ScriptedPeer.decode(d) instanceof KrpcQuery)
            .findFirst()
            .orElseThrow();
    f.answer(alice, ping, alice.args());
    assertThat(f.node.stats().routingTableSizeV4()).isEqualTo(1);
  }

  @Test
  void readOnlyQueriersAreAnsweredButNotPinged() {
    var query =
        ByteBuffer.wrap(
            dev.bitwright.dht.internal.KrpcCodec.query(
                "r1".getBytes(StandardCharsets.UTF_8), "ping", alice.args().build(), true, null));
    List<DhtDatagram> out = alice.send(f.node, query, f.now);
    assertThat(out).hasSize(1);
    assertThat(ScriptedPeer.decode(out.get(0))).isInstanceOf(KrpcResponse.class);
  }

  @Test
  void findNodeReturnsTheClosestNodesOfTheFamiliesWanted() throws Exception {
    f.introduce(bob);
    ScriptedPeer v6 =
        new ScriptedPeer(
            NodeId.fromHex("33".repeat(20)), ScriptedPeer.address("2001:db8::3", 7003));
    f.introduce(v6);
    KrpcResponse plain = ask(alice, "find_node", alice.args().put("target", bob.id.toBytes()));
    assertThat(plain.values().bytes("nodes")).hasSize(26);
    assertThat(plain.values().optionalBytes("nodes6")).isEmpty();
    BencodeList both = BencodeList.of(BencodeString.of("n4"), BencodeString.of("n6"));
    KrpcResponse wanted =
        ask(alice, "find_node", alice.args().put("target", bob.id.toBytes()).put("want", both));
    assertThat(wanted.values().bytes("nodes")).hasSize(26);
    assertThat(wanted.values().bytes("nodes6")).hasSize(38);
  }

  @Test
  void announcedPeersAreStoredAndReturned() throws Exception {
    KrpcResponse stored = announce(alice, 6881);
    assertThat(stored.sender()).isEqualTo(NodeFixture.OWN);
    assertThat(f.node.stats().storedPeers()).isEqualTo(1);
    assertThat(f.node.stats().storedInfoHashes()).isEqualTo(1);

    KrpcResponse found = ask(bob, "get_peers", bob.args().put("info_hash", INFO_HASH.toBytes()));
    List<BencodeValue> values =
        ((BencodeList) found.values().dictionary().get("values").orElseThrow()).values();
    assertThat(values)
        .containsExactly(
            BencodeString.of(
                CompactAddresses.encode(new InetSocketAddress(alice.address.getAddress(), 6881))));
  }

  @Test
  void impliedPortTakesTheSourcePort() throws Exception {
    byte[] token = tokenFor(alice);
    ask(
        alice,
        "announce_peer",
        alice
            .args()
            .put("info_hash", INFO_HASH.toBytes())
            .put("port", 1)
            .put("implied_port", 1)
            .put("token", token));
    KrpcResponse found = ask(bob, "get_peers", bob.args().put("info_hash", INFO_HASH.toBytes()));
    assertThat(found.values().dictionary().get("values").orElseThrow())
        .isEqualTo(BencodeList.of(BencodeString.of(CompactAddresses.encode(alice.address))));
  }

  @Test
  void aTokenFromAnotherIpOrNoneIsAProtocolError() throws Exception {
    byte[] bobsToken = tokenFor(bob);
    List<DhtDatagram> out =
        alice.send(
            f.node,
            alice.query(
                "a1",
                "announce_peer",
                alice
                    .args()
                    .put("info_hash", INFO_HASH.toBytes())
                    .put("port", 6881)
                    .put("token", bobsToken)),
            f.now);
    KrpcError e = (KrpcError) only(out, alice.address);
    assertThat(e.code()).isEqualTo(KrpcError.PROTOCOL);
    assertThat(e.message()).contains("token");
    assertThat(f.node.stats().storedPeers()).isZero();
    assertThat(f.node.stats().errorsSent()).isEqualTo(1);
  }

  @Test
  void unknownMethodsAndMalformedQueriesGetErrors() {
    KrpcError unknown =
        (KrpcError)
            only(alice.send(f.node, alice.query("u1", "vote", alice.args()), f.now), alice.address);
    assertThat(unknown.code()).isEqualTo(KrpcError.METHOD_UNKNOWN);
    KrpcError malformed =
        (KrpcError)
            only(
                alice.send(
                    f.node,
                    alice.query("m1", "find_node", alice.args().put("target", "short")),
                    f.now),
                alice.address);
    assertThat(malformed.code()).isEqualTo(KrpcError.PROTOCOL);
    KrpcError noArguments =
        (KrpcError)
            only(
                alice.send(
                    f.node,
                    ByteBuffer.wrap("d1:q4:ping1:t2:xx1:y1:qe".getBytes(StandardCharsets.US_ASCII)),
                    f.now),
                alice.address);
    assertThat(noArguments.transactionId()).isEqualTo("xx".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void garbageAndUnsolicitedResponsesAreDroppedSilently() {
    long dropped = f.node.stats().messagesDropped();
    assertThat(alice.send(f.node, ByteBuffer.wrap(new byte[] {1, 2, 3}), f.now)).isEmpty();
    assertThat(alice.send(f.node, alice.response(new byte[] {0, 0}, alice.args()), f.now))
        .isEmpty();
    assertThat(f.node.stats().messagesDropped()).isEqualTo(dropped + 2);
    assertThat(f.node.stats().messagesIn()).isEqualTo(2);
  }

  @Test
  void sampleInfohashesReturnsStoredInfoHashes() throws Exception {
    announce(alice, 6881);
    KrpcResponse r = ask(bob, "sample_infohashes", bob.args().put("target", bob.id.toBytes()));
    assertThat(r.values().bytes("samples")).isEqualTo(INFO_HASH.toBytes());
    assertThat(r.values().integer("num")).isEqualTo(1);
    assertThat(r.values().integer("interval")).isEqualTo(21_600);
    assertThat(r.values().optionalBytes("nodes")).isPresent();
  }

  @Test
  void repliesAreNeverMoreThanEightTimesTheQuery() throws Exception {
    // Fifty IPv6 peers for one torrent, and a full set of nodes: a get_peers over IPv6 asking for
    // both node lists would give a reply of about 1,900 bytes; it is trimmed to the rule.
    for (int i = 0; i < 8; i++) {
      f.introduce(ScriptedPeer.at("192.0.2." + (10 + i), 7000 + i, 0x40 + i));
    }
    for (int i = 0; i < 50; i++) {
      ScriptedPeer announcer =
          new ScriptedPeer(
              NodeId.fromHex("44".repeat(20)),
              ScriptedPeer.address("2001:db8::" + (100 + i), 7100));
      announce(announcer, 6881);
    }
    ScriptedPeer v6 =
        new ScriptedPeer(
            NodeId.fromHex("55".repeat(20)), ScriptedPeer.address("2001:db8::9", 7009));
    ByteBuffer query =
        v6.query(
            "g",
            "get_peers",
            v6.args()
                .put("info_hash", INFO_HASH.toBytes())
                .put("want", BencodeList.of(BencodeString.of("n4"), BencodeString.of("n6"))));
    int queryLength = query.remaining();
    List<DhtDatagram> out = v6.send(f.node, query, f.now);
    DhtDatagram reply =
        out.stream()
            .filter(d -> d.destination().equals(v6.address))
            .filter(d -> ScriptedPeer.decode(d) instanceof KrpcResponse)
            .findFirst()
            .orElseThrow();
    assertThat(reply.payload().remaining())
        .isLessThanOrEqualTo(QueryResponder.AMPLIFICATION * queryLength)
        .isLessThanOrEqualTo(QueryResponder.MAX_REPLY);
    KrpcResponse r = (KrpcResponse) ScriptedPeer.decode(reply);
    int values = ((BencodeList) r.values().dictionary().get("values").orElseThrow()).size();
    assertThat(values).isBetween(1, 49);
    assertThat(r.values().bytes("nodes")).hasSize(8 * 26);
  }

  @Test
  void queriesAreRateLimitedPerSourceIp() {
    int answered = 0;
    for (int i = 0; i < 100; i++) {
      answered +=
          (int)
              alice.send(f.node, alice.query("r" + i, "ping", alice.args()), f.now).stream()
                  .filter(d -> ScriptedPeer.decode(d) instanceof KrpcResponse)
                  .count();
    }
    assertThat(answered).isEqualTo(40);
    assertThat(bob.send(f.node, bob.query("b", "ping", bob.args()), f.now)).isNotEmpty();
    f.advance(1);
    assertThat(alice.send(f.node, alice.query("later", "ping", alice.args()), f.now)).isNotEmpty();
  }

  @Test
  void aReadOnlyNodeAnswersNothingAndMarksItsQueries() {
    NodeFixture ro =
        new NodeFixture(
            DhtConfig.builder().readOnly(true).bootstrapNodes(List.of(alice.address)).ipv6(false));
    assertThat(alice.send(ro.node, alice.query("p", "ping", alice.args()), ro.now)).isEmpty();
    ro.node.addNode(bob.address, ro.now);
    DhtDatagram ping = ScriptedPeer.drain(ro.node).get(0);
    KrpcQuery q = (KrpcQuery) ScriptedPeer.decode(ping);
    assertThat(q.readOnly()).isTrue();
    assertThat(ro.node.stats().messagesDropped()).isEqualTo(1);
  }
}
