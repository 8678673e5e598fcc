package dev.bitwright.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** When to announce: intervals, min interval and back-off with jitter. */
class AnnounceScheduleTest {
  static final long T0 = -7_000_000_000L;

  static long at(double seconds) {
    return T0 + (long) (seconds * 1e9);
  }

  static long seconds(long s) {
    return Duration.ofSeconds(s).toNanos();
  }

  static AnnounceResponse response(long interval, Long minInterval) {
    return new AnnounceResponse(
        Duration.ofSeconds(interval),
        Optional.ofNullable(minInterval).map(Duration::ofSeconds),
        OptionalInt.empty(),
        OptionalInt.empty(),
        List.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** A random source whose nextDouble() is always {@code value}. */
  static RandomGenerator fixed(double value) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        return 0;
      }

      @Override
      public double nextDouble() {
        return value;
      }
    };
  }

  @Test
  void dueImmediately() {
    AnnounceSchedule s = new AnnounceSchedule(new Random(1), T0);
    assertThat(s.nextAnnounce()).isEqualTo(T0);
    assertThat(s.isDue(T0)).isTrue();
    assertThat(s.isDue(T0 - 1)).isFalse();
    assertThat(s.earliestEventAnnounce(T0)).isEqualTo(T0);
    assertThat(s.failures()).isZero();
  }

  @Test
  void intervalIsHonoured() {
    AnnounceSchedule s = new AnnounceSchedule(new Random(1), T0);
    s.succeeded(response(1800, null), at(10));
    assertThat(s.nextAnnounce()).isEqualTo(at(1810));
    assertThat(s.isDue(at(1810) - 1)).isFalse();
    assertThat(s.isDue(at(1810))).isTrue();
    assertThat(s.isDue(at(5000))).isTrue();
    assertThat(s.earliestEventAnnounce(at(11))).as("no min interval").isEqualTo(at(11));
  }

  @Test
  void intervalShorterThanMinIntervalWaitsForTheMinimum() {
    AnnounceSchedule s = new AnnounceSchedule(new Random(1), T0);
    s.succeeded(response(60, 300L), T0);
    assertThat(s.nextAnnounce()).isEqualTo(at(300));
  }

  @Test
  void minIntervalIsRespectedForEventAnnounces() {
    AnnounceSchedule s = new AnnounceSchedule(new Random(1), T0);
    s.succeeded(response(1800, 900L), T0);
    assertThat(s.earliestEventAnnounce(at(100))).isEqualTo(at(900));
    assertThat(s.earliestEventAnnounce(at(900))).isEqualTo(at(900));
    assertThat(s.earliestEventAnnounce(at(1000))).isEqualTo(at(1000));
    s.announceSoon(at(100));
    assertThat(s.nextAnnounce()).isEqualTo(at(900));
    assertThat(s.isDue(at(899))).isFalse();
    s.announceSoon(at(1200));
    assertThat(s.nextAnnounce()).isEqualTo(at(1200));
    assertThat(s.isDue(at(1200))).isTrue();
  }

  @Test
  void backOffDoublesFrom15SecondsUpToOneHourWithJitterInHalfToFull() {
    long[] full = {15, 30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600};
    AnnounceSchedule low = new AnnounceSchedule(fixed(0.0), T0);
    AnnounceSchedule high = new AnnounceSchedule(fixed(Math.nextDown(1.0)), T0);
    for (int i = 0; i < full.length; i++) {
      long now = at(i * 10_000);
      low.failed(now);
      high.failed(now);
      assertThat(low.failures()).isEqualTo(i + 1);
      assertThat(low.nextAnnounce() - now)
          .as("failure %d, no jitter", i + 1)
          .isEqualTo(seconds(full[i]) / 2);
      assertThat(high.nextAnnounce() - now)
          .as("failure %d, most jitter", i + 1)
          .isBetween(seconds(full[i]) - 1000, seconds(full[i]));
    }
    assertThat(AnnounceSchedule.FIRST_BACKOFF).isEqualTo(Duration.ofSeconds(15));
    assertThat(AnnounceSchedule.MAX_BACKOFF).isEqualTo(Duration.ofHours(1));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 1234})
  void jitteredBackOffStaysBetweenHalfAndFull(long seed) {
    AnnounceSchedule s = new AnnounceSchedule(new Random(seed), T0);
    long backoff = seconds(15);
    long now = T0;
    long spread = 0;
    for (int i = 1; i <= 40; i++) {
      s.failed(now);
      long wait = s.nextAnnounce() - now;
      assertThat(wait).isBetween(backoff / 2, backoff);
      spread = Math.max(spread, Math.abs(wait - backoff * 3 / 4));
      backoff = Math.min(backoff * 2, seconds(3600));
      now += seconds(5000);
    }
    assertThat(s.failures()).isEqualTo(40);
    assertThat(spread).as("jitter is not constant").isPositive();
  }

  @Test
  void manyFailuresDoNotOverflow() {
    AnnounceSchedule s = new AnnounceSchedule(fixed(0.5), T0);
    for (int i = 0; i < 10_000; i++) {
      s.failed(T0);
    }
    assertThat(s.nextAnnounce() - T0).isEqualTo(seconds(3600) / 2 + seconds(3600) / 4);
  }

  @Test
  void successResetsTheBackOff() {
    AnnounceSchedule s = new AnnounceSchedule(fixed(0.0), T0);
    for (int i = 0; i < 5; i++) {
      s.failed(T0);
    }
    assertThat(s.nextAnnounce() - T0).isEqualTo(seconds(240) / 2);
    s.succeeded(response(1800, null), at(1));
    assertThat(s.failures()).isZero();
    assertThat(s.nextAnnounce()).isEqualTo(at(1801));
    s.failed(at(1801));
    assertThat(s.failures()).isEqualTo(1);
    assertThat(s.nextAnnounce()).isEqualTo(at(1801 + 7.5));
  }

  @Test
  void aFailureDoesNotLiftTheMinInterval() {
    AnnounceSchedule s = new AnnounceSchedule(fixed(0.0), T0);
    s.succeeded(response(1800, 600L), T0);
    s.failed(at(10));
    assertThat(s.nextAnnounce()).isEqualTo(at(17.5));
    assertThat(s.earliestEventAnnounce(at(20))).isEqualTo(at(600));
  }
}
