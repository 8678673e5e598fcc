package dev.bitwright.metainfo;

import dev.bitwright.metainfo.internal.Digests;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The SHA-256 merkle trees of BitTorrent v2 (BEP 52): a file's leaves are the hashes of its 16 KiB
 * blocks (the last block may be shorter), and the tree is padded with zero hashes to a power-of-two
 * number of leaves. A piece's hash is the root of its subtree, padded to the piece's full width; a
 * file's {@code pieces root} is the root of the whole tree.
 *
 * <p>Hash layers are passed as concatenated 32-byte hashes. The methods take the {@link
 * MessageDigest} to use so that callers can keep one per thread.
 */
public final class MerkleTree {
  /** Size of a leaf block. */
  public static final int BLOCK_SIZE = 16 * 1024;

  /** Size of a SHA-256 hash. */
  public static final int HASH_LENGTH = 32;

  private MerkleTree() {}

  /** {@return a new SHA-256 digest} */
  public static MessageDigest sha256() {
    return Digests.sha256();
  }

  /**
   * {@return the number of leaf blocks of a file of {@code length} bytes}
   *
   * @param length the file's length in bytes
   */
  public static long blockCount(long length) {
    return (length + BLOCK_SIZE - 1) / BLOCK_SIZE;
  }

  /**
   * {@return the hash of an all-zero subtree whose leaves are {@code 2^height} zero hashes (height
   * 0 is the zero leaf hash itself)}
   *
   * @param height the subtree's height above the leaves
   * @param sha256 the digest to hash with; reset after use
   */
  public static byte[] padHash(int height, MessageDigest sha256) {
    byte[] hash = new byte[HASH_LENGTH];
    for (int i = 0; i < height; i++) {
      sha256.update(hash);
      sha256.update(hash);
      hash = sha256.digest();
    }
    return hash;
  }

  /**
   * Reduces a layer of {@code count} hashes, all at height {@code height}, to its root: the layer
   * is padded with zero subtrees to the next power of two. One hash is its own root.
   *
   * @param layer the hashes, 32 bytes each, concatenated
   * @param count the number of hashes in {@code layer} to reduce, at least 1
   * @param height the layer's height above the leaves, which sets the padding hashes
   * @param sha256 the digest to hash with; reset after use
   * @return the 32-byte root
   */
  public static byte[] root(byte[] layer, int count, int height, MessageDigest sha256) {
    return reduce(layer, count, height, ceilLog2(count), sha256);
  }

  /**
   * Reduces {@code count} hashes at height {@code height} by {@code levels} levels: the root of a
   * subtree {@code 2^levels} hashes wide whose missing hashes are zero subtrees. {@code levels}
   * must be at least {@code ceil(log2(count))}.
   *
   * @param layer the hashes, 32 bytes each, concatenated
   * @param count the number of hashes in {@code layer} to reduce, at least 1
   * @param height the layer's height above the leaves, which sets the padding hashes
   * @param levels the number of levels to climb
   * @param sha256 the digest to hash with; reset after use
   * @return the 32-byte root of the subtree
   */
  public static byte[] reduce(
      byte[] layer, int count, int height, int levels, MessageDigest sha256) {
    if (count < 1 || levels < ceilLog2(count)) {
      throw new IllegalArgumentException(count + " hashes do not fit " + levels + " levels");
    }
    byte[] current = Arrays.copyOf(layer, count * HASH_LENGTH);
    int n = count;
    byte[] pad = padHash(height, sha256);
    for (int level = 0; level < levels; level++) {
      int parents = (n + 1) / 2;
      byte[] next = new byte[parents * HASH_LENGTH];
      for (int i = 0; i < parents; i++) {
        sha256.update(current, 2 * i * HASH_LENGTH, HASH_LENGTH);
        if (2 * i + 1 < n) {
          sha256.update(current, (2 * i + 1) * HASH_LENGTH, HASH_LENGTH);
        } else {
          sha256.update(pad);
        }
        digestInto(sha256, next, i * HASH_LENGTH);
      }
      sha256.update(pad);
      sha256.update(pad);
      pad = sha256.digest();
      current = next;
      n = parents;
    }
    return current;
  }

  /**
   * {@return the smallest {@code k} with {@code 2^k >= n}, for {@code n >= 1}}
   *
   * @param n a positive number
   */
  public static int ceilLog2(long n) {
    return 64 - Long.numberOfLeadingZeros(n - 1);
  }

  /**
   * {@return the piece layer of a file: for each piece of {@code blocksPerPiece} leaves, the root
   * of that piece's subtree, the last piece padded with zero leaves}
   *
   * @param leaves the file's leaf hashes, {@code leafCount} of them
   * @param leafCount the number of leaf hashes, at least 1
   * @param blocksPerPiece the number of leaves under one piece: a power of two
   * @param sha256 the digest to hash with; reset after use
   */
  public static byte[] pieceLayer(
      byte[] leaves, int leafCount, int blocksPerPiece, MessageDigest sha256) {
    int pieces = (leafCount + blocksPerPiece - 1) / blocksPerPiece;
    int levels = Integer.numberOfTrailingZeros(blocksPerPiece);
    byte[] layer = new byte[pieces * HASH_LENGTH];
    for (int p = 0; p < pieces; p++) {
      int first = p * blocksPerPiece;
      int count = Math.min(blocksPerPiece, leafCount - first);
      byte[] piece = Arrays.copyOfRange(leaves, first * HASH_LENGTH, (first + count) * HASH_LENGTH);
      System.arraycopy(reduce(piece, count, 0, levels, sha256), 0, layer, p * HASH_LENGTH, 32);
    }
    return layer;
  }

  private static void digestInto(MessageDigest digest, byte[] out, int offset) {
    try {
      digest.digest(out, offset, HASH_LENGTH);
    } catch (DigestException e) {
      throw new IllegalStateException(e);
    }
  }
}
