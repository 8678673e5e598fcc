package dev.bitwright.simulation;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.time.Duration;

/**
 * The simulated network: every pair of hosts has a fixed one-way latency drawn between {@code
 * minLatency} and {@code maxLatency}; every host uploads at most {@code uplinkBytesPerSecond}, its
 * writes queued on its uplink; each segment is lost with probability {@code lossRate} and then
 * arrives {@code retransmitDelay} later, still in order, as TCP would deliver it. A connection has
 * a window of 256 KiB in flight or unread.
 *
 * @param minLatency the shortest one-way latency of a pair of hosts
 * @param maxLatency the longest one-way latency of a pair of hosts
 * @param lossRate the probability, from 0 up to 1 (excluded), that a segment is lost once
 * @param retransmitDelay how much later a lost segment arrives
 * @param uplinkBytesPerSecond every host's upload capacity in bytes per second
 */
public record NetworkModel(
    Duration minLatency,
    Duration maxLatency,
    double lossRate,
    Duration retransmitDelay,
    long uplinkBytesPerSecond) {

  /**
   * Checks the model.
   *
   * @param minLatency the shortest one-way latency, zero or more
   * @param maxLatency the longest one-way latency, at least {@code minLatency}
   * @param lossRate the probability that a segment is lost once, in [0, 1)
   * @param retransmitDelay how much later a lost segment arrives, positive
   * @param uplinkBytesPerSecond every host's upload capacity, positive
   * @throws IllegalArgumentException if a latency is negative, {@code maxLatency} is below {@code
   *     minLatency}, the loss rate is outside [0, 1), the retransmit delay is not positive or the
   *     uplink is not positive
   */
  public NetworkModel {
    checkNotNull(minLatency, "minLatency");
    checkNotNull(maxLatency, "maxLatency");
    checkNotNull(retransmitDelay, "retransmitDelay");
    checkArgument(!minLatency.isNegative(), "negative latency: %s", minLatency);
    checkArgument(maxLatency.compareTo(minLatency) >= 0, "maxLatency below minLatency");
    checkArgument(lossRate >= 0 && lossRate < 1, "loss rate outside [0, 1): %s", lossRate);
    checkArgument(retransmitDelay.toNanos() > 0, "retransmit delay must be positive");
    checkArgument(uplinkBytesPerSecond > 0, "uplink must be positive: %s", uplinkBytesPerSecond);
  }

  /**
   * Returns a model of home connections across a continent: 5 to 60 ms one way, 1 % loss resent
   * after 200 ms, 2 MB/s up.
   *
   * @return the model
   */
  public static NetworkModel broadband() {
    return new NetworkModel(
        Duration.ofMillis(5), Duration.ofMillis(60), 0.01, Duration.ofMillis(200), 2_000_000);
  }

  /**
   * Returns a model of a local network: 0.1 to 0.5 ms one way, no loss, 100 MB/s up.
   *
   * @return the model
   */
  public static NetworkModel lan() {
    return new NetworkModel(
        Duration.ofNanos(100_000),
        Duration.ofNanos(500_000),
        0,
        Duration.ofMillis(10),
        100_000_000);
  }
}
