package dev.bitwright.session.internal.engine;

import com.google.common.base.Ticker;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;

/**
 * The real clock and ticker, the defaults of a session's configuration. This is the only code of
 * the library that reads the system's time; everything else gets it injected.
 */
public final class SystemTime {
  private SystemTime() {}

  /** Returns the system ticker. */
  @SuppressForbidden
  public static Ticker ticker() {
    return Ticker.systemTicker();
  }

  /** Returns the system clock in UTC. */
  @SuppressForbidden
  public static Clock clock() {
    return Clock.systemUTC();
  }

  /** Returns 0.0.0.0. */
  public static InetAddress anyIpv4() {
    try {
      return InetAddress.getByAddress(new byte[4]);
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
