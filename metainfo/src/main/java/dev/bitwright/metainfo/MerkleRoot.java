package dev.bitwright.metainfo;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.io.BaseEncoding;
import java.util.Arrays;

/**
 * The root of a file's SHA-256 merkle tree in a v2 torrent (BEP 52 {@code pieces root}): it
 * identifies the file's content and keys the file's piece layer.
 *
 * @param bytes the 32 hash bytes (copied)
 */
public record MerkleRoot(byte[] bytes) {
  /** Length of a merkle root in bytes. */
  public static final int LENGTH = 32;

  /**
   * Creates a root from a copy of {@code bytes}.
   *
   * @param bytes the 32-byte SHA-256 root hash; copied
   * @throws IllegalArgumentException if {@code bytes} is not 32 bytes long
   */
  public MerkleRoot {
    checkArgument(bytes.length == LENGTH, "a merkle root has 32 bytes, not %s", bytes.length);
    bytes = bytes.clone();
  }

  /** {@return a copy of the hash bytes} */
  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MerkleRoot other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Returns the root in lower-case hex. */
  @Override
  public String toString() {
    return BaseEncoding.base16().lowerCase().encode(bytes);
  }
}
