package dev.bitwright.session.internal.portmap;

/** A gateway's datagram that is not a well-formed PCP or NAT-PMP response. */
public final class PortMapFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * A datagram that failed for {@code reason}.
   *
   * @param reason what is wrong with it, for the logs
   */
  public PortMapFormatException(String reason) {
    super(reason);
  }
}
