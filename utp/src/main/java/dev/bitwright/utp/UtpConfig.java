package dev.bitwright.utp;

import com.google.common.base.Preconditions;
import java.time.Duration;

/**
 * Settings of a {@link UtpEndpoint}, immutable; {@link #defaults()} are libtorrent's where it has
 * them. Build others with {@link #builder()}.
 */
public final class UtpConfig {
  private final int packetBytes;
  private final int sendBufferBytes;
  private final int receiveBufferBytes;
  private final Duration targetDelay;
  private final Duration initialTimeout;
  private final Duration minTimeout;
  private final int synResends;
  private final int dataResends;
  private final int maxConnections;
  private final Duration finTimeout;

  private UtpConfig(Builder b) {
    this.packetBytes = b.packetBytes;
    this.sendBufferBytes = b.sendBufferBytes;
    this.receiveBufferBytes = b.receiveBufferBytes;
    this.targetDelay = b.targetDelay;
    this.initialTimeout = b.initialTimeout;
    this.minTimeout = b.minTimeout;
    this.synResends = b.synResends;
    this.dataResends = b.dataResends;
    this.maxConnections = b.maxConnections;
    this.finTimeout = b.finTimeout;
  }

  /** {@return the default settings} */
  public static UtpConfig defaults() {
    return builder().build();
  }

  /** {@return a builder starting from the defaults} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the largest datagram sent, header included (default 1,400 bytes, fits any path)} */
  public int packetBytes() {
    return packetBytes;
  }

  /**
   * {@return the bytes written and not yet acknowledged that a connection holds (default 1 MiB)}
   */
  public int sendBufferBytes() {
    return sendBufferBytes;
  }

  /** {@return the receive window: bytes a connection holds for its reader (default 1 MiB)} */
  public int receiveBufferBytes() {
    return receiveBufferBytes;
  }

  /** {@return the queueing delay LEDBAT aims at (default 100 ms, BEP 29)} */
  public Duration targetDelay() {
    return targetDelay;
  }

  /** {@return the retransmission timeout before the first round-trip sample (default 1 s)} */
  public Duration initialTimeout() {
    return initialTimeout;
  }

  /** {@return the smallest retransmission timeout (default 500 ms)} */
  public Duration minTimeout() {
    return minTimeout;
  }

  /** {@return how often a SYN is sent again before the connect fails (default 2)} */
  public int synResends() {
    return synResends;
  }

  /** {@return how many timeouts in a row a connection survives (default 5; each doubles)} */
  public int dataResends() {
    return dataResends;
  }

  /** {@return the most connections at once, incoming and outgoing (default 1,000)} */
  public int maxConnections() {
    return maxConnections;
  }

  /** {@return how long a closed connection waits for its FIN to be acknowledged (default 5 s)} */
  public Duration finTimeout() {
    return finTimeout;
  }

  /** Builds a {@link UtpConfig}. */
  public static final class Builder {
    private int packetBytes = 1400;
    private int sendBufferBytes = 1 << 20;
    private int receiveBufferBytes = 1 << 20;
    private Duration targetDelay = Duration.ofMillis(100);
    private Duration initialTimeout = Duration.ofSeconds(1);
    private Duration minTimeout = Duration.ofMillis(500);
    private int synResends = 2;
    private int dataResends = 5;
    private int maxConnections = 1000;
    private Duration finTimeout = Duration.ofSeconds(5);

    private Builder() {}

    /**
     * Sets the largest datagram sent, header included: 150 to 65,507 bytes.
     *
     * @param bytes the datagram size limit in bytes, 150 to 65,507 (default 1,400)
     * @return this builder
     */
    public Builder packetBytes(int bytes) {
      Preconditions.checkArgument(
          bytes >= 150 && bytes <= 65_507, "packetBytes must be 150..65507: %s", bytes);
      this.packetBytes = bytes;
      return this;
    }

