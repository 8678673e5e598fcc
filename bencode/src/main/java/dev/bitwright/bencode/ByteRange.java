package dev.bitwright.bencode;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * A half-open range {@code [start, end)} of byte offsets in the input a value was decoded from.
 * Offsets count from the first byte handed to the decoder.
 *
 * @param start offset of the first byte of the value
 * @param end offset just past the last byte of the value
 */
public record ByteRange(int start, int end) {

  /**
   * Creates a range.
   *
   * @param start offset of the first byte of the value; not negative
   * @param end offset just past the last byte of the value; not less than {@code start}
   * @throws IllegalArgumentException if {@code start} is negative or {@code end < start}
   */
  public ByteRange {
    checkArgument(start >= 0 && end >= start, "invalid range [%s, %s)", start, end);
  }

  /** {@return the number of bytes in the range} */
  public int length() {
    return end - start;
  }
}
