package dev.bitwright.utp.internal;

/**
 * LEDBAT congestion control (RFC 6817, as BEP 29 applies it) and the retransmission timeout.
 *
 * <p>The window grows while the one-way queueing delay the peer reports stays under the target and
 * shrinks as it goes over, in proportion to how far off target it is ({@link #GAIN_BYTES} per round
 * trip for each target's worth), so that a uTP transfer yields to a game or a browser on the same
 * line. Until the delay first reaches the target or a packet is lost, it grows as TCP's slow start
 * does (by the bytes acknowledged), as libtorrent's does. A loss halves it, a timeout shrinks it to
 * one packet. Only acks of a full window change it. The timeout comes from the smoothed round-trip
 * time and its variance (RFC 6298), sampled only from packets sent once (Karn).
 */
public final class Congestion {
  /** The most the window grows per round trip outside slow start (BEP 29). */
  public static final int GAIN_BYTES = 3000;

  private static final long MAX_TIMEOUT_NANOS = 60_000_000_000L;

  private final long targetDelayMicros;
  private final int minWindow;
  private final int maxWindow;
  private final long minTimeoutNanos;
  private final DelayBase base = new DelayBase();
  private double window;
  private boolean slowStart = true;
  private double slowStartThreshold;
  private long smoothedRtt = -1;
  private long rttVariance;
  private long timeout;
  private long lastQueueingDelayMicros;

  /**
   * Creates the state of a new connection.
   *
   * @param targetDelayMicros the queueing delay LEDBAT aims at
   * @param packetBytes one full packet, the smallest window
   * @param maxWindow the largest window (the send buffer)
   * @param initialTimeoutNanos the timeout before the first round-trip sample
   * @param minTimeoutNanos the smallest timeout
   */
  public Congestion(
      long targetDelayMicros,
      int packetBytes,
      int maxWindow,
      long initialTimeoutNanos,
      long minTimeoutNanos) {
    this.targetDelayMicros = targetDelayMicros;
    this.minWindow = packetBytes;
    this.maxWindow = Math.max(maxWindow, packetBytes);
    this.minTimeoutNanos = minTimeoutNanos;
    this.window = Math.min(2.0 * packetBytes, this.maxWindow);
    this.timeout = initialTimeoutNanos;
  }

  /** Returns the congestion window in bytes. */
  public int window() {
    return (int) window;
  }

  /** Returns whether the window still grows as in slow start. */
  public boolean slowStart() {
    return slowStart;
  }

  /** Returns the retransmission timeout. */
  public long timeoutNanos() {
    return timeout;
  }

  /** Returns the smoothed round-trip time, or -1 before the first sample. */
  public long smoothedRttNanos() {
    return smoothedRtt;
  }

  /** Returns the last queueing delay measured, in microseconds. */
  public long queueingDelayMicros() {
    return lastQueueingDelayMicros;
  }

  /** A round trip of a packet sent once took {@code rttNanos}. */
  public void onRttSample(long rttNanos) {
    long rtt = Math.max(0, rttNanos);
    if (smoothedRtt < 0) {
      smoothedRtt = rtt;
      rttVariance = rtt / 2;
    } else {
      rttVariance += (Math.abs(smoothedRtt - rtt) - rttVariance) / 4;
      smoothedRtt += (rtt - smoothedRtt) / 8;
    }
    timeout = Math.min(MAX_TIMEOUT_NANOS, Math.max(minTimeoutNanos, smoothedRtt + 4 * rttVariance));
  }

  /**
   * {@code ackedBytes} left the flight, acknowledged; the peer measured {@code delayMicros} (its
   * {@code timestamp_difference}, modulo 2^32) on our packets, or 0 when it did not measure. The
   * window grows or shrinks by LEDBAT's rule; {@code bytesInFlight} (before this ack) tells whether
   * the window was in use, for a window the sender does not fill is not evidence of room.
   */
  public void onAck(int ackedBytes, int delayMicros, long nowNanos, int bytesInFlight) {
    if (ackedBytes <= 0) {
      return;
    }
    if (delayMicros != 0) {
      lastQueueingDelayMicros = base.queueingDelay(delayMicros & 0xFFFFFFFFL, nowNanos);
      if (slowStart && lastQueueingDelayMicros >= targetDelayMicros) {
        slowStart = false;
        slowStartThreshold = window / 2;
      }
    }
    // A sender that does not fill its window learns nothing about the path from an ack.
    if (bytesInFlight + minWindow <= window) {
      return;
    }
    double delayFactor = (double) (targetDelayMicros - lastQueueingDelayMicros) / targetDelayMicros;
    double windowFactor = (double) ackedBytes / Math.max(bytesInFlight, ackedBytes);
    double change = GAIN_BYTES * delayFactor * windowFactor;
    if (slowStart) {
      if (slowStartThreshold > 0 && window + ackedBytes > slowStartThreshold) {
        slowStart = false;
      } else {
        change = Math.max(change, ackedBytes);
      }
    }
    window = Math.max(minWindow, Math.min(maxWindow, window + change));
  }

  /** A packet sent after the last cut was lost: the window halves, slow start ends. */
  public void onLoss() {
    window = Math.max(minWindow, window / 2);
    slowStartThreshold = window;
    slowStart = false;
  }

  /**
   * Nothing was acknowledged within the timeout: the window shrinks to one packet, the timeout
   * doubles, and slow start begins again up to half the old window.
   */
  public void onTimeout() {
    slowStartThreshold = Math.max(minWindow, window / 2);
    window = minWindow;
    slowStart = true;
    timeout = Math.min(MAX_TIMEOUT_NANOS, timeout * 2);
  }
}
