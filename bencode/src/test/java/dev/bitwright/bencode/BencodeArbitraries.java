package dev.bitwright.bencode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Generators of bencode values and of bencode-like bytes for properties. */
final class BencodeArbitraries {
  private static final byte[] ALPHABET = "ilde0123456789:-".getBytes(StandardCharsets.US_ASCII);

  private BencodeArbitraries() {}

  static Arbitrary<BencodeValue> values() {
    return values(4);
  }

  private static Arbitrary<BencodeValue> values(int depth) {
    Arbitrary<BencodeValue> leaves = Arbitraries.oneOf(strings().map(v -> v), integers());
    if (depth == 0) {
      return leaves;
    }
    Arbitrary<BencodeValue> lists =
        Arbitraries.lazy(() -> values(depth - 1)).list().ofMaxSize(4).map(BencodeList::new);
    Arbitrary<BencodeValue> dictionaries =
        Arbitraries.maps(strings(), Arbitraries.lazy(() -> values(depth - 1)))
            .ofMaxSize(4)
            .map(BencodeArbitraries::dictionary);
    return Arbitraries.frequencyOf(
        List.of(Tuple.of(4, leaves), Tuple.of(1, lists), Tuple.of(1, dictionaries)));
  }

  private static BencodeValue dictionary(Map<BencodeString, BencodeValue> entries) {
    return new BencodeDictionary(entries);
  }

  static Arbitrary<BencodeString> strings() {
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(24).map(BencodeString::of),
        Arbitraries.strings().ofMaxLength(12).map(BencodeString::of));
  }

  static Arbitrary<BencodeValue> integers() {
    return Arbitraries.oneOf(
            Arbitraries.longs(),
            Arbitraries.longs().between(-1000, 1000),
            Arbitraries.of(0L, Long.MIN_VALUE, Long.MAX_VALUE))
        .map(BencodeInteger::of);
  }

  /** Byte arrays mostly made of the bencode alphabet, so that they get past the first byte. */
  static Arbitrary<byte[]> bencodeLikeBytes() {
    Arbitrary<Byte> alphabet = Arbitraries.of(toList(ALPHABET));
    Arbitrary<Byte> any = Arbitraries.bytes();
    return Arbitraries.frequencyOf(List.of(Tuple.of(6, alphabet), Tuple.of(1, any)))
        .list()
        .ofMaxSize(80)
        .map(BencodeArbitraries::toArray);
  }

  /** Encodings of random values with one to three random edits. */
  static Arbitrary<byte[]> mutatedEncodings() {
    return Combinators.combine(
            values().map(BencodeEncoder::encode),
            Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofMinSize(1).ofMaxSize(3),
            Arbitraries.bytes())
        .as(BencodeArbitraries::mutate);
  }

  private static byte[] mutate(byte[] input, List<Integer> choices, byte replacement) {
    byte[] bytes = input;
    for (int choice : choices) {
      if (bytes.length == 0) {
        return new byte[] {replacement};
      }
      int at = choice % bytes.length;
      switch (choice % 4) {
        case 0 -> bytes[at] = replacement;
        case 1 -> bytes = Arrays.copyOf(bytes, at);
        case 2 -> {
          byte[] shorter = new byte[bytes.length - 1];
          System.arraycopy(bytes, 0, shorter, 0, at);
          System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
          bytes = shorter;
        }
        default -> {
          byte[] longer = new byte[bytes.length + 1];
          System.arraycopy(bytes, 0, longer, 0, at);
          longer[at] = ALPHABET[Math.floorMod(replacement, ALPHABET.length)];
          System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
          bytes = longer;
        }
      }
    }
    return bytes;
  }

  private static List<Byte> toList(byte[] bytes) {
    Byte[] boxed = new Byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      boxed[i] = bytes[i];
    }
    return List.of(boxed);
  }

  private static byte[] toArray(List<Byte> list) {
    byte[] bytes = new byte[list.size()];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = list.get(i);
    }
    return bytes;
  }
}
