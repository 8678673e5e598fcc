package dev.bitwright.tracker;

import java.time.Duration;

/** Time for the state machines under test: plain nanoseconds the test advances. */
final class FakeClock {
  private long nanos;

  /** Starts at {@code start}; any origin works, negative ones included (as System.nanoTime). */
  FakeClock(long start) {
    this.nanos = start;
  }

  long now() {
    return nanos;
  }

  /** Returns the time {@code seconds} after the start of the test at {@code origin}. */
  static long at(long origin, double seconds) {
    return origin + (long) (seconds * 1e9);
  }

  long advance(Duration d) {
    nanos += d.toNanos();
    return nanos;
  }

  long advanceSeconds(long seconds) {
    return advance(Duration.ofSeconds(seconds));
  }

  long set(long value) {
    nanos = value;
    return nanos;
  }
}
