package dev.bitwright.bencode;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BencodeEncoderTest {

  private static String encode(BencodeValue value) {
    return new String(BencodeEncoder.encode(value), US_ASCII);
  }

  @Test
  void writesEveryTypeCanonically() {
    assertThat(encode(BencodeString.of("spam"))).isEqualTo("4:spam");
    assertThat(encode(BencodeInteger.of(-42))).isEqualTo("i-42e");
    assertThat(encode(BencodeInteger.of(Long.MIN_VALUE))).isEqualTo("i-9223372036854775808e");
    assertThat(encode(BencodeList.of(BencodeInteger.of(1), BencodeString.of(""))))
        .isEqualTo("li1e0:e");
    BencodeDictionary dict =
        BencodeDictionary.builder().put("zeta", 1).put("alpha", 2).put("Beta", 3).build();
    assertThat(encode(dict)).isEqualTo("d4:Betai3e5:alphai2e4:zetai1ee");
  }

  @Test
  void ordersKeysAsUnsignedBytes() {
    BencodeDictionary dict =
        new BencodeDictionary(
            Map.of(
                BencodeString.of(new byte[] {(byte) 0xff}), BencodeInteger.of(1),
                BencodeString.of(new byte[] {0x7f}), BencodeInteger.of(2)));
    byte[] bytes = BencodeEncoder.encode(dict);
    assertThat(bytes[3]).isEqualTo((byte) 0x7f);
  }

  @Test
  void streamAndBufferOutputsAgreeForLargeValues() throws Exception {
    byte[] big = new byte[100_000];
    Arrays.fill(big, (byte) 'x');
    BencodeValue value =
        BencodeList.of(BencodeString.of(big), BencodeInteger.of(7), BencodeString.of(big));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BencodeEncoder.encode(value, out);
    byte[] array = BencodeEncoder.encode(value);
    assertThat(out.toByteArray()).isEqualTo(array);
    assertThat(BencodeEncoder.encodedLength(value)).isEqualTo(array.length);
  }

  @Test
  void bufferTooSmallIsLeftUntouched() {
    ByteBuffer buffer = ByteBuffer.allocate(5);
    assertThatThrownBy(() -> BencodeEncoder.encode(BencodeString.of("spam!"), buffer))
        .isInstanceOf(BufferOverflowException.class);
    assertThat(buffer.position()).isZero();
    BencodeEncoder.encode(BencodeString.of("abc"), buffer);
    assertThat(buffer.position()).isEqualTo(5);
  }
}
