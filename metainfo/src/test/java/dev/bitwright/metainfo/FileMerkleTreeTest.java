package dev.bitwright.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * BEP 52 hash ranges: what a tree answers proves out against the pieces root, at the piece layer
 * from the piece layer alone and below it from the leaves of the pieces needed.
 */
class FileMerkleTreeTest {
  private static final int BLOCK = MerkleTree.BLOCK_SIZE;

  /** A file of random leaf hashes: its leaves, piece layer and root. */
  private record File(long length, int pieceLength, byte[] leaves, byte[] layer, MerkleRoot root) {
    static File random(long length, int pieceLength, long seed) {
      int blocks = (int) MerkleTree.blockCount(length);
      byte[] leaves = new byte[blocks * 32];
      new Random(seed).nextBytes(leaves);
      var sha = MerkleTree.sha256();
      int perPiece = pieceLength / BLOCK;
      byte[] layer = MerkleTree.pieceLayer(leaves, blocks, perPiece, sha);
      byte[] root =
          length <= pieceLength
              ? MerkleTree.root(leaves, blocks, 0, sha)
              : MerkleTree.root(
                  layer, layer.length / 32, Integer.numberOfTrailingZeros(perPiece), sha);
      return new File(length, pieceLength, leaves, layer, new MerkleRoot(root));
    }

    FileMerkleTree tree() {
      return FileMerkleTree.of(root, length, pieceLength, Optional.of(layer));
    }

    byte[] piecesLeaves(int piece) {
      int perPiece = pieceLength / BLOCK;
      int from = piece * perPiece * 32;
      return Arrays.copyOfRange(leaves, from, Math.min(leaves.length, from + perPiece * 32));
    }
  }

  @Property(tries = 300)
  void everyPieceLayerRangeProvesOutWithAFullProof(
      @ForAll @LongRange(min = 1, max = 40_000_000) long length,
      @ForAll @IntRange(min = 0, max = 3) int pieceShift,
      @ForAll @IntRange(min = 0, max = 9) int countShift,
      @ForAll @IntRange(min = 0, max = 1_000) int which,
      @ForAll long seed) {
    int pieceLength = BLOCK << pieceShift;
    File file = File.random(length, pieceLength, seed);
    FileMerkleTree tree = file.tree();
    int base = tree.pieceHeight();
    int count = 1 << countShift;
    if (length <= pieceLength || base >= tree.height() || count > 1 << (tree.height() - base)) {
      return;
    }
    int chunks = (1 << (tree.height() - base)) / count;
    int index = (which % chunks) * count;
    int proof = tree.height() - base - 1;
    byte[] answer = tree.hashes(base, index, count, proof).orElseThrow();
    byte[] proven =
        FileMerkleTree.verify(file.root(), length, pieceLength, base, index, count, proof, answer)
            .orElseThrow();
    byte[] expected = new byte[count * 32];
    int pieces = file.layer().length / 32;
    byte[] pad = MerkleTree.padHash(base, MerkleTree.sha256());
    for (int i = 0; i < count; i++) {
      if (index + i < pieces) {
        System.arraycopy(file.layer(), (index + i) * 32, expected, i * 32, 32);
      } else {
        System.arraycopy(pad, 0, expected, i * 32, 32);
      }
    }
    assertThat(proven).isEqualTo(expected);

    answer[new Random(seed).nextInt(answer.length)] ^= 1;
    assertThat(
            FileMerkleTree.verify(
                file.root(), length, pieceLength, base, index, count, proof, answer))
        .isEmpty();
  }

