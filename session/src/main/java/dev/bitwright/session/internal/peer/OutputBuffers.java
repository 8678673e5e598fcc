package dev.bitwright.session.internal.peer;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Direct buffers for what peer connections send, lent only while there is something to send: a
 * connection takes one when it first has bytes to write and gives it back as soon as the socket
 * took them all, so connections that are idle, or never get past their handshake, hold none.
 * Buffers are {@value #SIZE} bytes (a read's corked replies and a block fit); the rare larger need
 * gets a heap buffer of its own. At most {@value #MAX_POOLED} idle buffers are kept. Loop thread
 * only.
 */
public final class OutputBuffers {
  static final int SIZE = 128 * 1024;
  static final int MAX_POOLED = 64;

  private final ArrayDeque<ByteBuffer> idle = new ArrayDeque<>();

  /** Returns an empty buffer with room for at least {@code bytes}. */
  ByteBuffer take(int bytes) {
    if (bytes > SIZE) {
      return ByteBuffer.allocate(bytes);
    }
    ByteBuffer b = idle.poll();
    return b != null ? b.clear() : ByteBuffer.allocateDirect(SIZE);
  }

  /** Returns a buffer taken before; only pool-sized direct buffers are kept. */
  void give(ByteBuffer buffer) {
    if (buffer.isDirect() && buffer.capacity() == SIZE && idle.size() < MAX_POOLED) {
      idle.push(buffer);
    }
  }
}
