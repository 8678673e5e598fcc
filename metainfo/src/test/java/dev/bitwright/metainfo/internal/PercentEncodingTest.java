package dev.bitwright.metainfo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PercentEncodingTest {

  @Test
  void leavesOnlyUnreservedCharactersAlone() {
    String unreserved = "ABCXYZabcxyz0189-._~";
    assertThat(PercentEncoding.encode(unreserved)).isEqualTo(unreserved);
    assertThat(PercentEncoding.encode(" !#$&'()*+,/:;=?@[]%"))
        .isEqualTo("%20%21%23%24%26%27%28%29%2A%2B%2C%2F%3A%3B%3D%3F%40%5B%5D%25");
    assertThat(PercentEncoding.encode("é日")).isEqualTo("%C3%A9%E6%97%A5");
    assertThat(PercentEncoding.encode(new byte[] {0, (byte) 0xff, 'a'})).isEqualTo("%00%FFa");
  }

  @Test
  void decodesEscapesPlusSignsAndRawCharacters() {
    assertThat(PercentEncoding.decode("a%20b+c")).isEqualTo("a b c");
    assertThat(PercentEncoding.decode("%c3%A9")).isEqualTo("é");
    assertThat(PercentEncoding.decode("é日😀")).isEqualTo("é日😀");
    assertThat(PercentEncoding.decode("%2B")).isEqualTo("+");
    assertThat(PercentEncoding.decode("")).isEmpty();
    assertThat(PercentEncoding.decodeBytes("%00%FF")).isEqualTo(new byte[] {0, (byte) 0xff});
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"%", "%4", "a%", "%zz", "%g1", "%1g", "%C3", "%FF", "%C3%28", "%ED%A0%80"})
  void rejectsMalformedEscapesAndInvalidUtf8(String value) {
    assertThatThrownBy(() -> PercentEncoding.decode(value))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** RFC 3986 allows only ASCII HEXDIG after '%'. */
  @ParameterizedTest
  @ValueSource(strings = {"%\u0664\u0661", "%\uFF14\uFF11", "%4\uFF21"})
  void rejectsNonAsciiDigitsInEscapes(String value) {
    assertThatThrownBy(() -> PercentEncoding.decodeBytes(value))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.strings()
        .withCharRange('\u0000', '\u024f')
        .withCharRange('\u3000', '\u30ff')
        .withChars("😀".toCharArray())
        .ofMaxLength(30)
        .filter(s -> StandardCharsets.UTF_8.newEncoder().canEncode(s));
  }

  @Property(tries = 2000)
  void decodingAnEncodingGivesTheTextBack(@ForAll("texts") String text) {
    String encoded = PercentEncoding.encode(text);
    assertThat(encoded.chars()).allMatch(c -> c > 0x20 && c < 0x7f);
    assertThat(PercentEncoding.decode(encoded)).isEqualTo(text);
  }

  @Property(tries = 2000)
  void decodingAnEncodingGivesTheBytesBack(@ForAll byte[] bytes) {
    assertThat(PercentEncoding.decodeBytes(PercentEncoding.encode(bytes))).isEqualTo(bytes);
  }
}
