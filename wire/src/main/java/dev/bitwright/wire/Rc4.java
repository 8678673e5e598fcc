package dev.bitwright.wire;

import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * The RC4 stream cipher as MSE uses it: keyed with a 20-byte SHA-1 value, with the first 1024 bytes
 * of keystream discarded. Encryption and decryption are the same operation, applied in place.
 *
 * <p>Not thread-safe: one instance per direction of one connection.
 */
public final class Rc4 {
  private static final int DISCARD = 1024;

  private final int[] state = new int[256];
  private int i;
  private int j;
  private byte @Nullable [] scratch;

  /**
   * Creates a cipher keyed with {@code key} (1 to 256 bytes), keystream already advanced 1024.
   *
   * @param key the RC4 key, 1 to 256 bytes
   */
  public Rc4(byte[] key) {
    if (key.length == 0 || key.length > 256) {
      throw new IllegalArgumentException("RC4 keys have 1 to 256 bytes");
    }
    for (int k = 0; k < 256; k++) {
      state[k] = k;
    }
    for (int k = 0, m = 0; k < 256; k++) {
      m = (m + state[k] + key[k % key.length]) & 0xff;
      int t = state[k];
      state[k] = state[m];
      state[m] = t;
    }
    apply(new byte[DISCARD], 0, DISCARD);
  }

  /**
   * Encrypts or decrypts {@code length} bytes of {@code data} from {@code offset}, in place.
   *
   * @param data the bytes to transform
   * @param offset the index of the first byte to transform
   * @param length the number of bytes to transform
   */
  public void apply(byte[] data, int offset, int length) {
    int[] s = state;
    int x = i;
    int y = j;
    for (int k = offset, end = offset + length; k < end; k++) {
      x = (x + 1) & 0xff;
      int sx = s[x];
      y = (y + sx) & 0xff;
      int sy = s[y];
      s[x] = sy;
      s[y] = sx;
      data[k] ^= (byte) s[(sx + sy) & 0xff];
    }
    i = x;
    j = y;
  }

  /**
   * Encrypts or decrypts the remaining bytes of {@code buffer} in place; the position moves on.
   *
   * @param buffer the bytes to transform, from its position to its limit
   */
  public void apply(ByteBuffer buffer) {
    if (buffer.hasArray()) {
      int at = buffer.arrayOffset() + buffer.position();
      apply(buffer.array(), at, buffer.remaining());
      buffer.position(buffer.limit());
      return;
    }
    if (scratch == null) {
      scratch = new byte[16 * 1024]; // once per instance: no garbage per call
    }
    byte[] chunk = scratch;
    while (buffer.hasRemaining()) {
      int n = Math.min(chunk.length, buffer.remaining());
      int at = buffer.position();
      buffer.get(chunk, 0, n);
      apply(chunk, 0, n);
      buffer.put(at, chunk, 0, n);
    }
  }
}
