package dev.bitwright.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DontHaveTest {

  @Test
  void encodesThePieceIndexBigEndian() throws Exception {
    assertThat(new DontHave(0x01020304).encode()).containsExactly(1, 2, 3, 4);
    assertThat(DontHave.decode(new byte[] {0, 0, 1, 0}, 1000)).isEqualTo(new DontHave(256));
  }

  @Test
  void rejectsWrongLengthsAndIndicesOutOfRange() {
    assertThatThrownBy(() -> DontHave.decode(new byte[3], 10)).isInstanceOf(WireException.class);
    assertThatThrownBy(() -> DontHave.decode(new byte[5], 10)).isInstanceOf(WireException.class);
    assertThatThrownBy(() -> DontHave.decode(new byte[] {0, 0, 0, 10}, 10))
        .isInstanceOf(WireException.class);
    assertThatThrownBy(() -> DontHave.decode(new byte[] {(byte) 0x80, 0, 0, 0}, 10))
        .isInstanceOf(WireException.class);
    assertThatThrownBy(() -> new DontHave(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
