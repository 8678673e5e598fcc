package dev.bitwright.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PeerIdTest {
  private static PeerId id(String twenty) {
    return new PeerId(twenty.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void generatedIdsAreAzureusStyleBitwrightIds() {
    Random random = new Random(42);
    Set<PeerId> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      PeerId id = PeerId.generate(random);
      String text = new String(id.bytes(), StandardCharsets.US_ASCII);
      assertThat(text).hasSize(20).startsWith("-BW0100-").matches("-BW0100-[0-9A-Za-z]{12}");
      assertThat(id.clientName()).contains("Bitwright 0.1.0.0");
      assertThat(seen.add(id)).as("a new id").isTrue();
    }
  }

  @Test
  void theRandomPartUsesTheWholeAlphabet() {
    Random random = new Random(7);
    Set<Character> chars = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      String s = new String(PeerId.generate(random).bytes(), StandardCharsets.US_ASCII);
      for (char c : s.substring(8).toCharArray()) {
        chars.add(c);
      }
    }
    assertThat(chars).hasSize(62);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "-LT2080-abcdefghijkl | libtorrent 2.0.8.0",
        "-qB4520-abcdefghijkl | qBittorrent 4.5.2.0",
        "-TR3000-abcdefghijkl | Transmission 3.0.0.0",
        "-TR300Z-abcdefghijkl | Transmission 3.0.0.35",
        "-lt0D60-abcdefghijkl | rTorrent 0.13.6.0",
        "-UT355W-abcdefghijkl | uTorrent 3.5.5.32",
        "-DE13F0-abcdefghijkl | Deluge 1.3.15.0",
        "-BW0100-abcdefghijkl | Bitwright 0.1.0.0",
        "-ZZ1234-abcdefghijkl | ZZ 1.2.3.4",
        "A2-1-36-0-abcdefghij | aria2",
        "M7-10-3--abcdefghijk | Mainline",
      })
  void clientNamesOfCommonIds(String peerId, String name) {
    assertThat(id(peerId).clientName()).contains(name);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "abcdefghijklmnopqrst",
        "-LT2080_abcdefghijkl",
        "-L12080-abcdefghijkl",
        "-LT20.0-abcdefghijkl",
        "XLT2080-abcdefghijkl",
        "MX-0-0--abcdefghijkl",
        "A2_1-36-0-abcdefghij",
        "\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000",
        "-\u00e9T2080-abcdefghijkl",
      })
  void otherStylesHaveNoName(String peerId) {
    assertThat(id(peerId).clientName()).isEmpty();
  }

  @Test
  void toStringEscapesNonPrintableBytesAndThePercentSign() {
    byte[] bytes = "-LT2080-abcdefghijkl".getBytes(StandardCharsets.US_ASCII);
    bytes[8] = 0;
    bytes[9] = (byte) 0xff;
    bytes[10] = '%';
    bytes[11] = 0x7f;
    bytes[12] = '\n';
    assertThat(new PeerId(bytes).toString()).isEqualTo("-LT2080-%00%ff%25%7f%0afghijkl");
    assertThat(id("-LT2080-abcdefghijkl").toString()).isEqualTo("-LT2080-abcdefghijkl");
  }

  @Test
  void peerIdsHaveTwentyBytesAndAreCopied() {
    assertThatThrownBy(() -> new PeerId(new byte[19])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PeerId(new byte[21])).isInstanceOf(IllegalArgumentException.class);
    byte[] bytes = new byte[20];
    PeerId id = new PeerId(bytes);
    bytes[0] = 1;
    id.bytes()[1] = 1;
    assertThat(id.bytes()).containsOnly(0);
    assertThat(id).isEqualTo(new PeerId(new byte[20])).hasSameHashCodeAs(new PeerId(new byte[20]));
    assertThat(PeerId.LENGTH).isEqualTo(20);
    assertThat(PeerId.BITWRIGHT_PREFIX).isEqualTo("-BW0100-");
  }
}
