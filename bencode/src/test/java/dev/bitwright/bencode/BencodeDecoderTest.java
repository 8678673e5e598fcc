package dev.bitwright.bencode;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BencodeDecoderTest {
  private static final BencodeDecoder STRICT = BencodeDecoder.strict();

  private static BencodeValue decode(String ascii) throws BencodeException {
    return STRICT.decode(ascii.getBytes(US_ASCII));
  }

  @Test
  void decodesTheExamplesOfBep3() throws Exception {
    assertThat(decode("4:spam")).isEqualTo(BencodeString.of("spam"));
    assertThat(decode("0:")).isEqualTo(BencodeString.of(""));
    assertThat(decode("i3e")).isEqualTo(BencodeInteger.of(3));
    assertThat(decode("i-3e")).isEqualTo(BencodeInteger.of(-3));
    assertThat(decode("i0e")).isEqualTo(BencodeInteger.of(0));
    assertThat(decode("l4:spam4:eggse"))
        .isEqualTo(BencodeList.of(BencodeString.of("spam"), BencodeString.of("eggs")));
    assertThat(decode("le")).isEqualTo(BencodeList.of());
    assertThat(decode("d3:cow3:moo4:spam4:eggse"))
        .isEqualTo(BencodeDictionary.builder().put("cow", "moo").put("spam", "eggs").build());
    assertThat(decode("d4:spaml1:a1:bee"))
        .isEqualTo(
            BencodeDictionary.builder()
                .put("spam", BencodeList.of(BencodeString.of("a"), BencodeString.of("b")))
                .build());
    assertThat(decode("de")).isEqualTo(BencodeDictionary.of());
  }

  @Test
  void decodesTheWholeRangeOfLong() throws Exception {
    assertThat(decode("i9223372036854775807e")).isEqualTo(BencodeInteger.of(Long.MAX_VALUE));
    assertThat(decode("i-9223372036854775808e")).isEqualTo(BencodeInteger.of(Long.MIN_VALUE));
    assertThat(decode("i1000000000000000000e"))
        .isEqualTo(BencodeInteger.of(1_000_000_000_000_000_000L));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "i-0e|0|negative zero",
        "i03e|0|leading zero",
        "i-03e|0|leading zero",
        "ie|0|without digits",
        "i-e|0|without digits",
        "i1x2e|2|invalid character",
        "i12|3|input ends",
        "i9223372036854775808e|0|does not fit",
        "i-9223372036854775809e|0|does not fit",
        "i99999999999999999999e|0|does not fit",
        "03:abc|0|leading zero",
        "3:ab|0|runs past the end",
        "3x|1|invalid character",
        "4:spamX|6|trailing data",
        "i1ei2e|3|trailing data",
        "e|0|unexpected 'e'",
        "x|0|unexpected byte",
        "l|1|input ends",
        "l4:spam|7|input ends",
        "d3:cow3:moo|11|input ends",
        "d3:cowe|6|key without a value",
        "di1e3:mooe|1|not a byte string",
        "dlee3:mooe|1|not a byte string",
        "d4:spam1:a3:cow1:be|10|not sorted",
        "d3:cow1:a3:cow1:be|9|duplicate",
        "''|0|input ends",
      })
  void rejectsMalformedInputWithItsOffset(String input, long offset, String reason) {
    assertThatThrownBy(() -> decode(input))
        .isInstanceOf(BencodeException.class)
        .hasMessageContaining(reason)
        .satisfies(e -> assertThat(((BencodeException) e).offset()).isEqualTo(offset));
  }

  @Test
  void lenientModeAcceptsUnsortedKeysButNotDuplicates() throws Exception {
    BencodeDecoder lenient = BencodeDecoder.builder().allowUnsortedKeys(true).build();
    BencodeValue value = lenient.decode("d4:spam1:a3:cow1:be".getBytes(US_ASCII));
    assertThat(value)
        .isEqualTo(BencodeDictionary.builder().put("cow", "b").put("spam", "a").build());
    assertThatThrownBy(() -> lenient.decode("d4:spam1:a3:cow1:b4:spam1:ce".getBytes(US_ASCII)))
        .isInstanceOf(BencodeException.class)
        .hasMessageContaining("duplicate");
    assertThatThrownBy(() -> lenient.decode("d3:cow1:a3:cow1:be".getBytes(US_ASCII)))
        .hasMessageContaining("duplicate");
  }

  @Test
  void hugeLengthPrefixFailsWithoutAllocating() {
    byte[] input = new byte[100];
    byte[] prefix = "2147483648:".getBytes(US_ASCII);
    System.arraycopy(prefix, 0, input, 0, prefix.length);
    assertThatThrownBy(() -> STRICT.decode(input))
        .isInstanceOf(BencodeException.class)
        .hasMessageContaining("exceeds the limit");
    byte[] lengthJustTooBig = "99:abc".getBytes(US_ASCII);
    assertThatThrownBy(() -> STRICT.decode(lengthJustTooBig))
        .hasMessageContaining("runs past the end");
    byte[] absurd = "99999999999999999999999999999999999:".getBytes(US_ASCII);
    assertThatThrownBy(() -> STRICT.decode(absurd)).hasMessageContaining("exceeds the limit");
  }

  @Test
  void enforcesEveryLimit() {
    BencodeDecoder small =
        BencodeDecoder.builder()
            .maxInputLength(32)
            .maxStringLength(4)
            .maxDepth(3)
            .maxEntries(2)
            .maxValues(6)
            .build();
    assertThatThrownBy(() -> small.decode(new byte[33])).hasMessageContaining("input of 33 bytes");
    assertThatThrownBy(() -> small.decode("5:abcde".getBytes(US_ASCII)))
        .hasMessageContaining("string length exceeds");
    assertThatThrownBy(() -> small.decode("lllleeee".getBytes(US_ASCII)))
        .hasMessageContaining("nesting deeper")
        .satisfies(e -> assertThat(((BencodeException) e).offset()).isEqualTo(3));
    assertThatThrownBy(() -> small.decode("li1ei2ei3ee".getBytes(US_ASCII)))
        .hasMessageContaining("list with more entries");
    assertThatThrownBy(() -> small.decode("d1:ai1e1:bi2e1:ci3ee".getBytes(US_ASCII)))
        .hasMessageContaining("dictionary with more entries");
    assertThatThrownBy(() -> small.decode("lli1ei2eeli3ei4eee".getBytes(US_ASCII)))
        .hasMessageContaining("more values than");
  }

  @Test
  void deepNestingWithinTheLimitDoesNotOverflowTheStack() throws Exception {
    int depth = 200_000;
    byte[] input = ("l".repeat(depth) + "e".repeat(depth)).getBytes(US_ASCII);
    BencodeDecoder deep =
        BencodeDecoder.builder().maxDepth(depth).maxValues(depth).maxInputLength(1 << 20).build();
    BencodeValue value = deep.decode(input);
    int levels = 0;
    while (value instanceof BencodeList list && list.size() == 1) {
      value = list.get(0);
      levels++;
    }
    assertThat(levels).isEqualTo(depth - 1);
  }

  @Test
  void dictionariesReportTheRangeOfEachValue() throws Exception {
    String text = "d4:infod6:lengthi5e4:name1:xe3:zzzli1eee";
    BencodeDictionary root = (BencodeDictionary) decode(text);
    ByteRange info = root.valueRange("info").orElseThrow();
    assertThat(text.substring(info.start(), info.end())).isEqualTo("d6:lengthi5e4:name1:xe");
    BencodeDictionary inner = (BencodeDictionary) root.get("info").orElseThrow();
    ByteRange name = inner.valueRange("name").orElseThrow();
    assertThat(text.substring(name.start(), name.end())).isEqualTo("1:x");
    ByteRange list = root.valueRange("zzz").orElseThrow();
    assertThat(text.substring(list.start(), list.end())).isEqualTo("li1ee");
    assertThat(root.valueRange("missing")).isEmpty();
    assertThat(BencodeDictionary.builder().put("a", 1).build().valueRange("a")).isEmpty();
  }

  @Test
  void rangesAndErrorsCountFromTheStartOfTheGivenRegion() throws Exception {
    byte[] input = "XXXd1:ai1eeYY".getBytes(US_ASCII);
    BencodeDictionary dict = (BencodeDictionary) STRICT.decode(input, 3, 8);
    assertThat(dict.valueRange("a")).contains(new ByteRange(4, 7));
    assertThatThrownBy(() -> STRICT.decode(input, 3, 9))
        .satisfies(e -> assertThat(((BencodeException) e).offset()).isEqualTo(8));
  }

  @Test
  void decodePrefixConsumesOneValueAndLeavesTheRest() throws Exception {
    ByteBuffer buffer = ByteBuffer.wrap("..d8:msg_typei1e5:piecei0eeRAWDATA".getBytes(US_ASCII));
    buffer.position(2);
    BencodeValue value = STRICT.decodePrefix(buffer);
    assertThat(value)
        .isEqualTo(BencodeDictionary.builder().put("msg_type", 1).put("piece", 0).build());
    assertThat(buffer.position()).isEqualTo(27);
    byte[] rest = new byte[buffer.remaining()];
    buffer.get(rest);
    assertThat(new String(rest, US_ASCII)).isEqualTo("RAWDATA");
  }

  @Test
  void failedDecodeLeavesTheBufferPositionUnchanged() {
    ByteBuffer buffer = ByteBuffer.wrap("d3:cowe".getBytes(US_ASCII));
    assertThatThrownBy(() -> STRICT.decodePrefix(buffer)).isInstanceOf(BencodeException.class);
    assertThat(buffer.position()).isZero();
    assertThatThrownBy(() -> STRICT.decode(buffer)).isInstanceOf(BencodeException.class);
    assertThat(buffer.position()).isZero();
  }

  @Test
  void decodesDirectBuffers() throws Exception {
    byte[] bytes = "l4:spami42ee".getBytes(US_ASCII);
    ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    assertThat(STRICT.decode(direct))
        .isEqualTo(BencodeList.of(BencodeString.of("spam"), BencodeInteger.of(42)));
    assertThat(direct.hasRemaining()).isFalse();
  }

  @Test
  void builderRejectsNonPositiveLimits() {
    assertThatThrownBy(() -> BencodeDecoder.builder().maxDepth(0))
        .isInstanceOf(IllegalArgumentException.class);
    BencodeDecoder copy = BencodeDecoder.builder().maxDepth(7).build().toBuilder().build();
    assertThat(copy.maxDepth()).isEqualTo(7);
    assertThat(copy.allowsUnsortedKeys()).isFalse();
  }
}
