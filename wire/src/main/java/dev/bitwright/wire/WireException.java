package dev.bitwright.wire;

import java.io.IOException;

/**
 * A peer broke the protocol: a malformed or oversized message or handshake, a field out of range, a
 * failed encryption handshake. This is the only exception the wire decoders raise for bad input;
 * the session disconnects the peer and reports it.
 */
public final class WireException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The offset in the input where the offending frame or field starts, or -1. */
  private final long offset;

  /**
   * Creates an exception.
   *
   * @param message what was wrong
   * @param offset the offset in the input where the offending frame or field starts, or -1
   */
  public WireException(String message, long offset) {
    super(offset < 0 ? message : message + " (at byte " + offset + ")");
    this.offset = offset;
  }

  /** {@return the offset in the input where the offending frame or field starts, or -1} */
  public long offset() {
    return offset;
  }
}
