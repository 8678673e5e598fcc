package dev.bitwright.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InfoHashTest {
  private static final byte[] V1_BYTES = sequence(20);
  private static final byte[] V2_BYTES = sequence(32);
  private static final String V1_HEX = "000102030405060708090a0b0c0d0e0f10111213";
  private static final String V1_BASE32 = "AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQT";
  private static final String V2_BASE32 = "AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQTCQKRMFYYDENBWHA5DYPQ";

  private static byte[] sequence(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) i;
    }
    return bytes;
  }

  @Test
  void encodesAndDecodesHex() {
    InfoHash v1 = new InfoHash(V1_BYTES);
    assertThat(v1.hex()).isEqualTo(V1_HEX);
    assertThat(v1).hasToString(V1_HEX);
    assertThat(InfoHash.fromHex(V1_HEX)).isEqualTo(v1);
    assertThat(InfoHash.fromHex(V1_HEX.toUpperCase(Locale.ROOT))).isEqualTo(v1);
    InfoHash v2 = new InfoHash(V2_BYTES);
    assertThat(InfoHash.fromHex(v2.hex())).isEqualTo(v2);
    assertThat(v2.hex()).matches("[0-9a-f]{64}");
  }

  @Test
  void encodesAndDecodesBase32() {
    InfoHash v1 = new InfoHash(V1_BYTES);
    assertThat(v1.base32()).isEqualTo(V1_BASE32);
    assertThat(InfoHash.fromBase32(V1_BASE32)).isEqualTo(v1);
    assertThat(InfoHash.fromBase32(V1_BASE32.toLowerCase(Locale.ROOT))).isEqualTo(v1);
    assertThat(new InfoHash(V2_BYTES).base32()).isEqualTo(V2_BASE32);
    assertThat(InfoHash.fromBase32("a".repeat(32)).bytes()).isEqualTo(new byte[20]);
  }

  @Test
  void knowsItsVersionAndTruncatesV2HashesTo20Bytes() {
    InfoHash v1 = new InfoHash(V1_BYTES);
    InfoHash v2 = new InfoHash(V2_BYTES);
    assertThat(v1.isV1()).isTrue();
    assertThat(v1.isV2()).isFalse();
    assertThat(v2.isV1()).isFalse();
    assertThat(v2.isV2()).isTrue();
    assertThat(v1.truncated()).isEqualTo(V1_BYTES);
    assertThat(v2.truncated()).isEqualTo(Arrays.copyOf(V2_BYTES, 20));
  }

  @Test
  void comparesByContent() {
    InfoHash a = new InfoHash(V1_BYTES);
    InfoHash b = new InfoHash(V1_BYTES.clone());
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(new InfoHash(new byte[20]));
    assertThat(new InfoHash(V2_BYTES)).isNotEqualTo(new MerkleRoot(V2_BYTES));
    assertThat(a).isNotEqualTo(null);
    assertThat(new InfoHash(Arrays.copyOf(V2_BYTES, 20))).isNotEqualTo(new InfoHash(V2_BYTES));
  }

  @Test
  void makesDefensiveCopies() {
    byte[] input = V1_BYTES.clone();
    InfoHash hash = new InfoHash(input);
    input[0] = 99;
    assertThat(hash.bytes()).isEqualTo(V1_BYTES);
    hash.bytes()[1] = 99;
    assertThat(hash.bytes()).isEqualTo(V1_BYTES);
    hash.truncated()[2] = 99;
    assertThat(hash.bytes()).isEqualTo(V1_BYTES);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 19, 21, 31, 33, 64})
  void rejectsHashesThatAreNeither20Nor32Bytes(int length) {
    assertThatThrownBy(() -> new InfoHash(new byte[length]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Integer.toString(length));
  }

  @Test
  void rejectsANullArray() {
    assertThatThrownBy(() -> new InfoHash(null)).isInstanceOf(NullPointerException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "00",
        "000102030405060708090a0b0c0d0e0f1011121",
        "000102030405060708090a0b0c0d0e0f101112131",
        "000102030405060708090a0b0c0d0e0f1011121g",
        "000102030405060708090a0b0c0d0e0f1011121 ",
        "0x0102030405060708090a0b0c0d0e0f10111213"
      })
  void fromHexRejectsMalformedText(String hex) {
    assertThatThrownBy(() -> InfoHash.fromHex(hex)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQ",
        "AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQTT",
        "AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQ1",
        "AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQ=",
        "AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQTCQKRMFYYDENBWHA5DYPQ"
      })
  void fromBase32RejectsMalformedText(String base32) {
    assertThatThrownBy(() -> InfoHash.fromBase32(base32))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void infoHashesPreferTheV2HashAndAnnounceBothTruncated() {
    InfoHash v1 = new InfoHash(V1_BYTES);
    InfoHash v2 = new InfoHash(V2_BYTES);
    InfoHashes onlyV1 = InfoHashes.ofV1(v1);
    InfoHashes onlyV2 = InfoHashes.ofV2(v2);
    InfoHashes hybrid = InfoHashes.ofHybrid(v1, v2);

    assertThat(onlyV1.best()).isEqualTo(v1);
    assertThat(onlyV2.best()).isEqualTo(v2);
    assertThat(hybrid.best()).isEqualTo(v2);

    assertThat(onlyV1.isHybrid()).isFalse();
    assertThat(onlyV2.isHybrid()).isFalse();
    assertThat(hybrid.isHybrid()).isTrue();

    assertThat(onlyV1.wireHashes()).containsExactly(V1_BYTES);
    assertThat(onlyV2.wireHashes()).containsExactly(Arrays.copyOf(V2_BYTES, 20));
    assertThat(hybrid.wireHashes()).containsExactly(V1_BYTES, Arrays.copyOf(V2_BYTES, 20));
    hybrid.wireHashes().get(0)[0] = 42;
    assertThat(hybrid.wireHashes().get(0)).isEqualTo(V1_BYTES);

    assertThat(onlyV1.v1()).contains(v1);
    assertThat(onlyV1.v2()).isEmpty();
    assertThat(hybrid).isEqualTo(new InfoHashes(Optional.of(v1), Optional.of(v2)));
    assertThat(hybrid).isNotEqualTo(onlyV1);
  }

  @Test
  void infoHashesCheckTheirArguments() {
    InfoHash v1 = new InfoHash(V1_BYTES);
    InfoHash v2 = new InfoHash(V2_BYTES);
    assertThatThrownBy(() -> new InfoHashes(Optional.empty(), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> InfoHashes.ofV1(v2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> InfoHashes.ofV2(v1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> InfoHashes.ofHybrid(v2, v1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> InfoHashes.ofHybrid(v1, v1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void merkleRootsHold32BytesAndCompareByContent() {
    MerkleRoot root = new MerkleRoot(V2_BYTES);
    assertThat(root).isEqualTo(new MerkleRoot(V2_BYTES.clone())).hasSameHashCodeAs(root);
    assertThat(root.toString()).isEqualTo(new InfoHash(V2_BYTES).hex());
    byte[] copy = root.bytes();
    copy[0] = 1;
    assertThat(root.bytes()).isEqualTo(V2_BYTES);
    for (int length : List.of(0, 20, 31, 33)) {
      assertThatThrownBy(() -> new MerkleRoot(new byte[length]))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
