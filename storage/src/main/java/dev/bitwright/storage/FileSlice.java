package dev.bitwright.storage;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * A run of bytes inside one file of a torrent, part of a piece or block.
 *
 * @param file the file's index in {@code Torrent.files()}
 * @param offset the offset in the file
 * @param length the number of bytes, at least 1
 * @param padding whether the file is a padding file (its bytes are zeros and never stored)
 */
public record FileSlice(int file, long offset, int length, boolean padding) {
  /**
   * Creates a slice.
   *
   * @param file the file's index in {@code Torrent.files()}
   * @param offset the offset in the file
   * @param length the number of bytes, at least 1
   * @param padding whether the file is a padding file (its bytes are zeros and never stored)
   * @throws IllegalArgumentException if an index or length is out of range
   */
  public FileSlice {
    checkArgument(
        file >= 0 && offset >= 0 && length > 0, "invalid slice %s@%s+%s", file, offset, length);
  }
}
