package dev.bitwright.session.internal.peer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RateMeterTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long T0 = 500 * SECOND;

  @Test
  void aSteadyStreamMeasuresItsRate() {
    RateMeter meter = new RateMeter();
    for (int tenth = 0; tenth <= 100; tenth++) {
      long now = T0 + tenth * SECOND / 10;
      meter.add(100, now); // 1000 bytes a second
      if (tenth >= 50) {
        assertThat(meter.rate(now)).as("at %d00 ms", tenth).isBetween(950L, 1100L);
      }
    }
    assertThat(meter.total()).isEqualTo(10_100);
  }

  @Test
  void theRateIsTheAverageOverFiveSeconds() {
    RateMeter meter = new RateMeter();
    meter.add(0, T0);
    meter.add(10_000, T0 + 4 * SECOND + SECOND / 2); // one burst
    // 10,000 bytes over the 4 full seconds before plus half of the current one
    assertThat(meter.rate(T0 + 4 * SECOND + SECOND / 2)).isEqualTo(10_000 * 2 / 9);
    // a second later: 4 full seconds and the start of the next
    assertThat(meter.rate(T0 + 5 * SECOND)).isBetween(2_499L, 2_500L);
    assertThat(meter.rate(T0 + 8 * SECOND + SECOND / 2)).isEqualTo(10_000 * 2 / 9);
  }

  @Test
  void oldBytesRollOutOfTheWindow() {
    RateMeter meter = new RateMeter();
    meter.add(10_000, T0);
    assertThat(meter.rate(T0 + 4 * SECOND + SECOND * 9 / 10)).isPositive();
    assertThat(meter.rate(T0 + 5 * SECOND)).isZero();
    assertThat(meter.total()).isEqualTo(10_000);
  }

  @Test
  void aLongSilenceClearsEverySlot() {
    RateMeter meter = new RateMeter();
    for (int s = 0; s < 5; s++) {
      meter.add(1_000, T0 + s * SECOND);
    }
    long later = T0 + 3_600 * SECOND;
    assertThat(meter.rate(later)).isZero();
    meter.add(4_000, later);
    assertThat(meter.rate(later)).as("4,000 bytes over four seconds").isBetween(999L, 1_000L);
    assertThat(meter.total()).isEqualTo(9_000);
  }

  @Test
  void nothingMeasuredIsZero() {
    RateMeter meter = new RateMeter();
    assertThat(meter.rate(T0)).isZero();
    assertThat(meter.total()).isZero();
  }
}
