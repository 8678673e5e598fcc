package dev.bitwright.session.internal.peer;

/**
 * A transfer rate: bytes counted into one-second slots, the rate is the average of the last five
 * full seconds (plus the current one, pro rata), like the smoothed rates clients display.
 */
public final class RateMeter {
  private static final long SECOND = 1_000_000_000L;
  private static final int SLOTS = 5;

  private final long[] slots = new long[SLOTS];
  private long slotStart;
  private int current;
  private long total;
  private boolean started;

  /** Adds {@code bytes} at {@code now}. */
  public void add(long bytes, long now) {
    roll(now);
    slots[current] += bytes;
    total += bytes;
  }

  /** Returns bytes per second at {@code now}. */
  public long rate(long now) {
    roll(now);
    long sum = 0;
    for (long s : slots) {
      sum += s;
    }
    long elapsed = (SLOTS - 1) * SECOND + Math.max(1, now - slotStart);
    return sum * SECOND / elapsed;
  }

  /** Returns every byte counted. */
  public long total() {
    return total;
  }

  private void roll(long now) {
    if (!started) {
      started = true;
      slotStart = now;
      return;
    }
    long passed = (now - slotStart) / SECOND;
    if (passed <= 0) {
      return;
    }
    for (long i = 0; i < Math.min(passed, SLOTS); i++) {
      current = (current + 1) % SLOTS;
      slots[current] = 0;
    }
    slotStart += passed * SECOND;
  }
}
