package dev.bitwright.wire;

import static com.google.common.base.Preconditions.checkArgument;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A 20-byte peer id. Bitwright's own follow BEP 20's Azureus style: {@code -BW0100-} (client code
 * {@code BW}, version 0.1.0.0) and 12 random characters.
 *
 * @param bytes the 20 bytes (copied)
 */
public record PeerId(byte[] bytes) {
  /** Length of a peer id. */
  public static final int LENGTH = 20;

  /** The prefix of Bitwright's peer ids. */
  public static final String BITWRIGHT_PREFIX = "-BW0100-";

  private static final String RANDOM_ALPHABET =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

  /**
   * Creates a peer id from a copy of 20 bytes.
   *
   * @param bytes the 20 bytes (copied)
   */
  public PeerId {
    checkArgument(bytes.length == LENGTH, "a peer id has 20 bytes, not %s", bytes.length);
    bytes = bytes.clone();
  }

  /**
   * {@return a new Bitwright peer id: the prefix and 12 random alphanumerics}
   *
   * @param random the source of the random characters
   */
  public static PeerId generate(RandomGenerator random) {
    byte[] id = new byte[LENGTH];
    byte[] prefix = BITWRIGHT_PREFIX.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(prefix, 0, id, 0, prefix.length);
    for (int i = prefix.length; i < LENGTH; i++) {
      id[i] = (byte) RANDOM_ALPHABET.charAt(random.nextInt(RANDOM_ALPHABET.length()));
    }
    return new PeerId(id);
  }

  /** {@return a copy of the bytes} */
  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /**
   * {@return the client and version an Azureus-style id ({@code -XXvvvv-}) or Mainline-style id
   * ({@code Mvvv-...}) announces, such as {@code "libtorrent 2.0.8.0"}; empty for other styles}
   */
  public Optional<String> clientName() {
    return ClientNames.describe(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerId other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Returns printable bytes as they are and others as {@code %XX}. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(LENGTH);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '%') {
        s.append((char) c);
      } else {
        s.append('%').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
      }
    }
    return s.toString();
  }
}
