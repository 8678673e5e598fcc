package dev.bitwright.dht;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeEncoder;
import dev.bitwright.bencode.BencodeInteger;
import dev.bitwright.bencode.BencodeList;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.bencode.BencodeValue;
import dev.bitwright.dht.internal.KrpcMessage;
import dev.bitwright.dht.internal.KrpcQuery;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Fuzzed KRPC input (11,000 tries in all): random bytes, mutated valid messages, random KRPC-shaped
 * dictionaries, and random answers to a real query. Whatever arrives, {@code receive} returns
 * normally and the node's only reactions are the documented ones: drop the datagram, or send the
 * source a well-formed response or error (and perhaps a ping to see whether it is a node).
 */
class KrpcFuzzProperties {
  private static final List<String> VALID =
      List.of(
          "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe",
          "d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz123456e1:q9:find_node1:t2:aa1:y1:qe",
          "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234564:wantl2:n42:n6ee"
              + "1:q9:get_peers1:t2:aa1:y1:qe",
          "d1:ad2:id20:abcdefghij012345678912:implied_porti1e9:info_hash20:mnopqrstuvwxyz123456"
              + "4:porti6881e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe",
          "d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz123456e"
              + "1:q17:sample_infohashes1:t2:aa1:y1:qe",
          "d1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re",
          "d1:rd2:id20:abcdefghij01234567895:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee1:t2:aa1:y1:re",
          "d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee",
          "d1:ad2:id20:abcdefghij0123456789e1:q4:ping2:roi1e1:t2:aa1:y1:qe");

  private static final List<String> KEYS =
      List.of(
          "t",
          "y",
          "q",
          "a",
          "r",
          "e",
          "id",
          "target",
          "info_hash",
          "token",
          "port",
          "implied_port",
          "want",
          "values",
          "nodes",
          "nodes6",
          "samples",
          "num",
          "interval",
          "ro",
          "v",
          "ip");

  /**
   * Feeds {@code datagram} to the node and checks that its reaction is a documented one: replies
   * and pings go to the sender only; an answer to a lookup's query may also send the lookup's next
   * queries, to routable addresses.
   */
  private static void assertHandledSafely(NodeFixture f, ScriptedPeer from, byte[] datagram) {
    long dropped = f.node.stats().messagesDropped();
    List<DhtDatagram> out = from.send(f.node, ByteBuffer.wrap(datagram), f.now);
    assertThat(f.node.stats().messagesIn()).isPositive();
    for (DhtDatagram d : out) {
      KrpcMessage m = ScriptedPeer.decode(d);
      if (m instanceof KrpcQuery q && !q.method().equals("ping")) {
        assertThat(q.method()).isIn(LOOKUP_QUERIES);
        assertThat(d.destination().getAddress().isAnyLocalAddress()).isFalse();
        assertThat(d.destination().getPort()).isPositive();
      } else {
        assertThat(d.destination()).isEqualTo(from.address);
      }
    }
    if (out.isEmpty()) {
      assertThat(f.node.stats().messagesDropped()).isGreaterThanOrEqualTo(dropped);
    }
  }

  private static final List<String> LOOKUP_QUERIES =
      List.of("find_node", "get_peers", "announce_peer", "sample_infohashes");

  private static final ScriptedPeer SENDER = ScriptedPeer.at("192.0.2.77", 4242, 0x99);

  @Property(tries = 4000)
  void randomBytes(@ForAll @Size(max = 700) byte[] datagram) {
    assertHandledSafely(new NodeFixture(), SENDER, datagram);
  }

  @Property(tries = 3000)
  void mutatedValidMessages(@ForAll("mutated") byte[] datagram) {
    assertHandledSafely(new NodeFixture(), SENDER, datagram);
  }

  @Property(tries = 2000)
  void krpcShapedDictionaries(@ForAll("krpcShaped") BencodeValue message) {
    assertHandledSafely(new NodeFixture(), SENDER, BencodeEncoder.encode(message));
  }

