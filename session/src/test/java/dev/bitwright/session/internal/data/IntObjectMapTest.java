package dev.bitwright.session.internal.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IntObjectMapTest {
  private final IntObjectMap<String> map = new IntObjectMap<>();

  @Test
  void putReplacesAndRemoveReturnsTheValue() {
    map.put(4, "a");
    map.put(4, "b");
    assertThat(map.get(4)).isEqualTo("b");
    assertThat(map.size()).isEqualTo(1);
    assertThat(map.remove(4)).isEqualTo("b");
    assertThat(map.get(4)).isNull();
    assertThat(map.remove(4)).isNull();
    assertThat(map.size()).isZero();
  }

  @Test
  void removingAnEarlyKeyKeepsTheLaterOnes() {
    for (int k = 0; k < 100; k++) {
      map.put(k, "v" + k);
    }
    for (int k = 0; k < 100; k += 2) {
      assertThat(map.remove(k)).isEqualTo("v" + k);
    }
    assertThat(map.size()).isEqualTo(50);
    for (int k = 0; k < 100; k++) {
      assertThat(map.get(k)).isEqualTo(k % 2 == 0 ? null : "v" + k);
    }
  }

  @Test
  void keysIsASnapshotThatRemovalLeavesAlone() {
    map.put(10, "a");
    map.put(20, "b");
    map.put(30, "c");
    int[] keys = map.keys();
    assertThat(keys).containsExactlyInAnyOrder(10, 20, 30);
    for (int k : keys) {
      map.remove(k);
    }
    assertThat(map.size()).isZero();
    assertThat(map.keys()).isEmpty();
  }

  @Test
  void nullValuesAreRefused() {
    assertThatThrownBy(() -> map.put(1, null)).isInstanceOf(NullPointerException.class);
  }
}
