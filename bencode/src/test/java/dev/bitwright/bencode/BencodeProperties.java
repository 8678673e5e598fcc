package dev.bitwright.bencode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class BencodeProperties {
  private static final BencodeDecoder STRICT = BencodeDecoder.strict();
  private static final BencodeDecoder LENIENT =
      BencodeDecoder.builder().allowUnsortedKeys(true).build();

  @Provide
  Arbitrary<BencodeValue> values() {
    return BencodeArbitraries.values();
  }

  @Provide
  Arbitrary<byte[]> bencodeLikeBytes() {
    return BencodeArbitraries.bencodeLikeBytes();
  }

  @Provide
  Arbitrary<byte[]> mutatedEncodings() {
    return BencodeArbitraries.mutatedEncodings();
  }

  @Property(tries = 2000)
  void decodingAnEncodingGivesTheValueBack(@ForAll("values") BencodeValue value) throws Exception {
    byte[] encoded = BencodeEncoder.encode(value);
    assertThat(STRICT.decode(encoded)).isEqualTo(value);
    assertThat(BencodeEncoder.encode(STRICT.decode(encoded))).isEqualTo(encoded);
  }

  @Property(tries = 1000)
  void prefixDecodingSplitsConcatenatedValues(
      @ForAll("values") BencodeValue first, @ForAll("values") BencodeValue second)
      throws Exception {
    byte[] a = BencodeEncoder.encode(first);
    byte[] b = BencodeEncoder.encode(second);
    ByteBuffer both = ByteBuffer.allocate(a.length + b.length).put(a).put(b).flip();
    assertThat(STRICT.decodePrefix(both)).isEqualTo(first);
    assertThat(both.position()).isEqualTo(a.length);
    assertThat(STRICT.decodePrefix(both)).isEqualTo(second);
    assertThat(both.hasRemaining()).isFalse();
  }

  @Property(tries = 1000)
  void everyValueRangeHoldsExactlyThatValue(@ForAll("values") BencodeValue value) throws Exception {
    byte[] encoded = BencodeEncoder.encode(value);
    checkRanges(STRICT.decode(encoded), encoded, 0);
  }

  private static void checkRanges(BencodeValue value, byte[] input, int base) throws Exception {
    if (value instanceof BencodeList list) {
      for (BencodeValue item : list.values()) {
        checkRanges(item, input, base);
      }
    } else if (value instanceof BencodeDictionary dict) {
      for (Map.Entry<BencodeString, ByteRange> e : dict.valueRanges().entrySet()) {
        ByteRange range = e.getValue();
        BencodeValue slice = STRICT.decode(input, range.start(), range.length());
        assertThat(slice).isEqualTo(dict.entries().get(e.getKey()));
      }
      assertThat(dict.valueRanges().keySet()).isEqualTo(dict.entries().keySet());
    }
  }

  @Property(tries = 10_000)
  void randomBytesOnlyEverRaiseBencodeException(@ForAll("bencodeLikeBytes") byte[] input) {
    decodeExpectingOnlyBencodeException(STRICT, input);
    decodeExpectingOnlyBencodeException(LENIENT, input);
  }

  @Property(tries = 10_000)
  void mutatedEncodingsOnlyEverRaiseBencodeException(@ForAll("mutatedEncodings") byte[] input) {
    decodeExpectingOnlyBencodeException(STRICT, input);
    decodeExpectingOnlyBencodeException(LENIENT, input);
  }

  @Property(tries = 10_000)
  void arbitraryBytesOnlyEverRaiseBencodeException(@ForAll byte[] input) {
    decodeExpectingOnlyBencodeException(STRICT, input);
    ByteBuffer buffer = ByteBuffer.wrap(input);
    try {
      STRICT.decodePrefix(buffer);
    } catch (BencodeException expected) {
      assertThat(buffer.position()).isZero();
    }
  }

  /** Any outcome but an exception other than {@link BencodeException} passes. */
  private static void decodeExpectingOnlyBencodeException(BencodeDecoder decoder, byte[] input) {
    try {
      BencodeValue value = decoder.decode(input);
      if (decoder == STRICT) {
        assertThat(BencodeEncoder.encode(value)).isEqualTo(input);
      }
    } catch (BencodeException expected) {
      assertThat(expected.offset()).isBetween(0L, (long) input.length);
    }
  }
}
