package dev.bitwright.metainfo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.metainfo.MerkleTree;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MerkleTest {
  private static final byte[] ZERO = new byte[32];

  private static byte[] hash(byte[] left, byte[] right) {
    MessageDigest sha = MerkleTree.sha256();
    sha.update(left);
    sha.update(right);
    return sha.digest();
  }

  private static byte[] leaf(int seed) {
    return MerkleTree.sha256().digest(new byte[] {(byte) seed, (byte) (seed >> 8), 1});
  }

  private static byte[] concat(byte[]... hashes) {
    byte[] out = new byte[hashes.length * 32];
    for (int i = 0; i < hashes.length; i++) {
      System.arraycopy(hashes[i], 0, out, i * 32, 32);
    }
    return out;
  }

  private static byte[] leaves(int count, long seed) {
    byte[][] hashes = new byte[count][];
    Random random = new Random(seed);
    for (int i = 0; i < count; i++) {
      hashes[i] = new byte[32];
      random.nextBytes(hashes[i]);
    }
    return concat(hashes);
  }

  /** A textbook merkle root: pad the leaves with zero hashes to a power of two, then pair up. */
  static byte[] naiveRoot(byte[] layer) {
    List<byte[]> level = new ArrayList<>();
    for (int i = 0; i < layer.length; i += 32) {
      level.add(Arrays.copyOfRange(layer, i, i + 32));
    }
    int width = 1;
    while (width < level.size()) {
      width *= 2;
    }
    while (level.size() < width) {
      level.add(ZERO);
    }
    while (level.size() > 1) {
      List<byte[]> next = new ArrayList<>();
      for (int i = 0; i < level.size(); i += 2) {
        next.add(hash(level.get(i), level.get(i + 1)));
      }
      level = next;
    }
    return level.get(0);
  }

  @Test
  void hasTheBep52BlockAndHashSizes() {
    assertThat(MerkleTree.BLOCK_SIZE).isEqualTo(16 * 1024);
    assertThat(MerkleTree.HASH_LENGTH).isEqualTo(32);
    assertThat(MerkleTree.sha256().getDigestLength()).isEqualTo(32);
    assertThat(Digests.sha1().getDigestLength()).isEqualTo(20);
  }

  @Test
  void theRootOfOneLeafIsThatLeaf() {
    byte[] l0 = leaf(0);
    assertThat(MerkleTree.root(l0, 1, 0, MerkleTree.sha256())).isEqualTo(l0);
    assertThat(MerkleTree.root(l0, 1, 5, MerkleTree.sha256())).isEqualTo(l0);
  }

  @Test
  void theRootOfTwoLeavesIsTheHashOfBoth() {
    byte[] l0 = leaf(0);
    byte[] l1 = leaf(1);
    assertThat(MerkleTree.root(concat(l0, l1), 2, 0, MerkleTree.sha256())).isEqualTo(hash(l0, l1));
  }

  @Test
  void padsThreeLeavesWithAZeroHash() {
    byte[] l0 = leaf(0);
    byte[] l1 = leaf(1);
    byte[] l2 = leaf(2);
    byte[] expected = hash(hash(l0, l1), hash(l2, ZERO));
    assertThat(MerkleTree.root(concat(l0, l1, l2), 3, 0, MerkleTree.sha256())).isEqualTo(expected);
  }

  @Test
  void padsFiveLeavesWithZeroSubtrees() {
    byte[][] l = {leaf(0), leaf(1), leaf(2), leaf(3), leaf(4)};
    byte[] left = hash(hash(l[0], l[1]), hash(l[2], l[3]));
    byte[] right = hash(hash(l[4], ZERO), hash(ZERO, ZERO));
    assertThat(MerkleTree.root(concat(l), 5, 0, MerkleTree.sha256())).isEqualTo(hash(left, right));
  }

  @Test
  void padsAHigherLayerWithZeroSubtreesOfItsHeight() {
    byte[] p0 = leaf(0);
    byte[] p1 = leaf(1);
    byte[] p2 = leaf(2);
    byte[] pad2 = MerkleTree.padHash(2, MerkleTree.sha256());
    byte[] expected = hash(hash(p0, p1), hash(p2, pad2));
    assertThat(MerkleTree.root(concat(p0, p1, p2), 3, 2, MerkleTree.sha256())).isEqualTo(expected);
  }

  @Test
  void padHashesAreRootsOfAllZeroSubtrees() {
    byte[] pad1 = hash(ZERO, ZERO);
    byte[] pad2 = hash(pad1, pad1);
    assertThat(MerkleTree.padHash(0, MerkleTree.sha256())).isEqualTo(ZERO);
    assertThat(MerkleTree.padHash(1, MerkleTree.sha256())).isEqualTo(pad1);
    assertThat(MerkleTree.padHash(2, MerkleTree.sha256())).isEqualTo(pad2);
    assertThat(MerkleTree.padHash(3, MerkleTree.sha256())).isEqualTo(naiveRoot(new byte[8 * 32]));
  }

  @Test
  void reducingByMoreLevelsAddsZeroSubtrees() {
    byte[] l0 = leaf(0);
    byte[] l1 = leaf(1);
    byte[] expected = hash(hash(l0, l1), hash(ZERO, ZERO));
    assertThat(MerkleTree.reduce(concat(l0, l1), 2, 0, 2, MerkleTree.sha256())).isEqualTo(expected);
    assertThat(MerkleTree.reduce(l0, 1, 0, 1, MerkleTree.sha256())).isEqualTo(hash(l0, ZERO));
  }

  @Test
  void reduceRejectsLayersThatDoNotFit() {
    assertThatThrownBy(() -> MerkleTree.reduce(new byte[0], 0, 0, 3, MerkleTree.sha256()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MerkleTree.reduce(leaves(3, 1), 3, 0, 1, MerkleTree.sha256()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({
    "1, 0",
    "2, 1",
    "3, 2",
    "4, 2",
    "5, 3",
    "8, 3",
    "9, 4",
    "1024, 10",
    "1025, 11",
    "1099511627776, 40",
    "1099511627777, 41",
    "9223372036854775807, 63"
  })
  void ceilLog2IsTheExponentOfTheNextPowerOfTwo(long n, int expected) {
    assertThat(MerkleTree.ceilLog2(n)).isEqualTo(expected);
  }

  @Property(tries = 500)
  void ceilLog2IsTheSmallestSufficientExponent(@ForAll @LongRange(min = 1, max = 1L << 62) long n) {
    int k = MerkleTree.ceilLog2(n);
    assertThat(1L << k).isGreaterThanOrEqualTo(n);
    if (k > 0) {
      assertThat(1L << (k - 1)).isLessThan(n);
    }
  }

  @Test
  void countsBlocksOf16KiB() {
    assertThat(MerkleTree.blockCount(0)).isZero();
    assertThat(MerkleTree.blockCount(1)).isEqualTo(1);
    assertThat(MerkleTree.blockCount(16384)).isEqualTo(1);
    assertThat(MerkleTree.blockCount(16385)).isEqualTo(2);
    assertThat(MerkleTree.blockCount(1L << 40)).isEqualTo(1L << 26);
  }

  @Test
  void aPieceLayerOfOneBlockPerPieceIsTheLeaves() {
    byte[] leaves = leaves(5, 7);
    assertThat(MerkleTree.pieceLayer(leaves, 5, 1, MerkleTree.sha256())).isEqualTo(leaves);
  }

  @Test
  void aPieceLayerHoldsTheRootOfEachPiecePaddedWithZeroLeaves() {
    byte[][] l = {leaf(0), leaf(1), leaf(2), leaf(3), leaf(4)};
    byte[] layer = MerkleTree.pieceLayer(concat(l), 5, 4, MerkleTree.sha256());
    byte[] piece0 = hash(hash(l[0], l[1]), hash(l[2], l[3]));
    byte[] piece1 = hash(hash(l[4], ZERO), hash(ZERO, ZERO));
    assertThat(layer).isEqualTo(concat(piece0, piece1));
  }

  @Property(tries = 300)
  void theRootOfThePieceLayerIsTheRootOfTheLeaves(
      @ForAll @IntRange(min = 1, max = 300) int leafCount,
      @ForAll @IntRange(min = 0, max = 3) int log2BlocksPerPiece,
      @ForAll long seed) {
    int blocksPerPiece = 1 << log2BlocksPerPiece;
    byte[] leaves = leaves(leafCount, seed);
    MessageDigest sha = MerkleTree.sha256();
    byte[] layer = MerkleTree.pieceLayer(leaves, leafCount, blocksPerPiece, sha);
    int pieces = (leafCount + blocksPerPiece - 1) / blocksPerPiece;
    assertThat(layer).hasSize(pieces * 32);
    byte[] fromLayer = MerkleTree.root(layer, pieces, log2BlocksPerPiece, sha);
    int levels = Math.max(MerkleTree.ceilLog2(leafCount), log2BlocksPerPiece);
    assertThat(fromLayer).isEqualTo(MerkleTree.reduce(leaves, leafCount, 0, levels, sha));
    if (leafCount >= blocksPerPiece) {
      assertThat(fromLayer).isEqualTo(MerkleTree.root(leaves, leafCount, 0, sha));
    }
  }

  @Property(tries = 300)
  void rootsEqualATextbookMerkleTree(
      @ForAll @IntRange(min = 1, max = 200) int leafCount, @ForAll long seed) {
    byte[] leaves = leaves(leafCount, seed);
    assertThat(MerkleTree.root(leaves, leafCount, 0, MerkleTree.sha256()))
        .isEqualTo(naiveRoot(leaves));
  }
}