  @Property(tries = 300)
  void leafRangesNeedTheLeavesOfTheirPiecesAndThenProveOut(
      @ForAll @LongRange(min = 1, max = 3_000_000) long length,
      @ForAll @IntRange(min = 1, max = 3) int pieceShift,
      @ForAll @IntRange(min = 0, max = 4) int countShift,
      @ForAll @IntRange(min = 0, max = 1_000) int which,
      @ForAll long seed) {
    int pieceLength = BLOCK << pieceShift;
    File file = File.random(length, pieceLength, seed);
    FileMerkleTree tree =
        length > pieceLength
            ? file.tree()
            : FileMerkleTree.of(file.root(), length, pieceLength, Optional.empty());
    int count = 1 << countShift;
    if (tree.height() == 0 || count > 1 << tree.height()) {
      return;
    }
    int index = (which % ((1 << tree.height()) / count)) * count;
    int proof = tree.height() - 1;
    Optional<int[]> needed =
        FileMerkleTree.piecesNeeded(length, pieceLength, 0, index, count, proof);
    if (needed.isPresent()) {
      assertThat(tree.hashes(0, index, count, proof)).isEmpty();
      for (int p = needed.get()[0]; p <= needed.get()[1]; p++) {
        tree = tree.withLeaves(p, file.piecesLeaves(p));
      }
    }
    byte[] answer = tree.hashes(0, index, count, proof).orElseThrow();
    byte[] proven =
        FileMerkleTree.verify(file.root(), length, pieceLength, 0, index, count, proof, answer)
            .orElseThrow();
    int blocks = file.leaves().length / 32;
    for (int i = 0; i < count; i++) {
      byte[] leaf = Arrays.copyOfRange(proven, i * 32, i * 32 + 32);
      if (index + i < blocks) {
        assertThat(leaf)
            .isEqualTo(Arrays.copyOfRange(file.leaves(), (index + i) * 32, (index + i) * 32 + 32));
      } else {
        assertThat(leaf).isEqualTo(new byte[32]);
      }
    }
  }

  @Test
  void aLayerThatDoesNotHashToTheRootIsRefused() {
    File file = File.random(10 * 32 * 1024L, 32 * 1024, 3);
    byte[] wrong = file.layer().clone();
    wrong[5] ^= 1;
    assertThatThrownBy(
            () -> FileMerkleTree.of(file.root(), file.length(), 32 * 1024, Optional.of(wrong)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> FileMerkleTree.of(file.root(), file.length(), 32 * 1024, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rangesOutsideTheTreeOrWithProofPastTheRootAreInvalid() {
    // 10 pieces of 2 blocks: 32 leaves, the piece layer (base 1) 16 wide, the root at base 5
    long length = 10 * 32 * 1024L;
    int piece = 32 * 1024;
    assertThat(FileMerkleTree.isValidRange(length, piece, 1, 0, 16, 3)).isTrue();
    assertThat(FileMerkleTree.isValidRange(length, piece, 1, 0, 1, 0)).as("as libtorrent").isTrue();
    assertThat(FileMerkleTree.isValidRange(length, piece, 1, 0, 32, 0)).isFalse();
    assertThat(FileMerkleTree.isValidRange(length, piece, 1, 8, 16, 0)).isFalse();
    assertThat(FileMerkleTree.isValidRange(length, piece, 1, 4, 8, 0)).isFalse();
    assertThat(FileMerkleTree.isValidRange(length, piece, 1, 0, 3, 0)).isFalse();
    assertThat(FileMerkleTree.isValidRange(length, piece, 1, 0, 2, 4)).isFalse();
    assertThat(FileMerkleTree.isValidRange(length, piece, 5, 0, 2, 0)).isFalse();
    assertThat(FileMerkleTree.isValidRange(length, piece, -1, 0, 2, 0)).isFalse();
    assertThat(FileMerkleTree.isValidRange(0, piece, 0, 0, 2, 0)).isFalse();
  }

  @Test
  void aShortProofCannotBeCheckedAgainstTheRoot() {
    File file = File.random(100 * 16 * 1024L, 16 * 1024, 5);
    FileMerkleTree tree = file.tree();
    byte[] answer = tree.hashes(0, 0, 4, 1).orElseThrow();
    assertThat(FileMerkleTree.verify(file.root(), file.length(), 16 * 1024, 0, 0, 4, 1, answer))
        .isEmpty();
  }
}
