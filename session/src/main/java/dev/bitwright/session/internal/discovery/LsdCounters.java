package dev.bitwright.session.internal.discovery;

/**
 * What Local Service Discovery sent and heard over the session's life, across the times it was
 * turned off and on. Loop thread only.
 */
public final class LsdCounters {
  long sent;
  long received;
  long ignored;

  /** {@return the announce datagrams sent, one per interface and family} */
  public long sent() {
    return sent;
  }

  /** {@return the announces of other peers handled} */
  public long received() {
    return received;
  }

  /**
   * {@return the datagrams ignored: malformed, from outside the interfaces' networks, or over the
   * rate limit}
   */
  public long ignored() {
    return ignored;
  }
}
