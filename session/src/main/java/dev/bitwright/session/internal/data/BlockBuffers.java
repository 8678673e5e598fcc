package dev.bitwright.session.internal.data;

import dev.bitwright.session.internal.peer.Block;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Direct buffers for received blocks on their way to the disk, reused: a block is copied once, from
 * the socket's read buffer into one of these, and the disk write needs no further copy (a heap
 * buffer would be copied again into a temporary direct buffer by the JDK). At most {@value
 * #MAX_POOLED} idle buffers are kept; how many are in use is bounded by the disk backlog limit.
 * Loop thread only.
 */
public final class BlockBuffers {
  static final int MAX_POOLED = 1024;

  private final ArrayDeque<ByteBuffer> idle = new ArrayDeque<>();

  /** Returns a cleared buffer with room for {@code length} bytes, its limit set to it. */
  ByteBuffer take(int length) {
    if (length <= Block.SIZE) {
      ByteBuffer b = idle.poll();
      if (b == null) {
        b = ByteBuffer.allocateDirect(Block.SIZE);
      }
      return b.clear().limit(length);
    }
    return ByteBuffer.allocate(length);
  }

  /** Returns a buffer taken before. */
  void give(ByteBuffer buffer) {
    if (buffer.isDirect() && buffer.capacity() == Block.SIZE && idle.size() < MAX_POOLED) {
      idle.push(buffer);
    }
  }
}
