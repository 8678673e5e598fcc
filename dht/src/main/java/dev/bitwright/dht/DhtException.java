package dev.bitwright.dht;

import java.io.IOException;

/**
 * A malformed KRPC message: not bencode, not a dictionary, or a field missing or of the wrong type
 * or length. This is the only exception the KRPC decoder raises for bad input. {@link DhtNode}
 * never lets it escape: it drops the datagram, or answers it with a protocol error, and counts it.
 */
public final class DhtException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The offending field, or {@code ""} for the whole message. */
  private final String field;

  /**
   * Creates an exception.
   *
   * @param message what was wrong
   * @param field the offending field (e.g. {@code "a.info_hash"}), or {@code ""} for the whole
   *     message
   */
  public DhtException(String message, String field) {
    super(field.isEmpty() ? message : message + " (field " + field + ")");
    this.field = field;
  }

  /**
   * Creates an exception for a message that is not valid bencode.
   *
   * @param message what was wrong
   * @param cause the bencode error
   */
  public DhtException(String message, Throwable cause) {
    super(message, cause);
    this.field = "";
  }

  /** {@return the offending field, or {@code ""} when the message as a whole was wrong} */
  public String field() {
    return field;
  }
}
