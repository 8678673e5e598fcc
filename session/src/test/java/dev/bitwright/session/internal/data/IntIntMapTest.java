package dev.bitwright.session.internal.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IntIntMapTest {
  private final IntIntMap map = new IntIntMap();

  @Test
  void addCountsUpAndDownFromZero() {
    assertThat(map.add(7, 1)).isEqualTo(1);
    assertThat(map.add(7, 1)).isEqualTo(2);
    assertThat(map.add(7, -1)).isEqualTo(1);
    assertThat(map.get(7, -1)).isEqualTo(1);
    assertThat(map.size()).isEqualTo(1);
  }

  @Test
  void removeReturnsTheValueOrMissing() {
    map.put(3, 30);
    assertThat(map.remove(3, -1)).isEqualTo(30);
    assertThat(map.remove(3, -1)).isEqualTo(-1);
    assertThat(map.get(3, -2)).isEqualTo(-2);
    assertThat(map.size()).isZero();
  }

  @Test
  void growsAndKeepsEveryEntry() {
    for (int k = 0; k < 10_000; k++) {
      map.put(k * 3, k);
    }
    assertThat(map.size()).isEqualTo(10_000);
    for (int k = 0; k < 10_000; k++) {
      assertThat(map.get(k * 3, -1)).isEqualTo(k);
      assertThat(map.get(k * 3 + 1, -1)).isEqualTo(-1);
    }
  }

  @Test
  void removingKeysInAnyOrderKeepsTheOthersReachable() {
    // Removal shifts entries back along their probe runs: each must stay reachable.
    int n = 1000;
    for (int k = 0; k < n; k++) {
      map.put(k, k);
    }
    for (int i = 0; i < n; i++) {
      int removed = i * 617 % n; // 617 is prime to 1000: every key once, scattered
      assertThat(map.remove(removed, -1)).isEqualTo(removed);
      if (i % 50 == 0) {
        for (int k = 0; k < n; k++) {
          boolean gone = false;
          for (int j = 0; j <= i; j++) {
            gone |= j * 617 % n == k;
          }
          assertThat(map.get(k, -1)).isEqualTo(gone ? -1 : k);
        }
      }
    }
    assertThat(map.size()).isZero();
  }

  @Test
  void negativeKeysAreRefusedAndNeverHeld() {
    assertThatThrownBy(() -> map.put(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> map.add(-5, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(map.get(-1, 9)).isEqualTo(9);
    assertThat(map.remove(-1, 9)).isEqualTo(9);
  }
}
