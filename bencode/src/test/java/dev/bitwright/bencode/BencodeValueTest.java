package dev.bitwright.bencode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BencodeValueTest {

  @Test
  void stringsCopyTheirBytes() {
    byte[] bytes = {1, 2, 3};
    BencodeString string = BencodeString.of(bytes);
    bytes[0] = 9;
    assertThat(string.byteAt(0)).isEqualTo((byte) 1);
    string.bytes()[1] = 9;
    assertThat(string.byteAt(1)).isEqualTo((byte) 2);
    assertThat(string.asReadOnlyBuffer().isReadOnly()).isTrue();
  }

  @Test
  void stringsCompareByContentAndUnsignedOrder() {
    assertThat(BencodeString.of("abc")).isEqualTo(BencodeString.of("abc"));
    assertThat(BencodeString.of("abc").hashCode()).isEqualTo(BencodeString.of("abc").hashCode());
    assertThat(BencodeString.of(new byte[] {(byte) 0x80}))
        .isGreaterThan(BencodeString.of(new byte[] {0x7f}));
    assertThat(BencodeString.of("ab")).isLessThan(BencodeString.of("abc"));
  }

  @Test
  void textIsExplicitUtf8() {
    BencodeString text = BencodeString.of("grüße");
    assertThat(text.length()).isEqualTo(7);
    assertThat(text.text()).isEqualTo("grüße");
    assertThat(text.isValidUtf8()).isTrue();
    assertThat(text.contentEquals("grüße")).isTrue();
    BencodeString binary = BencodeString.of(new byte[] {(byte) 0xff, 0x41});
    assertThat(binary.isValidUtf8()).isFalse();
    assertThat(binary.text()).isEqualTo("\uFFFDA");
    assertThat(binary.toString()).isEqualTo("2:0xff41");
    assertThat(text.toString()).isEqualTo("\"grüße\"");
  }

  @Test
  void collectionsAreImmutableCopies() {
    List<BencodeValue> items = new ArrayList<>(List.of(BencodeInteger.of(1)));
    BencodeList list = new BencodeList(items);
    items.add(BencodeInteger.of(2));
    assertThat(list.size()).isEqualTo(1);
    assertThatThrownBy(() -> list.values().add(BencodeInteger.of(3)))
        .isInstanceOf(UnsupportedOperationException.class);
    TreeMap<BencodeString, BencodeValue> entries = new TreeMap<>();
    entries.put(BencodeString.of("a"), BencodeInteger.of(1));
    BencodeDictionary dict = new BencodeDictionary(entries);
    entries.put(BencodeString.of("b"), BencodeInteger.of(2));
    assertThat(dict.size()).isEqualTo(1);
    assertThat(dict.get("a")).contains(BencodeInteger.of(1));
    assertThat(dict.containsKey("b")).isFalse();
  }

  @Test
  void dictionaryEqualityIgnoresSourceRanges() {
    BencodeDictionary plain = BencodeDictionary.builder().put("a", 1).build();
    BencodeDictionary ranged =
        new BencodeDictionary(
            plain.entries(), ImmutableMap.of(BencodeString.of("a"), new ByteRange(4, 7)));
    assertThat(ranged).isEqualTo(plain).hasSameHashCodeAs(plain);
    assertThatThrownBy(
            () ->
                new BencodeDictionary(
                    plain.entries(), ImmutableMap.of(BencodeString.of("b"), new ByteRange(0, 1))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rangesMustBeOrdered() {
    assertThat(new ByteRange(3, 10).length()).isEqualTo(7);
    assertThatThrownBy(() -> new ByteRange(5, 4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ByteRange(-1, 4)).isInstanceOf(IllegalArgumentException.class);
  }
}
