package dev.bitwright.utp.internal;

import com.google.common.base.Preconditions;
import java.nio.ByteBuffer;

/**
 * Bytes of a stream between two offsets, in a circular array that grows by doubling up to a bound:
 * a connection that moves little data keeps a small array, one that moves a lot never copies its
 * bytes more than once on the way through.
 */
final class ByteRing {
  private static final int INITIAL_BYTES = 16 * 1024;

  private final int maxBytes;
  private byte[] ring = new byte[0];
  private long start;
  private long end;

  ByteRing(int maxBytes) {
    Preconditions.checkArgument(maxBytes > 0, "maxBytes must be positive: %s", maxBytes);
    this.maxBytes = maxBytes;
  }

  /** Returns the stream offset of the first byte held. */
  long start() {
    return start;
  }

  /** Returns the stream offset after the last byte held. */
  long end() {
    return end;
  }

  /** Returns how many bytes are held. */
  int size() {
    return (int) (end - start);
  }

  /** Returns how many more bytes fit. */
  int free() {
    return maxBytes - size();
  }

  /** Appends up to {@link #free} bytes of {@code src}; returns how many. */
  int append(ByteBuffer src) {
    int n = Math.min(src.remaining(), free());
    if (n == 0) {
      return 0;
    }
    ensureCapacity(size() + n);
    int at = index(end);
    int first = Math.min(n, ring.length - at);
    src.get(ring, at, first);
    src.get(ring, 0, n - first);
    end += n;
    return n;
  }

  /** Appends {@code length} bytes of {@code src} from index {@code from}. */
  void append(byte[] src, int from, int length) {
    Preconditions.checkArgument(length <= free(), "%s bytes do not fit", length);
    ensureCapacity(size() + length);
    int at = index(end);
    int first = Math.min(length, ring.length - at);
    System.arraycopy(src, from, ring, at, first);
    System.arraycopy(src, from + first, ring, 0, length - first);
    end += length;
  }

  /** Appends {@code length} bytes of {@code src} from its absolute index {@code from}. */
  void append(ByteBuffer src, int from, int length) {
    Preconditions.checkArgument(length <= free(), "%s bytes do not fit", length);
    ensureCapacity(size() + length);
    int at = index(end);
    int first = Math.min(length, ring.length - at);
    src.get(from, ring, at, first);
    src.get(from + first, ring, 0, length - first);
    end += length;
  }

  /** Copies {@code length} bytes from stream offset {@code offset} into {@code out}. */
  void copy(long offset, int length, ByteBuffer out) {
    Preconditions.checkArgument(
        offset >= start && offset + length <= end, "bytes %s+%s not held", offset, length);
    int at = index(offset);
    int first = Math.min(length, ring.length - at);
    out.put(ring, at, first);
    out.put(ring, 0, length - first);
  }

  /** Forgets the bytes before stream offset {@code offset}. */
  void discardTo(long offset) {
    Preconditions.checkArgument(offset >= start && offset <= end, "offset %s not held", offset);
    start = offset;
  }

  private int index(long offset) {
    return (int) (offset & (ring.length - 1));
  }

  private void ensureCapacity(int needed) {
    if (needed <= ring.length) {
      return;
    }
    int capacity = Math.max(INITIAL_BYTES, ring.length);
    while (capacity < needed) {
      capacity <<= 1;
    }
    byte[] bigger = new byte[capacity];
    int size = size();
    if (size > 0) {
      int at = index(start);
      int first = Math.min(size, ring.length - at);
      int to = (int) (start & (capacity - 1));
      copyInto(bigger, to, ring, at, first);
      copyInto(bigger, (to + first) & (capacity - 1), ring, 0, size - first);
    }
    ring = bigger;
  }

  private static void copyInto(byte[] dst, int to, byte[] src, int from, int length) {
    int first = Math.min(length, dst.length - to);
    System.arraycopy(src, from, dst, to, first);
    System.arraycopy(src, from + first, dst, 0, length - first);
  }
}
