package dev.bitwright.session;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * When a torrent asks its web seeds (BEP 19) for pieces. A launcher that pays for its CDN wants
 * peers first and the CDN as a top-up: {@link #whenPeersSlowerThan} asks web seeds only while the
 * peers deliver less than a rate. Immutable.
 */
public final class WebSeedPolicy {
  private static final WebSeedPolicy ALWAYS = new WebSeedPolicy(Long.MAX_VALUE);
  private static final WebSeedPolicy NEVER = new WebSeedPolicy(0);

  // Web seeds are asked while the peers' download rate is below this, in bytes per second.
  private final long peerRateBelow;

  private WebSeedPolicy(long peerRateBelow) {
    this.peerRateBelow = peerRateBelow;
  }

  /**
   * Web seeds are asked whenever there are pieces to fetch, beside the peers (the default).
   *
   * @return the policy that asks web seeds whenever pieces are missing
   */
  public static WebSeedPolicy always() {
    return ALWAYS;
  }

  /**
   * Web seeds are never asked (their URLs are kept, and shown in the status).
   *
   * @return the policy that never asks web seeds
   */
  public static WebSeedPolicy never() {
    return NEVER;
  }

  /**
   * Web seeds are asked only while the peers deliver less than {@code bytesPerSecond}: requests on
   * their way finish, and new ones start when the peers slow down again.
   *
   * @param bytesPerSecond the peers' download rate, in bytes per second, below which web seeds are
   *     asked
   * @return the policy that asks web seeds only while the peers are slower than {@code
   *     bytesPerSecond}
   * @throws IllegalArgumentException if {@code bytesPerSecond} is not positive
   */
  public static WebSeedPolicy whenPeersSlowerThan(long bytesPerSecond) {
    checkArgument(bytesPerSecond > 0, "the rate must be positive: %s", bytesPerSecond);
    return new WebSeedPolicy(bytesPerSecond);
  }

  /**
   * {@return whether web seeds may be asked now, the peers delivering {@code peerRate} bytes/s}
   *
   * @param peerRate the rate at which the torrent's peers deliver now, in bytes per second
   */
  public boolean allows(long peerRate) {
    return peerRate < peerRateBelow;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WebSeedPolicy p && peerRateBelow == p.peerRateBelow;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(peerRateBelow);
  }

  @Override
  public String toString() {
    return this == ALWAYS
        ? "always"
        : this == NEVER ? "never" : "when peers are slower than " + peerRateBelow + " B/s";
  }
}
