package dev.bitwright.testing;

import com.google.common.math.LongMath;
import java.math.RoundingMode;
import java.util.SplittableRandom;

/**
 * The impairment of one direction of a {@link UdpImpairmentRelay}: decides, as each datagram
 * arrives, whether it is lost or duplicated and when each copy leaves. Only the relay's receiving
 * thread uses it, so it needs no locking, and with a fixed seed the same arrivals get the same
 * fate.
 */
final class Impairment {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final long[] LOST = {};

  /**
   * What both directions of a relay do to datagrams; see the builder's methods.
   *
   * @param delayNanos the one-way delay
   * @param jitterNanos the largest extra delay, drawn uniformly for each copy
   * @param lossRate the probability that a datagram is lost
   * @param duplicateRate the probability that a datagram that is not lost is sent twice
   * @param reorderRate the probability that a copy is held back by {@code reorderDelayNanos}
   * @param reorderDelayNanos how long a held-back copy waits on top of its delay and jitter
   * @param bytesPerSecond the bottleneck's rate, or 0 for none
   */
  record Settings(
      long delayNanos,
      long jitterNanos,
      double lossRate,
      double duplicateRate,
      double reorderRate,
      long reorderDelayNanos,
      long bytesPerSecond) {}

  private final Settings settings;
  private final SplittableRandom random;
  private long linkFreeAt = Long.MIN_VALUE;

  Impairment(Settings settings, SplittableRandom random) {
    this.settings = settings;
    this.random = random;
  }

  /**
   * Returns when each copy of a datagram of {@code length} bytes that arrived at {@code now} leaves
   * the relay, on the {@link System#nanoTime()} scale: no time if the datagram is lost, two if it
   * is duplicated.
   */
  long[] releaseTimes(int length, long now) {
    if (random.nextDouble() < settings.lossRate()) {
      return LOST;
    }
    long departure = now;
    if (settings.bytesPerSecond() > 0) {
      // A bottleneck: a datagram waits for those queued before it to be serialised, then for its
      // own bytes. A lost datagram never reached it, so it takes no time there.
      long serialisation =
          LongMath.divide(
              length * NANOS_PER_SECOND, settings.bytesPerSecond(), RoundingMode.CEILING);
      linkFreeAt = Math.max(linkFreeAt, now) + serialisation;
      departure = linkFreeAt;
    }
    long[] times = new long[random.nextDouble() < settings.duplicateRate() ? 2 : 1];
    for (int i = 0; i < times.length; i++) {
      // Each copy draws its own jitter, so a duplicate may overtake the original, as on a real
      // path with several routes.
      times[i] = departure + settings.delayNanos() + random.nextLong(settings.jitterNanos() + 1);
      if (random.nextDouble() < settings.reorderRate()) {
        times[i] += settings.reorderDelayNanos();
      }
    }
    return times;
  }
}
