package dev.bitwright.utp;

import java.io.IOException;

/**
 * A malformed uTP packet: too short, of an unknown version or type, or with an extension that runs
 * past its end. The only exception the packet decoder raises for bad input; {@link UtpEndpoint}
 * drops such a datagram and counts it.
 */
public final class UtpException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The offset in the datagram where the fault was found. */
  private final int offset;

  /**
   * Creates an exception.
   *
   * @param message what was wrong
   * @param offset the offset in the datagram where it was found
   */
  public UtpException(String message, int offset) {
    super(message + " (at byte " + offset + ")");
    this.offset = offset;
  }

  /** {@return the offset in the datagram where the fault was found} */
  public int offset() {
    return offset;
  }
}
