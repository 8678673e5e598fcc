package dev.bitwright.dht.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeEncoder;
import dev.bitwright.bencode.BencodeList;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.dht.DhtException;
import dev.bitwright.dht.NodeId;
import dev.bitwright.metainfo.internal.compact.CompactAddressException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Encoding and decoding of every KRPC message, with the example packets of BEP 5 as golden bytes.
 */
class KrpcCodecTest {
  private static final byte[] AA = bytes("aa");
  private static final NodeId QUERIER = NodeId.of(bytes("abcdefghij0123456789"));
  private static final NodeId RESPONDER = NodeId.of(bytes("mnopqrstuvwxyz123456"));

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  private static KrpcMessage decode(String s) throws DhtException {
    return KrpcCodec.decode(ByteBuffer.wrap(bytes(s)));
  }

  @Test
  void ping() throws Exception {
    String query = "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe";
    String response = "d1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re";
    assertThat(text(KrpcCodec.query(AA, "ping", KrpcCodec.withId(QUERIER).build(), false, null)))
        .isEqualTo(query);
    BencodeDictionary r = KrpcCodec.response(AA, KrpcCodec.withId(RESPONDER).build(), null, null);
    assertThat(text(BencodeEncoder.encode(r))).isEqualTo(response);

    KrpcQuery q = (KrpcQuery) decode(query);
    assertThat(q.method()).isEqualTo("ping");
    assertThat(q.sender()).isEqualTo(QUERIER);
    assertThat(q.transactionId()).isEqualTo(AA);
    assertThat(q.readOnly()).isFalse();
    KrpcResponse p = (KrpcResponse) decode(response);
    assertThat(p.sender()).isEqualTo(RESPONDER);
    assertThat(p.requesterAddress()).isEmpty();
  }

  @Test
  void findNode() throws Exception {
    String query =
        "d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz123456e"
            + "1:q9:find_node1:t2:aa1:y1:qe";
    BencodeDictionary args = KrpcCodec.withId(QUERIER).put("target", RESPONDER.toBytes()).build();
    assertThat(text(KrpcCodec.query(AA, "find_node", args, false, null))).isEqualTo(query);
    KrpcQuery q = (KrpcQuery) decode(query);
    assertThat(q.arguments().id("target")).isEqualTo(RESPONDER);

    InetSocketAddress node = new InetSocketAddress(InetAddress.getByName("1.2.3.4"), 6881);
    byte[] compact = CompactNodes.nodes(List.of(new dev.bitwright.dht.DhtContact(QUERIER, node)));
    String response =
        "d1:rd2:id20:0123456789abcdefghij5:nodes26:abcdefghij0123456789"
            + "\u0001\u0002\u0003\u0004\u001a\u00e1e1:t2:aa1:y1:re";
    BencodeDictionary r =
        KrpcCodec.response(
            AA,
            KrpcCodec.withId(NodeId.of(bytes("0123456789abcdefghij")))
                .put("nodes", compact)
                .build(),
            null,
            null);
    assertThat(text(BencodeEncoder.encode(r))).isEqualTo(response);
    KrpcResponse p = (KrpcResponse) decode(response);
    assertThat(Lookup.nodes(p, "nodes", CompactNodes.NODE_V4))
        .containsExactly(new dev.bitwright.dht.DhtContact(QUERIER, node));
  }

  @Test
  void getPeers() throws Exception {
    String query =
        "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz123456e"
            + "1:q9:get_peers1:t2:aa1:y1:qe";
    String withValues =
        "d1:rd2:id20:abcdefghij01234567895:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee"
            + "1:t2:aa1:y1:re";
    BencodeDictionary args =
        KrpcCodec.withId(QUERIER).put("info_hash", RESPONDER.toBytes()).build();
    assertThat(text(KrpcCodec.query(AA, "get_peers", args, false, null))).isEqualTo(query);
    BencodeDictionary values =
        KrpcCodec.withId(QUERIER)
            .put("token", "aoeusnth")
            .put(
                "values",
                BencodeList.of(
                    BencodeString.of(bytes("axje.u")), BencodeString.of(bytes("idhtnm"))))
            .build();
    assertThat(text(BencodeEncoder.encode(KrpcCodec.response(AA, values, null, null))))
        .isEqualTo(withValues);

    KrpcResponse p = (KrpcResponse) decode(withValues);
    assertThat(text(p.values().bytes("token"))).isEqualTo("aoeusnth");
    assertThat(CompactNodes.parsePeer(bytes("axje.u")))
        .contains(new InetSocketAddress(InetAddress.getByAddress(bytes("axje")), ('.' << 8) | 'u'));
  }

