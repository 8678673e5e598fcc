package dev.bitwright.bencode;

import java.io.IOException;

/**
 * Malformed or over-limit bencoded input. This is the only exception a {@link BencodeDecoder}
 * raises for bad input, whatever the input is.
 */
public final class BencodeException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Offset of the offending byte, counted from the start of the decoder's input. */
  private final long offset;

  /**
   * Creates an exception for the byte at {@code offset}.
   *
   * @param message what was wrong, without the offset (it is appended)
   * @param offset offset of the offending byte, counted from the start of the decoder's input
   */
  public BencodeException(String message, long offset) {
    super(message + " (at byte " + offset + ")");
    this.offset = offset;
  }

  /** {@return the offset of the offending byte, counted from the start of the decoder's input} */
  public long offset() {
    return offset;
  }
}
