package dev.bitwright.utp.internal;

import java.util.Arrays;

/**
 * The base one-way delay: the smallest delay sample of the last two minutes, kept as one minimum
 * per minute. A sample minus the base is the queueing delay, because the clocks' offset and the
 * path's fixed delay are in both. Samples are 32-bit microsecond counters that wrap, so they are
 * compared by their difference.
 */
final class DelayBase {
  private static final int MINUTES = 3;
  private static final long MINUTE_NANOS = 60_000_000_000L;

  private final long[] minimum = new long[MINUTES];
  private boolean started;
  private long minuteStart;
  private int current;

  /** Records {@code sample} (0 to 2^32-1) taken at {@code now}; returns its queueing delay. */
  long queueingDelay(long sample, long nowNanos) {
    if (!started) {
      started = true;
      minuteStart = nowNanos;
      Arrays.fill(minimum, sample);
    } else if (nowNanos - minuteStart >= MINUTE_NANOS) {
      minuteStart = nowNanos;
      current = (current + 1) % MINUTES;
      minimum[current] = sample;
    } else if (earlier(sample, minimum[current])) {
      minimum[current] = sample;
    }
    long base = minimum[0];
    for (int i = 1; i < MINUTES; i++) {
      if (earlier(minimum[i], base)) {
        base = minimum[i];
      }
    }
    return (sample - base) & 0xFFFFFFFFL;
  }

  private static boolean earlier(long a, long b) {
    long d = (b - a) & 0xFFFFFFFFL;
    return d != 0 && d < 0x80000000L;
  }
}
