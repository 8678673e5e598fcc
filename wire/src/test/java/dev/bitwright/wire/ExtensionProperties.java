package dev.bitwright.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.bitwright.wire.PexMessage.Peer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

/** Round trips and robustness of the extension payloads: BEP 10 handshake, ut_metadata, ut_pex. */
class ExtensionProperties {
  private static final byte[] ALPHABET = "ilde0123456789:-mpv".getBytes(StandardCharsets.US_ASCII);

  /** A decoder of untrusted payloads. */
  @FunctionalInterface
  interface PayloadDecoder {
    Object decode(byte[] payload) throws WireException;
  }

  static InetAddress ip(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** IPv4 addresses, and global IPv6 addresses (never IPv4-mapped, which Java turns into IPv4). */
  static Arbitrary<InetAddress> addresses() {
    Arbitrary<InetAddress> v4 = WireArbitraries.bytes(4, 4).map(ExtensionProperties::ip);
    Arbitrary<InetAddress> v6 =
        WireArbitraries.bytes(16, 16)
            .map(
                b -> {
                  b[0] = 0x20;
                  return ip(b);
                });
    return Arbitraries.oneOf(v4, v6);
  }

  private static Arbitrary<OptionalInt> optionalInts(int min, int max) {
    return Arbitraries.integers()
        .between(min, max)
        .optional()
        .map(o -> o.map(OptionalInt::of).orElse(OptionalInt.empty()));
  }

  @Provide
  Arbitrary<ExtensionHandshake> handshakes() {
    Arbitrary<String> names =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withChars("_é")
            .ofMinLength(1)
            .ofMaxLength(12);
    return Combinators.combine(
            Arbitraries.maps(names, Arbitraries.integers().between(0, 255)).ofMaxSize(6),
            Arbitraries.strings().alpha().numeric().withChars(" ./-ü").ofMaxLength(20).optional(),
            optionalInts(1, 0xffff),
            optionalInts(1, Integer.MAX_VALUE),
            addresses().optional(),
            optionalInts(1, Integer.MAX_VALUE),
            Arbitraries.of(true, false),
            Arbitraries.of(true, false))
        .as(ExtensionHandshake::new);
  }

  @Provide
  Arbitrary<MetadataMessage> metadataMessages() {
    return metadataMessages(true);
  }

  private static Arbitrary<MetadataMessage> metadataMessages(boolean fullPieces) {
    Arbitrary<Integer> pieces = Arbitraries.integers().greaterOrEqual(0);
    Arbitrary<byte[]> data =
        !fullPieces
            ? WireArbitraries.bytes(0, 64)
            : Arbitraries.oneOf(
                WireArbitraries.bytes(0, 64),
                WireArbitraries.bytes(MetadataMessage.PIECE_SIZE, MetadataMessage.PIECE_SIZE));
    return Arbitraries.oneOf(
        pieces.map(MetadataMessage.Request::new),
        pieces.map(MetadataMessage.Reject::new),
        Combinators.combine(pieces, pieces, data).as(MetadataMessage.Data::new));
  }

  @Provide
  Arbitrary<PexMessage> pexMessages() {
    Arbitrary<InetSocketAddress> sockets =
        Combinators.combine(addresses(), Arbitraries.integers().between(0, 0xffff))
            .as(InetSocketAddress::new);
    Comparator<InetSocketAddress> v4First =
        Comparator.comparingInt(a -> a.getAddress().getAddress().length);
    Arbitrary<List<Peer>> added =
        Combinators.combine(sockets, Arbitraries.integers().between(0, 255))
            .as(Peer::new)
            .list()
            .ofMaxSize(20)
            .map(
                l -> {
                  List<Peer> sorted = new ArrayList<>(l);
                  sorted.sort(Comparator.comparing(Peer::address, v4First));
                  return sorted;
                });
    Arbitrary<List<InetSocketAddress>> dropped =
        sockets.list().ofMaxSize(20).map(l -> l.stream().sorted(v4First).toList());
    return Combinators.combine(added, dropped).as(PexMessage::new);
  }

  /** Bytes mostly of the bencode alphabet, so that decoding gets past the first byte. */
  @Provide
  Arbitrary<byte[]> bencodeLike() {
    Arbitrary<Byte> alphabet =
        Arbitraries.of(WireArbitraries.toList(toInts(ALPHABET))).map(Integer::byteValue);
    return Arbitraries.frequencyOf(List.of(Tuple.of(6, alphabet), Tuple.of(1, Arbitraries.bytes())))
        .list()
        .ofMaxSize(120)
        .map(
            l -> {
              byte[] b = new byte[l.size()];
              for (int i = 0; i < b.length; i++) {
                b[i] = l.get(i);
              }
              return b;
            });
  }

  @Provide
  Arbitrary<byte[]> mutatedPayloads() {
    Arbitrary<byte[]> valid =
        Arbitraries.oneOf(
            handshakes().map(ExtensionHandshake::encode),
            metadataMessages(false).map(MetadataMessage::encode),
            pexMessages().map(PexMessage::encode));
    return Combinators.combine(
            valid,
            Arbitraries.integers().greaterOrEqual(0).list().ofMinSize(1).ofMaxSize(4),
            WireArbitraries.bytes(1, 8))
        .as(WireArbitraries::mutate);
  }

  private static int[] toInts(byte[] bytes) {
    int[] out = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = bytes[i];
    }
    return out;
  }

  @Property(tries = 1000)
  void extensionHandshakesRoundTrip(@ForAll("handshakes") ExtensionHandshake h) throws Exception {
    assertThat(ExtensionHandshake.decode(h.encode())).isEqualTo(h);
  }

  @Property(tries = 500)
  void metadataMessagesRoundTrip(@ForAll("metadataMessages") MetadataMessage m) throws Exception {
    assertThat(MetadataMessage.decode(m.encode())).isEqualTo(m);
  }

  @Property(tries = 1000)
  void pexMessagesRoundTrip(@ForAll("pexMessages") PexMessage m) throws Exception {
    byte[] encoded = m.encode();
    assertThat(PexMessage.decode(encoded)).isEqualTo(m);
    assertThat(PexMessage.decode(encoded).encode()).isEqualTo(encoded);
  }

  @Property(tries = 10_000)
  void randomBytesOnlyEverRaiseWireException(@ForAll @Size(max = 200) byte[] input) {
    decodeAll(input);
  }

  @Property(tries = 10_000)
  void bencodeLikeBytesOnlyEverRaiseWireException(@ForAll("bencodeLike") byte[] input) {
    decodeAll(input);
  }

  @Property(tries = 10_000)
  void mutatedPayloadsOnlyEverRaiseWireException(@ForAll("mutatedPayloads") byte[] input) {
    decodeAll(input);
  }

  private static void decodeAll(byte[] input) {
    expectOnlyWireException(ExtensionHandshake::decode, input);
    expectOnlyWireException(MetadataMessage::decode, input);
    expectOnlyWireException(PexMessage::decode, input);
  }

  private static void expectOnlyWireException(PayloadDecoder decoder, byte[] input) {
    try {
      assertThat(decoder.decode(input)).isNotNull();
    } catch (WireException expected) {
      assertThat(expected.offset()).isLessThanOrEqualTo(input.length);
    } catch (Throwable t) {
      fail("decoding %s threw %s", WireBytes.toHex(input), t);
    }
  }
}
