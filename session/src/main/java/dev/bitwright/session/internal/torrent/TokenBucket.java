package dev.bitwright.session.internal.torrent;

/**
 * A rate limit as a token bucket: {@code rate} bytes per second flow in, up to one second's worth
 * (at least one block) can be spent at once. A rate of 0 means no limit.
 */
public final class TokenBucket {
  private static final long SECOND = 1_000_000_000L;

  private long rate;
  private double tokens;
  private long last;
  private boolean started;

  /** Creates a bucket of {@code rate} bytes per second (0 for unlimited). */
  public TokenBucket(long rate) {
    this.rate = rate;
  }

  /** Changes the rate (0 for unlimited). */
  public void setRate(long rate) {
    this.rate = rate;
  }

  /** Returns the rate in bytes per second, 0 for none. */
  public long rate() {
    return rate;
  }

  /** Returns whether there is no limit. */
  public boolean unlimited() {
    return rate == 0;
  }

  /** Returns how many bytes may be spent at {@code now}. */
  public long available(long now) {
    if (rate == 0) {
      return Long.MAX_VALUE;
    }
    refill(now);
    return (long) Math.max(0, tokens);
  }

  /** Spends {@code bytes} (the balance may go below zero: the debt is paid by waiting). */
  public void spend(long bytes, long now) {
    if (rate == 0) {
      return;
    }
    refill(now);
    tokens -= bytes;
  }

  /** Returns nanoseconds until {@code bytes} can be spent, 0 if now. */
  public long waitFor(long bytes, long now) {
    if (rate == 0) {
      return 0;
    }
    refill(now);
    double missing = bytes - tokens;
    return missing <= 0 ? 0 : (long) (missing * SECOND / rate) + 1;
  }

  private void refill(long now) {
    if (!started) {
      started = true;
      last = now;
      tokens = capacity();
      return;
    }
    tokens = Math.min(capacity(), tokens + (double) (now - last) * rate / SECOND);
    last = now;
  }

  private double capacity() {
    return Math.max(rate, 16 * 1024);
  }
}