  @Test
  void announcePeer() throws Exception {
    String query =
        "d1:ad2:id20:abcdefghij012345678912:implied_porti1e9:info_hash20:mnopqrstuvwxyz123456"
            + "4:porti6881e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe";
    BencodeDictionary args =
        KrpcCodec.withId(QUERIER)
            .put("implied_port", 1)
            .put("info_hash", RESPONDER.toBytes())
            .put("port", 6881)
            .put("token", "aoeusnth")
            .build();
    assertThat(text(KrpcCodec.query(AA, "announce_peer", args, false, null))).isEqualTo(query);
    KrpcQuery q = (KrpcQuery) decode(query);
    assertThat(q.arguments().integer("implied_port")).isEqualTo(1);
    assertThat(q.arguments().integer("port")).isEqualTo(6881);
    assertThat(q.arguments().id("info_hash")).isEqualTo(RESPONDER);
  }

  @Test
  void error() throws Exception {
    String error = "d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee";
    assertThat(text(KrpcCodec.error(AA, 201, "A Generic Error Ocurred", null))).isEqualTo(error);
    KrpcError e = (KrpcError) decode(error);
    assertThat(e.code()).isEqualTo(KrpcError.GENERIC);
    assertThat(e.message()).isEqualTo("A Generic Error Ocurred");
  }

  @Test
  void readOnlyFlagVersionAndIpField() throws Exception {
    byte[] ro =
        KrpcCodec.query(AA, "ping", KrpcCodec.withId(QUERIER).build(), true, new byte[] {'B', 'W'});
    assertThat(text(ro)).contains("2:roi1e").contains("1:v2:BW");
    assertThat(((KrpcQuery) KrpcCodec.decode(ByteBuffer.wrap(ro))).readOnly()).isTrue();

    InetSocketAddress requester = new InetSocketAddress(InetAddress.getByName("5.6.7.8"), 80);
    BencodeDictionary r =
        KrpcCodec.response(AA, KrpcCodec.withId(RESPONDER).build(), requester, null);
    assertThat(text(BencodeEncoder.encode(r))).startsWith("d2:ip6:\u0005\u0006\u0007\u0008\u0000P");
    KrpcResponse p = (KrpcResponse) KrpcCodec.decode(ByteBuffer.wrap(BencodeEncoder.encode(r)));
    assertThat(p.requesterAddress()).contains(requester);
  }

  @Test
  void unsortedKeysAreAccepted() throws Exception {
    KrpcQuery q = (KrpcQuery) decode("d1:y1:q1:q4:ping1:t2:aa1:ad2:id20:abcdefghij0123456789ee");
    assertThat(q.method()).isEqualTo("ping");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "i42e|",
        "le|",
        "d1:y1:qe|t",
        "d1:t2:aa1:y1:xe|y",
        "d1:t2:aa1:y1:q1:q4:pinge|a",
        "d1:ad2:id3:abce1:q4:ping1:t2:aa1:y1:qe|a.id",
        "d1:ad2:idi5ee1:q4:ping1:t2:aa1:y1:qe|a.id",
        "d1:ade1:q0:1:t2:aa1:y1:qe|q",
        "d1:rde1:t2:aa1:y1:re|r.id",
        "d1:eli201ee1:t2:aa1:y1:ee|e",
        "d1:t17:aaaaaaaaaaaaaaaaa1:y1:ee|t"
      })
  void malformedMessages(String message, String field) {
    assertThatThrownBy(() -> decode(message))
        .isInstanceOf(DhtException.class)
        .satisfies(
            e -> assertThat(((DhtException) e).field()).isEqualTo(field == null ? "" : field));
  }

  @Test
  void notBencodeOrTooLarge() {
    assertThatThrownBy(() -> decode("d1:t")).isInstanceOf(DhtException.class);
    byte[] huge = new byte[KrpcCodec.MAX_DATAGRAM + 1];
    assertThatThrownBy(() -> KrpcCodec.decode(ByteBuffer.wrap(huge)))
        .isInstanceOf(DhtException.class);
  }

  @Test
  void transactionIdOfAMalformedQuery() {
    assertThat(KrpcCodec.queryTransactionId(ByteBuffer.wrap(bytes("d1:t2:xy1:y1:qe"))))
        .hasValueSatisfying(t -> assertThat(t).isEqualTo(bytes("xy")));
    assertThat(KrpcCodec.queryTransactionId(ByteBuffer.wrap(bytes("d1:t2:xy1:y1:re")))).isEmpty();
    assertThat(KrpcCodec.queryTransactionId(ByteBuffer.wrap(bytes("garbage")))).isEmpty();
  }

  @Test
  void compactNodesOfIpv6() throws Exception {
    InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 51413);
    byte[] compact = CompactNodes.nodes(List.of(new dev.bitwright.dht.DhtContact(QUERIER, v6)));
    assertThat(compact).hasSize(CompactNodes.NODE_V6);
    assertThat(CompactNodes.parseNodes(compact, CompactNodes.NODE_V6))
        .containsExactly(new dev.bitwright.dht.DhtContact(QUERIER, v6));
    assertThatThrownBy(() -> CompactNodes.parseNodes(new byte[27], CompactNodes.NODE_V4))
        .isInstanceOf(CompactAddressException.class);
    assertThat(CompactNodes.parsePeer(new byte[6])).isEmpty();
  }
}
