package dev.bitwright.session.internal.discovery;

/** A datagram that is not a well-formed Local Service Discovery announce ({@link LsdAnnounce}). */
public final class LsdFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * A datagram that failed for {@code reason}.
   *
   * @param reason what is wrong with it, for the logs
   */
  public LsdFormatException(String reason) {
    super(reason);
  }
}
