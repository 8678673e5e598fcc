package dev.bitwright.metainfo.internal.compact;

/**
 * Bytes that are not a compact address or address list. Checked, and not an {@code IOException}, so
 * that the compiler makes every caller translate it into its own module's documented exception
 * rather than let it escape through a {@code throws IOException}.
 */
public final class CompactAddressException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int offset;

  /**
   * Creates an exception.
   *
   * @param message what was wrong
   * @param offset the index in the input where the offending entry starts
   */
  public CompactAddressException(String message, int offset) {
    super(message + " (at byte " + offset + ")");
    this.offset = offset;
  }

  /** Returns the index in the input where the offending entry starts. */
  public int offset() {
    return offset;
  }
}
