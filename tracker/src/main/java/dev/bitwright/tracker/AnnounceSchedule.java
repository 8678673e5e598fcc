package dev.bitwright.tracker;

import static com.google.common.base.Preconditions.checkNotNull;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When to announce to one tracker: at once for {@code started}, {@code completed} and {@code
 * stopped}; otherwise after the tracker's {@code interval}, never sooner than its {@code min
 * interval}; after a failure, after an exponential back-off with jitter (15 s doubling up to one
 * hour, each drawn between half and all of it), so that many clients do not retry in step.
 *
 * <p>A timer rather than one of the package's state machines: it has no input or output. The host
 * asks {@link #isDue} and may sleep until {@link #nextAnnounce()}, which is on the clock of {@code
 * nowNanos} (the caller's, from an injected ticker). Not thread-safe.
 */
public final class AnnounceSchedule {
  /** The first back-off after a failure. */
  public static final Duration FIRST_BACKOFF = Duration.ofSeconds(15);

  /** The longest back-off. */
  public static final Duration MAX_BACKOFF = Duration.ofHours(1);

  private final RandomGenerator random;
  private long next;
  private long earliest;
  private int failures;

  /**
   * Creates a schedule that announces at once.
   *
   * @param random draws the back-off jitter
   * @param nowNanos the current time, in nanoseconds of the caller's monotonic clock
   */
  public AnnounceSchedule(RandomGenerator random, long nowNanos) {
    this.random = checkNotNull(random);
    this.next = nowNanos;
    this.earliest = nowNanos;
  }

  /** {@return when the next regular announce is due, on the clock of {@code nowNanos}} */
  public long nextAnnounce() {
    return next;
  }

  /**
   * {@return whether a regular announce is due at {@code nowNanos}}
   *
   * @param nowNanos the current time, in nanoseconds of the caller's monotonic clock
   */
  public boolean isDue(long nowNanos) {
    return nowNanos - next >= 0;
  }

  /**
   * {@return when an event announce ({@code completed}, {@code stopped}) may go: now, unless the
   * tracker's {@code min interval} asks to wait} {@code started} always goes at once.
   *
   * @param nowNanos the current time, in nanoseconds of the caller's monotonic clock
   */
  public long earliestEventAnnounce(long nowNanos) {
    return nowNanos - earliest >= 0 ? nowNanos : earliest;
  }

  /** {@return how many announces failed in a row} */
  public int failures() {
    return failures;
  }

  /**
   * Records an answer: the next announce follows the tracker's intervals.
   *
   * @param response the tracker's answer, whose {@code interval} and {@code min interval} set the
   *     next announce
   * @param nowNanos the time of the answer, in nanoseconds of the caller's monotonic clock
   */
  public void succeeded(AnnounceResponse response, long nowNanos) {
    failures = 0;
    Duration interval = response.interval();
    Duration min = response.minInterval().orElse(Duration.ZERO);
    if (interval.compareTo(min) < 0) {
      interval = min;
    }
    next = nowNanos + interval.toNanos();
    earliest = nowNanos + min.toNanos();
  }

  /**
   * Records a failure: the next announce waits for the back-off.
   *
   * @param nowNanos the time of the failure, in nanoseconds of the caller's monotonic clock
   */
  public void failed(long nowNanos) {
    failures++;
    long backoff = FIRST_BACKOFF.toNanos() << Math.min(failures - 1, 20);
    backoff = Math.min(backoff, MAX_BACKOFF.toNanos());
    long jittered = backoff / 2 + (long) (random.nextDouble() * (backoff / 2));
    next = nowNanos + jittered;
  }

  /**
   * Asks for an announce as soon as allowed (after an event such as {@code completed}).
   *
   * @param nowNanos the current time, in nanoseconds of the caller's monotonic clock
   */
  public void announceSoon(long nowNanos) {
    next = earliestEventAnnounce(nowNanos);
  }
}
