package dev.bitwright.session.internal.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.session.internal.peer.Block;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TokenBucketTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long T0 = 77 * SECOND;

  @Test
  void zeroMeansUnlimited() {
    TokenBucket bucket = new TokenBucket(0);
    assertThat(bucket.unlimited()).isTrue();
    bucket.spend(1L << 40, T0);
    assertThat(bucket.available(T0)).isEqualTo(Long.MAX_VALUE);
    assertThat(bucket.waitFor(1L << 40, T0)).isZero();
  }

  @Test
  void startsFullAndRefillsAtTheRate() {
    TokenBucket bucket = new TokenBucket(100_000);
    assertThat(bucket.unlimited()).isFalse();
    assertThat(bucket.available(T0)).isEqualTo(100_000);
    bucket.spend(100_000, T0);
    assertThat(bucket.available(T0)).isZero();
    assertThat(bucket.available(T0 + SECOND / 4)).isBetween(24_999L, 25_000L);
    assertThat(bucket.available(T0 + SECOND / 2)).isBetween(49_999L, 50_000L);
  }

  @Test
  void aBurstIsAtMostOneSecondsWorth() {
    TokenBucket bucket = new TokenBucket(100_000);
    bucket.spend(100_000, T0);
    assertThat(bucket.available(T0 + 60 * SECOND)).isEqualTo(100_000);
  }

  @Test
  void aSlowBucketStillHoldsOneBlock() {
    TokenBucket bucket = new TokenBucket(1_000);
    assertThat(bucket.available(T0)).isEqualTo(Block.SIZE);
    bucket.spend(Block.SIZE, T0);
    assertThat(bucket.waitFor(Block.SIZE, T0)).isBetween(16 * SECOND, 17 * SECOND);
  }

  @Test
  void waitForTellsWhenTheBytesCanBeSpent() {
    TokenBucket bucket = new TokenBucket(1_000_000);
    assertThat(bucket.waitFor(1_000_000, T0)).isZero();
    bucket.spend(1_000_000, T0);
    long wait = bucket.waitFor(250_000, T0);
    assertThat(wait).isBetween(SECOND / 4, SECOND / 4 + 1_000);
    assertThat(bucket.waitFor(250_000, T0 + wait)).isZero();
    assertThat(bucket.available(T0 + wait)).isGreaterThanOrEqualTo(250_000);
  }

  @Test
  void debtIsPaidByWaiting() {
    TokenBucket bucket = new TokenBucket(1_000_000);
    bucket.spend(1_500_000, T0); // a read larger than the balance
    assertThat(bucket.available(T0)).isZero();
    assertThat(bucket.waitFor(1, T0)).isBetween(SECOND / 2, SECOND / 2 + 2_000);
    assertThat(bucket.available(T0 + SECOND)).isBetween(499_999L, 500_000L);
  }

  @Test
  void theRateCanChange() {
    TokenBucket bucket = new TokenBucket(0);
    bucket.setRate(50_000);
    assertThat(bucket.unlimited()).isFalse();
    assertThat(bucket.available(T0)).isEqualTo(50_000);
    bucket.spend(50_000, T0);
    bucket.setRate(200_000);
    assertThat(bucket.available(T0 + SECOND / 2)).isBetween(99_999L, 100_000L);
    bucket.setRate(20_000);
    assertThat(bucket.available(T0 + SECOND)).as("capped by the new capacity").isEqualTo(20_000);
    bucket.setRate(0);
    assertThat(bucket.available(T0 + SECOND)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void spendingAtTheRateForTenSecondsMovesTenSecondsWorth() {
    TokenBucket bucket = new TokenBucket(1_000_000);
    long now = T0;
    long sent = 0;
    while (now < T0 + 10 * SECOND) {
      long wait = bucket.waitFor(Block.SIZE, now);
      now += wait;
      if (now >= T0 + 10 * SECOND) {
        break;
      }
      bucket.spend(Block.SIZE, now);
      sent += Block.SIZE;
    }
    // one second's burst plus ten seconds at the rate
    assertThat(sent).isBetween(10_900_000L, 11_000_000L);
  }
}
