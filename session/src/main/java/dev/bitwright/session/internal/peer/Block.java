package dev.bitwright.session.internal.peer;

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

  // Written out: a record's generated equals and hashCode go through method handles, which cost
  // the JIT more on this path, taken for every block sent or received.
  @Override
  public boolean equals(Object o) {
    return o instanceof Block b && piece == b.piece && offset == b.offset && length == b.length;
  }

  @Override
  public int hashCode() {
    return (piece * 31 + offset) * 31 + length;
  }
}
