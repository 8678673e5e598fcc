package dev.bitwright.session.internal.data;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Direct buffers that hold whole pieces while their blocks arrive, so that a complete piece is
 * hashed in memory and written in one call (see {@link TorrentData}). The buffers in use and idle
 * together stay within a byte budget; when it is spent, or a piece is longer than {@value
 * #MAX_PIECE_LENGTH} bytes, {@link #take} returns null and the piece goes to the disk block by
 * block instead. Loop thread only.
 */
public final class PieceBuffers {
  static final int MAX_PIECE_LENGTH = 4 << 20;

  private final long budget;
  private final ArrayDeque<ByteBuffer> idle = new ArrayDeque<>();
  private long allocated;

  /** A pool of at most {@code budget} bytes. */
  public PieceBuffers(long budget) {
    this.budget = budget;
  }

  /** Returns a buffer of exactly {@code length} bytes (position 0, limit length), or null. */
  ByteBuffer take(int length) {
    if (length > MAX_PIECE_LENGTH) {
      return null;
    }
    for (Iterator<ByteBuffer> it = idle.iterator(); it.hasNext(); ) {
      ByteBuffer b = it.next();
      if (b.capacity() == length) {
        it.remove();
        return b.clear();
      }
    }
    // Idle buffers of other lengths (another torrent's pieces, a last piece) make room first.
    while (allocated + length > budget && !idle.isEmpty()) {
      allocated -= idle.removeLast().capacity();
    }
    if (allocated + length > budget) {
      return null;
    }
    allocated += length;
    return ByteBuffer.allocateDirect(length);
  }

  /** Returns a buffer taken before. */
  void give(ByteBuffer buffer) {
    idle.push(buffer);
  }

  /** Returns the bytes of all buffers, in use or idle (for tests). */
  long allocated() {
    return allocated;
  }
}