    /**
     * Sets the send buffer: 16 KiB to 64 MiB.
     *
     * @param bytes bytes written but not yet acknowledged that a connection holds, 16 KiB to 64 MiB
     *     (default 1 MiB)
     * @return this builder
     */
    public Builder sendBufferBytes(int bytes) {
      Preconditions.checkArgument(
          bytes >= 16 << 10 && bytes <= 64 << 20,
          "sendBufferBytes must be 16KiB..64MiB: %s",
          bytes);
      this.sendBufferBytes = bytes;
      return this;
    }

    /**
     * Sets the receive window: 16 KiB to 64 MiB.
     *
     * @param bytes bytes received but not yet read that a connection holds, 16 KiB to 64 MiB
     *     (default 1 MiB)
     * @return this builder
     */
    public Builder receiveBufferBytes(int bytes) {
      Preconditions.checkArgument(
          bytes >= 16 << 10 && bytes <= 64 << 20,
          "receiveBufferBytes must be 16KiB..64MiB: %s",
          bytes);
      this.receiveBufferBytes = bytes;
      return this;
    }

    /**
     * Sets LEDBAT's target queueing delay: 1 ms to 1 s.
     *
     * @param delay the queueing delay LEDBAT aims for, 1 ms to 1 s (default 100 ms)
     * @return this builder
     */
    public Builder targetDelay(Duration delay) {
      Preconditions.checkArgument(
          delay.toMillis() >= 1 && delay.toMillis() <= 1000,
          "targetDelay must be 1ms..1s: %s",
          delay);
      this.targetDelay = delay;
      return this;
    }

    /**
     * Sets the timeout before the first round-trip sample: 10 ms to 10 s.
     *
     * @param timeout the first retransmission timeout, 10 ms to 10 s (default 1 s)
     * @return this builder
     */
    public Builder initialTimeout(Duration timeout) {
      Preconditions.checkArgument(
          timeout.toMillis() >= 10 && timeout.toMillis() <= 10_000,
          "initialTimeout must be 10ms..10s: %s",
          timeout);
      this.initialTimeout = timeout;
      return this;
    }

    /**
     * Sets the smallest retransmission timeout: 10 ms to 10 s.
     *
     * @param timeout the floor of the retransmission timeout, 10 ms to 10 s (default 500 ms)
     * @return this builder
     */
    public Builder minTimeout(Duration timeout) {
      Preconditions.checkArgument(
          timeout.toMillis() >= 10 && timeout.toMillis() <= 10_000,
          "minTimeout must be 10ms..10s: %s",
          timeout);
      this.minTimeout = timeout;
      return this;
    }

    /**
     * Sets how often a SYN is sent again: 0 to 10.
     *
     * @param resends the number of SYN retransmissions before a connect fails, 0 to 10 (default 2)
     * @return this builder
     */
    public Builder synResends(int resends) {
      Preconditions.checkArgument(resends >= 0 && resends <= 10, "synResends must be 0..10");
      this.synResends = resends;
      return this;
    }

    /**
     * Sets how many timeouts in a row a connection survives: 1 to 20.
     *
     * @param resends the number of consecutive timeouts before a connection fails, 1 to 20 (default
     *     5)
     * @return this builder
     */
    public Builder dataResends(int resends) {
      Preconditions.checkArgument(resends >= 1 && resends <= 20, "dataResends must be 1..20");
      this.dataResends = resends;
      return this;
    }

    /**
     * Sets the most connections at once: 1 to 65,535.
     *
     * @param connections the most open connections of the endpoint, 1 to 65,535 (default 1,000)
     * @return this builder
     */
    public Builder maxConnections(int connections) {
      Preconditions.checkArgument(
          connections >= 1 && connections <= 65_535, "maxConnections must be 1..65535");
      this.maxConnections = connections;
      return this;
    }

    /**
     * Sets how long a closed connection waits for its FIN to be acknowledged: 0 to 60 s.
     *
     * @param timeout the wait for the acknowledgement of our FIN, 0 to 60 s (default 5 s)
     * @return this builder
     */
    public Builder finTimeout(Duration timeout) {
      Preconditions.checkArgument(
          !timeout.isNegative() && timeout.toSeconds() <= 60, "finTimeout must be 0..60s");
      this.finTimeout = timeout;
      return this;
    }

    /** {@return the settings} */
    public UtpConfig build() {
      return new UtpConfig(this);
    }
  }
}