  @Property(tries = 2000)
  void randomAnswersToARealQuery(@ForAll("krpcShaped") BencodeValue r, @ForAll("method") String m) {
    NodeFixture f = new NodeFixture();
    f.introduce(SENDER);
    switch (m) {
      case "get_peers" -> f.node.getPeers(SENDER.id, (h, p) -> {}, f.now);
      case "announce" -> f.node.announce(SENDER.id, 1, true, (h, p) -> {}, f.now);
      case "sample" -> f.node.sampleInfohashes(SENDER.id, (n, s, c, i) -> {}, f.now);
      default -> f.node.findNode(SENDER.id, (t, c, s) -> {}, f.now);
    }
    KrpcQuery query = (KrpcQuery) ScriptedPeer.decode(ScriptedPeer.drain(f.node).get(0));
    BencodeDictionary.Builder values = SENDER.args();
    if (r instanceof BencodeDictionary d) {
      d.entries().forEach(values::put);
      values.put("id", SENDER.id.toBytes());
    }
    byte[] answer =
        BencodeEncoder.encode(
            BencodeDictionary.builder()
                .put("t", query.transactionId())
                .put("y", "r")
                .put("r", values.build())
                .build());
    assertHandledSafely(f, SENDER, answer);
    f.advance(10);
    assertThat(f.node.stats().outstandingQueries()).isLessThanOrEqualTo(256);
  }

  @Provide
  Arbitrary<String> method() {
    return Arbitraries.of("find_node", "get_peers", "announce", "sample");
  }

  @Provide
  Arbitrary<byte[]> mutated() {
    Arbitrary<byte[]> valid =
        Arbitraries.of(VALID).map(s -> s.getBytes(StandardCharsets.ISO_8859_1));
    return Combinators.combine(valid, Arbitraries.integers().between(0, 4), Arbitraries.randoms())
        .as(
            (bytes, kind, random) -> {
              int at = random.nextInt(bytes.length);
              return switch (kind) {
                case 0 -> flip(bytes, at, (byte) random.nextInt(256));
                case 1 -> Arrays.copyOf(bytes, at);
                case 2 -> splice(bytes, at, Math.min(bytes.length, at + 1 + random.nextInt(8)));
                case 3 -> insert(bytes, at, (byte) "0123456789:deil".charAt(random.nextInt(15)));
                default ->
                    flip(flip(bytes, at, (byte) '9'), random.nextInt(bytes.length), (byte) 'e');
              };
            });
  }

  private static byte[] flip(byte[] bytes, int at, byte value) {
    byte[] copy = bytes.clone();
    copy[at] = value;
    return copy;
  }

  private static byte[] splice(byte[] bytes, int from, int to) {
    byte[] out = new byte[bytes.length - (to - from)];
    System.arraycopy(bytes, 0, out, 0, from);
    System.arraycopy(bytes, to, out, from, bytes.length - to);
    return out;
  }

  private static byte[] insert(byte[] bytes, int at, byte value) {
    byte[] out = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, out, 0, at);
    out[at] = value;
    System.arraycopy(bytes, at, out, at + 1, bytes.length - at);
    return out;
  }

  @Provide
  Arbitrary<BencodeValue> krpcShaped() {
    return dictionary(3);
  }

  private Arbitrary<BencodeValue> value(int depth) {
    Arbitrary<BencodeValue> strings =
        Arbitraries.oneOf(
            Arbitraries.bytes().array(byte[].class).ofMaxSize(60).map(BencodeString::of),
            Arbitraries.of(
                    "q",
                    "r",
                    "e",
                    "ping",
                    "find_node",
                    "get_peers",
                    "announce_peer",
                    "sample_infohashes",
                    "n4",
                    "n6",
                    "aa")
                .map(BencodeString::of),
            Arbitraries.of(20, 6, 18, 26, 38, 2, 40)
                .flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n))
                .map(BencodeString::of));
    Arbitrary<BencodeValue> integers =
        Arbitraries.oneOf(
            Arbitraries.longs().map(BencodeInteger::of),
            Arbitraries.of(-1L, 0L, 1L, 201L, 204L, 6881L, 65535L, 65536L).map(BencodeInteger::of));
    if (depth == 0) {
      return Arbitraries.oneOf(strings, integers);
    }
    Arbitrary<BencodeValue> lists = value(depth - 1).list().ofMaxSize(4).map(BencodeList::new);
    return Arbitraries.oneOf(strings, integers, lists, dictionary(depth - 1));
  }

  private Arbitrary<BencodeValue> dictionary(int depth) {
    Arbitrary<BencodeValue> values = depth == 0 ? value(0) : value(depth - 1);
    return Arbitraries.maps(Arbitraries.of(KEYS).map(BencodeString::of), values)
        .ofMaxSize(8)
        .map(BencodeDictionary::new);
  }
}
