package dev.bitwright.metainfo;

import static com.google.common.base.Preconditions.checkArgument;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One v2 file's SHA-256 merkle tree (BEP 52) as far as it is known: its piece layer, and the leaf
 * (16 KiB block) hashes of some of its pieces. It answers the hash ranges of BEP 52 {@code hash
 * request} messages and checks those received in {@code hashes} messages against the file's pieces
 * root.
 *
 * <p>Layers are numbered from the leaves: the leaves are base 0, the piece layer base {@link
 * #pieceHeight()}, the root base {@link #height()}. The tree is padded to a power-of-two width with
 * zero leaves, as BEP 52 pads it. A hash range {@code (base, index, count, proofLayers)} is {@code
 * count} hashes of layer {@code base} from {@code index} ({@code count} a power of two of at least
 * 2, {@code index} a multiple of it), followed by {@code proofLayers - log2(count) + 1} uncle
 * hashes: the sibling of the range's subtree root, then of its parent, and so on towards the root
 * (the layers inside the range's subtree are not sent).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class FileMerkleTree {
  private final MerkleRoot root;
  private final long fileLength;
  private final int pieceLength;
  private final long blocks;
  private final int height;
  private final int pieceHeight;
  private final byte[][] upperLayers;
  private final Map<Integer, byte[]> leavesByPiece;

  private FileMerkleTree(
      MerkleRoot root,
      long fileLength,
      int pieceLength,
      byte[][] upperLayers,
      Map<Integer, byte[]> leavesByPiece) {
    this.root = root;
    this.fileLength = fileLength;
    this.pieceLength = pieceLength;
    this.blocks = MerkleTree.blockCount(fileLength);
    this.height = MerkleTree.ceilLog2(blocks);
    this.pieceHeight = pieceHeightOf(pieceLength);
    this.upperLayers = upperLayers;
    this.leavesByPiece = leavesByPiece;
  }

  private static int pieceHeightOf(int pieceLength) {
    return Integer.numberOfTrailingZeros(pieceLength / MerkleTree.BLOCK_SIZE);
  }

  /**
   * {@return the tree of a file of {@code fileLength} bytes with pieces of {@code pieceLength}
   * bytes, knowing its root and, for a file longer than one piece, its piece layer}
   *
   * @param root the file's pieces root, as the torrent gives it
   * @param fileLength the file's length in bytes; positive
   * @param pieceLength the torrent's piece length in bytes
   * @param pieceLayer the piece layer (32 bytes per piece), required for a file longer than one
   *     piece and ignored otherwise
   * @throws IllegalArgumentException if the file is empty, the piece length is not a power of two
   *     of at least 16 KiB, the layer is missing or has the wrong size, or it does not hash to
   *     {@code root}
   */
  public static FileMerkleTree of(
      MerkleRoot root, long fileLength, int pieceLength, Optional<byte[]> pieceLayer) {
    checkArgument(fileLength > 0, "an empty file has no merkle tree");
    checkArgument(
        pieceLength >= MerkleTree.BLOCK_SIZE && Integer.bitCount(pieceLength) == 1,
        "invalid piece length %s",
        pieceLength);
    byte[][] upper = new byte[0][];
    if (fileLength > pieceLength) {
      byte[] layer = pieceLayer.orElseThrow(() -> new IllegalArgumentException("no piece layer"));
      long pieces = (fileLength + pieceLength - 1) / pieceLength;
      checkArgument(
          layer.length == pieces * MerkleTree.HASH_LENGTH,
          "a piece layer of %s bytes for %s pieces",
          layer.length,
          pieces);
      int height = MerkleTree.ceilLog2(MerkleTree.blockCount(fileLength));
      int pieceHeight = pieceHeightOf(pieceLength);
      upper = layersAbove(layer, (int) pieces, pieceHeight, height - pieceHeight);
      checkArgument(
          Arrays.equals(upper[upper.length - 1], root.bytes()),
          "the piece layer does not hash to the pieces root");
    }
    return new FileMerkleTree(root, fileLength, pieceLength, upper, Map.of());
  }

  /**
   * {@return this tree knowing also the leaf hashes of piece {@code piece} (counted from the file's
   * first piece): one hash per block of the file in that piece, padding leaves left out}
   *
   * @param piece the piece's index among the file's pieces, from 0
   * @param leaves the piece's leaf hashes, 32 bytes each, concatenated; copied
   * @throws IllegalArgumentException if the piece is not in the file or the hashes are not one per
   *     block
   */
  public FileMerkleTree withLeaves(int piece, byte[] leaves) {
    long first = (long) piece << pieceHeight;
    checkArgument(piece >= 0 && first < blocks, "piece %s is not in the file", piece);
    long count = Math.min(1L << pieceHeight, blocks - first);
    checkArgument(leaves.length == count * MerkleTree.HASH_LENGTH, "expected %s leaves", count);
    Map<Integer, byte[]> more = new HashMap<>(leavesByPiece);
    more.put(piece, leaves.clone());
    return new FileMerkleTree(root, fileLength, pieceLength, upperLayers, Map.copyOf(more));
  }

  /** {@return the file's pieces root} */
  public MerkleRoot root() {
    return root;
  }

  /** {@return the base of the root: the tree's number of layers above the leaves} */
  public int height() {
    return height;
  }

  /** {@return the base of the piece layer} */
  public int pieceHeight() {
    return pieceHeight;
  }

  /** {@return the number of the file's pieces} */
  public int pieceCount() {
    return (int) ((blocks + (1L << pieceHeight) - 1) >>> pieceHeight);
  }

  /**
   * {@return whether {@code (base, index, count, proofLayers)} is a hash range of the tree of a
   * file of {@code fileLength} bytes (pieces of {@code pieceLength}): inside the padded layer,
   * {@code count} a power of two ({@code 1} accepted: BEP 52 asks for 2 at least, but libtorrent
   * asks for 1 after 512k pieces), {@code index} a multiple of it, and proof layers that stop below
   * the root}
   *
   * @param fileLength the file's length in bytes
   * @param pieceLength the torrent's piece length in bytes
   * @param base the layer of the range's hashes, counted from the leaves (0)
   * @param index the index of the range's first hash in that layer
   * @param count the number of hashes in the range
   * @param proofLayers the number of layers of uncle hashes asked for above the range
   */
  public static boolean isValidRange(
      long fileLength, int pieceLength, int base, int index, int count, int proofLayers) {
    if (fileLength <= 0) {
      return false;
    }
    int height = MerkleTree.ceilLog2(MerkleTree.blockCount(fileLength));
    if (base < 0 || base >= height || count < 1 || Integer.bitCount(count) != 1) {
      return false;
    }
    long width = 1L << (height - base);
    return index >= 0
        && index % count == 0
        && (long) index + count <= width
        && proofLayers >= 0
        && proofLayers < height - base;
  }

  /**
   * {@return the pieces (counted from the file's first) whose leaf hashes an answer to a range of
   * the tree of a file of {@code fileLength} bytes needs below its piece layer, as {@code {first,
   * last}}; empty when the piece layer is enough} See {@link #withLeaves}.
   *
   * @param fileLength the file's length in bytes
   * @param pieceLength the torrent's piece length in bytes
   * @param base the layer of the range's hashes, counted from the leaves (0)
   * @param index the index of the range's first hash in that layer
   * @param count the number of hashes in the range
   * @param proofLayers the number of layers of uncle hashes asked for above the range
   * @throws IllegalArgumentException if the range is not valid
   */
  public static Optional<int[]> piecesNeeded(
      long fileLength, int pieceLength, int base, int index, int count, int proofLayers) {
    checkArgument(
        isValidRange(fileLength, pieceLength, base, index, count, proofLayers),
        "invalid hash range");
    int pieceHeight = pieceHeightOf(pieceLength);
    if (base >= pieceHeight && fileLength > pieceLength) {
      return Optional.empty();
    }
    // The range's pieces: below the piece layer its uncles lie in the same piece, even where the
    // range itself is padding.
    long blocks = MerkleTree.blockCount(fileLength);
    long pieces = (blocks + (1L << pieceHeight) - 1) >>> pieceHeight;
    long first = ((long) index << base) >>> pieceHeight;
    long last = Math.min(pieces - 1, ((((long) index + count) << base) - 1) >>> pieceHeight);
    if (first > last) {
      return Optional.empty(); // all padding, uncles too
    }
    return Optional.of(new int[] {(int) first, (int) last});
  }

  /**
   * {@return the hashes of a range: {@code count} hashes of layer {@code base} from {@code index},
   * then the uncle hashes; empty when a hash it needs is not known (leaves of a piece not given)}
   *
   * @param base the layer of the range's hashes, counted from the leaves (0)
   * @param index the index of the range's first hash in that layer
   * @param count the number of hashes in the range
   * @param proofLayers the number of layers of uncle hashes asked for above the range
   * @throws IllegalArgumentException if the range is not valid
   */
  public Optional<byte[]> hashes(int base, int index, int count, int proofLayers) {
    checkArgument(
        isValidRange(fileLength, pieceLength, base, index, count, proofLayers),
        "invalid hash range");
    int span = Integer.numberOfTrailingZeros(count);
    int uncles = Math.max(0, proofLayers - span + 1);
    byte[] out = new byte[(count + uncles) * MerkleTree.HASH_LENGTH];
    MessageDigest sha256 = MerkleTree.sha256();
    for (int i = 0; i < count; i++) {
      if (!hash(base, (long) index + i, sha256, out, i)) {
        return Optional.empty();
      }
    }
    long node = index >>> span;
    for (int j = 0; j < uncles; j++) {
      if (!hash(base + span + j, (node >>> j) ^ 1, sha256, out, count + j)) {
        return Optional.empty();
      }
    }
    return Optional.of(out);
  }

  /**
   * Checks the hashes received for a range against the pieces root of a file and returns the {@code
   * count} hashes of layer {@code base}, or empty if they do not prove out (wrong number of hashes,
   * or the range and its uncles do not hash to the root).
   *
   * @param root the file's pieces root, as the torrent gives it
   * @param fileLength the file's length in bytes
   * @param pieceLength the torrent's piece length in bytes
   * @param base the layer of the range's hashes, counted from the leaves (0)
   * @param index the index of the range's first hash in that layer
   * @param count the number of hashes in the range
   * @param proofLayers the number of layers of uncle hashes sent above the range
   * @param hashes the hashes received: the range's, then its uncles, 32 bytes each
   * @return the range's {@code count} hashes, 32 bytes each, once they prove out against {@code
   *     root}; empty otherwise
   * @throws IllegalArgumentException if the range is not a valid range of such a file
   */
  public static Optional<byte[]> verify(
      MerkleRoot root,
      long fileLength,
      int pieceLength,
      int base,
      int index,
      int count,
      int proofLayers,
      byte[] hashes) {
    checkArgument(
        isValidRange(fileLength, pieceLength, base, index, count, proofLayers),
        "invalid hash range");
    int height = MerkleTree.ceilLog2(MerkleTree.blockCount(fileLength));
    int span = Integer.numberOfTrailingZeros(count);
    int uncles = Math.max(0, proofLayers - span + 1);
    if (base + span + uncles != height) {
      return Optional.empty(); // not enough proof to reach the root: nothing to check against
    }
    if (hashes.length != (count + uncles) * MerkleTree.HASH_LENGTH) {
      return Optional.empty();
    }
    MessageDigest sha256 = MerkleTree.sha256();
    byte[] node = MerkleTree.reduce(hashes, count, base, span, sha256);
    long position = index >>> span;
    for (int j = 0; j < uncles; j++) {
      int at = (count + j) * MerkleTree.HASH_LENGTH;
      if ((position & 1) == 0) {
        sha256.update(node);
        sha256.update(hashes, at, MerkleTree.HASH_LENGTH);
      } else {
        sha256.update(hashes, at, MerkleTree.HASH_LENGTH);
        sha256.update(node);
      }
      node = sha256.digest();
      position >>>= 1;
    }
    if (!Arrays.equals(node, root.bytes())) {
      return Optional.empty();
    }
    return Optional.of(Arrays.copyOf(hashes, count * MerkleTree.HASH_LENGTH));
  }

  /** Writes the hash of node {@code index} of layer {@code base} into {@code out}'s slot. */
  private boolean hash(int base, long index, MessageDigest sha256, byte[] out, int slot) {
    byte[] h = hash(base, index, sha256);
    if (h == null) {
      return false;
    }
    System.arraycopy(h, 0, out, slot * MerkleTree.HASH_LENGTH, MerkleTree.HASH_LENGTH);
    return true;
  }

  /** Returns the hash of a node, or null when it depends on leaves not known. */
  private byte @Nullable [] hash(int base, long index, MessageDigest sha256) {
    if ((index << base) >= blocks) {
      return MerkleTree.padHash(base, sha256);
    }
    if (base >= pieceHeight && upperLayers.length > 0) {
      byte[] layer = upperLayers[base - pieceHeight];
      int at = (int) index * MerkleTree.HASH_LENGTH;
      return Arrays.copyOfRange(layer, at, at + MerkleTree.HASH_LENGTH);
    }
    if (base == 0) {
      byte[] leaves = leavesByPiece.get((int) (index >>> pieceHeight));
      if (leaves == null) {
        return null;
      }
      int at = (int) (index & ((1L << pieceHeight) - 1)) * MerkleTree.HASH_LENGTH;
      return Arrays.copyOfRange(leaves, at, at + MerkleTree.HASH_LENGTH);
    }
    byte[] left = hash(base - 1, 2 * index, sha256);
    byte[] right = left == null ? null : hash(base - 1, 2 * index + 1, sha256);
    if (right == null) {
      return null;
    }
    sha256.update(left);
    sha256.update(right);
    return sha256.digest();
  }

  /**
   * Returns the layers from the piece layer ({@code [0]}) up to the root ({@code [levels]}), each
   * holding only the nodes that cover file data; nodes beyond are padding.
   */
  private static byte[][] layersAbove(byte[] pieceLayer, int pieces, int pieceHeight, int levels) {
    byte[][] layers = new byte[levels + 1][];
    layers[0] = pieceLayer.clone();
    MessageDigest sha256 = MerkleTree.sha256();
    int n = pieces;
    for (int level = 1; level <= levels; level++) {
      byte[] below = layers[level - 1];
      byte[] pad = MerkleTree.padHash(pieceHeight + level - 1, sha256);
      int parents = (n + 1) / 2;
      byte[] layer = new byte[parents * MerkleTree.HASH_LENGTH];
      for (int i = 0; i < parents; i++) {
        sha256.update(below, 2 * i * MerkleTree.HASH_LENGTH, MerkleTree.HASH_LENGTH);
        if (2 * i + 1 < n) {
          sha256.update(below, (2 * i + 1) * MerkleTree.HASH_LENGTH, MerkleTree.HASH_LENGTH);
        } else {
          sha256.update(pad);
        }
        System.arraycopy(sha256.digest(), 0, layer, i * MerkleTree.HASH_LENGTH, 32);
      }
      layers[level] = layer;
      n = parents;
    }
    return layers;
  }

  @Override
  public String toString() {
    return "FileMerkleTree[root=" + root + ", height=" + height + ", pieces=" + pieceCount() + "]";
  }
}
