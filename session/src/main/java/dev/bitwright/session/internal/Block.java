package dev.bitwright.session.internal;

/**
 * A block of a piece, the unit of requests.
 *
 * @param piece the piece index
 * @param offset the offset in the piece
 * @param length the block length
 */
public record Block(int piece, int offset, int length) {
  /** The block size every client uses. */
  public static final int SIZE = 16 * 1024;

  /** Returns the block's index inside its piece. */
  public int index() {
    return offset / SIZE;
  }
}
