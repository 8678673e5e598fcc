package dev.bitwright.session.internal.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.session.internal.peer.Block;
import dev.bitwright.storage.PieceMap;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PiecePickerTest {
  private static final int BLOCK = Block.SIZE;

  /** A simulated peer: the blocks it has been asked for and not answered yet. */
  private static final class Peer implements PiecePicker.PeerRequests {
    final Set<Block> outstanding = new HashSet<>();

    @Override
    public boolean contains(Block block) {
      return outstanding.contains(block);
    }

    List<Block> pick(PiecePicker picker, BitSet has, int count) {
      List<Block> blocks = picker.pick(has, count, this, null);
      outstanding.addAll(blocks);
      return blocks;
    }
  }

  private static PiecePicker picker(PieceMap map) {
    return picker(map, new SplittableRandom(1));
  }

  private static PiecePicker picker(PieceMap map, RandomGenerator random) {
    return new PiecePicker(map, new BitSet(), random);
  }

  private static BitSet bits(int... indexes) {
    BitSet b = new BitSet();
    for (int i : indexes) {
      b.set(i);
    }
    return b;
  }

  private static void available(PiecePicker picker, int piece, int peers) {
    for (int i = 0; i < peers; i++) {
      picker.peerHas(piece);
    }
  }

  private static List<Integer> pieces(List<Block> blocks) {
    return blocks.stream().map(Block::piece).toList();
  }

  @Test
  void theRarestPieceIsStartedFirst() {
    PiecePicker picker = picker(TestMaps.blocks(4, 1));
    available(picker, 0, 3);
    available(picker, 1, 1);
    available(picker, 2, 2);
    available(picker, 3, 3);
    assertThat(picker.availability(1)).isEqualTo(1);
    assertThat(pieces(new Peer().pick(picker, null, 1))).containsExactly(1);
    assertThat(pieces(new Peer().pick(picker, null, 1))).containsExactly(2);
    assertThat(pieces(new Peer().pick(picker, null, 2))).containsExactlyInAnyOrder(0, 3);
    assertThat(new Peer().pick(picker, null, 1)).as("everything requested: endgame").hasSize(1);
  }

  @Test
  void aSuggestedPieceIsStartedBeforeRarerOnesButNotBeforeAHigherPriority() {
    PiecePicker picker = picker(TestMaps.blocks(4, 1));
    available(picker, 0, 1);
    available(picker, 1, 3);
    available(picker, 2, 3);
    available(picker, 3, 3);
    BitSet suggested = bits(2, 3);
    assertThat(pieces(picker.pick(null, 1, b -> false, null, suggested)))
        .as("a suggested piece, though piece 0 is rarer")
        .containsAnyOf(2, 3)
        .hasSize(1);
    picker.setPriority(1, 2);
    assertThat(pieces(picker.pick(null, 1, b -> false, null, suggested)))
        .as("high priority first")
        .containsExactly(1);

    PiecePicker inOrder = picker(TestMaps.blocks(4, 1));
    inOrder.setSequential(true);
    assertThat(pieces(inOrder.pick(null, 1, b -> false, null, bits(3)))).containsExactly(0);
  }

  @Test
  void onlyPiecesThePeerHasArePicked() {
    PiecePicker picker = picker(TestMaps.blocks(4, 1));
    available(picker, 1, 1);
    available(picker, 0, 5);
    available(picker, 3, 4);
    assertThat(pieces(new Peer().pick(picker, bits(0, 3), 1))).containsExactly(3);
    assertThat(pieces(new Peer().pick(picker, bits(0, 3), 5))).containsExactly(0);
  }

  @Test
  void tiesAreBrokenAtRandomAndEvenly() {
    PieceMap map = TestMaps.blocks(8, 1);
    RandomGenerator random = new SplittableRandom(42);
    int[] first = new int[8];
    int trials = 4000;
    for (int i = 0; i < trials; i++) {
      PiecePicker picker = picker(map, random);
      picker.peerHas(7); // not among the rarest: never first
      first[picker.pick(null, 1, b -> false, null).get(0).piece()]++;
    }
    assertThat(first[7]).isZero();
    for (int p = 0; p < 7; p++) {
      // expected 571 each, standard deviation about 22
      assertThat(first[p]).as("piece %d", p).isBetween(450, 700);
    }
  }

  @Test
  void partialPiecesAreFinishedBeforeNewOnesAreStarted() {
    PiecePicker picker = picker(TestMaps.blocks(3, 4));
    available(picker, 0, 1);
    available(picker, 1, 2);
    available(picker, 2, 3);
    Peer a = new Peer();
    assertThat(a.pick(picker, null, 2))
        .containsExactly(new Block(0, 0, BLOCK), new Block(0, BLOCK, BLOCK));
    available(picker, 0, 5); // now the most common piece: it is still finished first
    Peer b = new Peer();
    assertThat(b.pick(picker, null, 3))
        .as("the rest of piece 0, then the rarest new piece")
        .containsExactly(
            new Block(0, 2 * BLOCK, BLOCK), new Block(0, 3 * BLOCK, BLOCK), new Block(1, 0, BLOCK));
    assertThat(picker.isPartial(1)).isTrue();
    // A peer without the partial piece starts another one.
    assertThat(pieces(new Peer().pick(picker, bits(2), 1))).containsExactly(2);
  }

  @Test
  void priorityZeroIsNeverPickedAndTwoGoesBeforeOne() {
    PiecePicker picker = picker(TestMaps.blocks(4, 1));
    picker.setPriority(0, 0);
    picker.setPriority(3, 2);
    available(picker, 1, 3);
    available(picker, 2, 3);
    available(picker, 3, 9);
    assertThat(picker.isWanted(0)).isFalse();
    List<Block> picked = new Peer().pick(picker, null, 10);
    assertThat(pieces(picked)).hasSize(3).startsWith(3).doesNotContain(0);
    assertThat(new Peer().pick(picker, null, 10)).doesNotContain(new Block(0, 0, BLOCK));
    for (int p = 1; p < 4; p++) {
      picker.received(new Block(p, 0, BLOCK));
      picker.pieceVerified(p);
    }
    assertThat(picker.isComplete()).as("piece 0 is not wanted").isTrue();
    picker.setPriority(0, 1);
    assertThat(picker.isComplete()).isFalse();
  }

  @Test
  void sequentialModePicksTheLowestMissingIndex() {
    PiecePicker picker =
        new PiecePicker(TestMaps.blocks(6, 2), bits(0, 2), new SplittableRandom(1));
    picker.setSequential(true);
    available(picker, 5, 1);
    for (int p = 0; p < 5; p++) {
      available(picker, p, 4);
    }
    assertThat(new Peer().pick(picker, null, 4))
        .containsExactly(
            new Block(1, 0, BLOCK),
            new Block(1, BLOCK, BLOCK),
            new Block(3, 0, BLOCK),
            new Block(3, BLOCK, BLOCK));
    assertThat(pieces(new Peer().pick(picker, bits(4, 5), 1))).containsExactly(4);
    picker.setSequential(false);
    assertThat(pieces(new Peer().pick(picker, null, 1))).as("partial first").containsExactly(4);
    assertThat(pieces(new Peer().pick(picker, null, 1))).as("rarest").containsExactly(5);
  }

  @Test
  void deadlinesGoFirstEarliestFirst() {
    PiecePicker picker = new PiecePicker(TestMaps.blocks(8, 1), bits(1), new SplittableRandom(1));
    available(picker, 0, 1);
    for (int p = 2; p < 8; p++) {
      available(picker, p, 3);
    }
    picker.setDeadline(6, 2_000);
    picker.setDeadline(4, 1_000);
    picker.setDeadline(5, 3_000);
    picker.setDeadline(1, 500); // we have it: ignored
    assertThat(pieces(new Peer().pick(picker, null, 2))).containsExactly(4, 6);
    assertThat(pieces(new Peer().pick(picker, bits(0, 7), 1))).as("rarest").containsExactly(0);
    assertThat(pieces(new Peer().pick(picker, null, 2)))
        .as("the last deadline, then a new piece")
        .hasSize(2)
        .startsWith(5)
        .doesNotContain(0, 1, 4, 6);
  }

  @Test
  void deadlinesApplyInSequentialModeToo() {
    PiecePicker picker = picker(TestMaps.blocks(8, 1));
    picker.setSequential(true);
    picker.setDeadline(7, 10);
    assertThat(pieces(new Peer().pick(picker, null, 3))).containsExactly(7, 0, 1);
  }

  @Test
  void endgameHandsOutDuplicatesUpToTheLimitAndTheFirstCopyWins() {
    PiecePicker picker = picker(TestMaps.blocks(2, 2));
    Peer a = new Peer();
    List<Block> all = a.pick(picker, null, 10);
    assertThat(all).hasSize(4).doesNotHaveDuplicates();
    assertThat(a.pick(picker, null, 10)).as("never twice to the same peer").isEmpty();
    Peer b = new Peer();
    Peer c = new Peer();
    assertThat(b.pick(picker, null, 10)).containsExactlyInAnyOrderElementsOf(all);
    assertThat(c.pick(picker, null, 10)).containsExactlyInAnyOrderElementsOf(all);
    assertThat(PiecePicker.ENDGAME_COPIES).isEqualTo(3);
    Peer d = new Peer();
    assertThat(d.pick(picker, null, 10)).as("three copies requested already").isEmpty();

    Block first = all.get(0);
    assertThat(picker.received(first)).isTrue();
    assertThat(picker.received(first)).as("a duplicate").isFalse();
    picker.requestDropped(first); // the other copies are cancelled
    picker.requestDropped(first);
    assertThat(d.pick(picker, null, 10)).as("a received block is never asked for again").isEmpty();

    Block second = all.get(1);
    picker.requestDropped(second); // c rejected it
    c.outstanding.remove(second);
    assertThat(d.pick(picker, null, 10)).containsExactly(second);
  }

  @Test
  void onePickNeverHoldsTheSameBlockTwice() {
    // The normal pass takes the last free blocks, then endgame must not add them again as
    // duplicates for the same peer (they are not in its requests yet).
    PiecePicker picker = picker(TestMaps.blocks(2, 2));
    assertThat(new Peer().pick(picker, null, 10)).hasSize(4).doesNotHaveDuplicates();
    Peer late = new Peer();
    assertThat(late.pick(picker, null, 10)).hasSize(4).doesNotHaveDuplicates();
  }

  @Test
  void endgameStartsOnlyWhenEveryMissingBlockIsRequested() {
    PiecePicker picker = picker(TestMaps.blocks(2, 2));
    Peer a = new Peer();
    assertThat(a.pick(picker, null, 3)).hasSize(3);
    Peer b = new Peer();
    Block last = b.pick(picker, null, 1).get(0);
    assertThat(a.outstanding).doesNotContain(last);
    assertThat(b.pick(picker, null, 1)).as("now endgame").hasSize(1).doesNotContain(last);
  }

  @Test
  void endgameIgnoresUnwantedPieces() {
    PiecePicker picker = picker(TestMaps.blocks(2, 1));
    picker.setPriority(1, 0);
    Peer a = new Peer();
    assertThat(a.pick(picker, null, 5)).containsExactly(new Block(0, 0, BLOCK));
    assertThat(new Peer().pick(picker, null, 5)).containsExactly(new Block(0, 0, BLOCK));
  }

  @Test
  void aDroppedRequestMakesTheBlockPickableAgainEvenBelowTheCursor() {
    PiecePicker picker = picker(TestMaps.blocks(2, 4));
    BitSet onlyFirst = bits(0);
    Peer a = new Peer();
    assertThat(a.pick(picker, onlyFirst, 4)).hasSize(4);
    picker.requestDropped(new Block(0, 2 * BLOCK, BLOCK));
    picker.requestDropped(new Block(0, 0, BLOCK));
    Peer b = new Peer();
    assertThat(b.pick(picker, onlyFirst, 4))
        .containsExactly(new Block(0, 0, BLOCK), new Block(0, 2 * BLOCK, BLOCK));
    Peer c = new Peer();
    assertThat(c.pick(picker, onlyFirst, 4)).as("piece 1 is not started: no endgame").isEmpty();
    picker.requestDropped(new Block(0, 3 * BLOCK, BLOCK));
    assertThat(c.pick(picker, onlyFirst, 4)).containsExactly(new Block(0, 3 * BLOCK, BLOCK));
    // A block that arrived stays done even if a (late) drop for it comes.
    assertThat(picker.received(new Block(0, BLOCK, BLOCK))).isTrue();
    picker.requestDropped(new Block(0, BLOCK, BLOCK));
    assertThat(c.pick(picker, onlyFirst, 4)).isEmpty();
    // Extra drops do not take the count below zero: one new request takes the block again.
    picker.requestDropped(new Block(0, 3 * BLOCK, BLOCK));
    picker.requestDropped(new Block(0, 3 * BLOCK, BLOCK));
    assertThat(new Peer().pick(picker, onlyFirst, 4))
        .containsExactly(new Block(0, 3 * BLOCK, BLOCK));
    assertThat(new Peer().pick(picker, onlyFirst, 4)).isEmpty();
  }

  @Test
  void dropsOfUnknownPiecesAreIgnored() {
    PiecePicker picker = picker(TestMaps.blocks(2, 1));
    picker.requestDropped(new Block(1, 0, BLOCK));
    assertThat(picker.received(new Block(1, 0, BLOCK))).as("never requested").isFalse();
    assertThat(pieces(new Peer().pick(picker, bits(1), 1))).containsExactly(1);
  }

  @Test
  void piecesCompleteVerifyAndFail() {
    PieceMap map = TestMaps.map(2 * BLOCK, 3 * BLOCK + 100); // last piece: one short block
    PiecePicker picker = picker(map);
    assertThat(map.pieceCount()).isEqualTo(2);
    List<Block> blocks = new Peer().pick(picker, null, 10);
    assertThat(blocks)
        .containsExactlyInAnyOrder(
            new Block(0, 0, BLOCK),
            new Block(0, BLOCK, BLOCK),
            new Block(1, 0, BLOCK),
            new Block(1, BLOCK, 100));
    for (Block b : blocks) {
      if (b.piece() == 0) {
        assertThat(picker.received(b)).isTrue();
      }
    }
    assertThat(picker.allBlocksReceived(0)).isTrue();
    assertThat(picker.allBlocksReceived(1)).isFalse();
    picker.pieceFailed(0);
    assertThat(picker.isPartial(0)).isFalse();
    assertThat(picker.have(0)).isFalse();
    assertThat(picker.allBlocksReceived(0)).isFalse();
    List<Block> again = new Peer().pick(picker, bits(0), 10);
    assertThat(again).containsExactly(new Block(0, 0, BLOCK), new Block(0, BLOCK, BLOCK));
    again.forEach(b -> assertThat(picker.received(b)).isTrue());
    picker.pieceVerified(0);
    assertThat(picker.have(0)).isTrue();
    assertThat(picker.isPartial(0)).isFalse();
    assertThat(picker.received(new Block(0, 0, BLOCK))).as("a piece we have").isFalse();
    assertThat(picker.isComplete()).isFalse();
    assertThat(picker.received(new Block(1, 0, BLOCK))).isTrue();
    assertThat(picker.received(new Block(1, BLOCK, 100))).isTrue();
    assertThat(picker.allBlocksReceived(1)).isTrue();
    picker.pieceVerified(1);
    assertThat(picker.isComplete()).isTrue();
    assertThat(picker.haveSet()).isEqualTo(bits(0, 1));
    assertThat(new Peer().pick(picker, null, 10)).isEmpty();
  }

  @Test
  void availabilityCountsPeersAndSeeds() {
    PiecePicker picker = picker(TestMaps.blocks(3, 1));
    picker.peerHas(1);
    picker.peerHas(1);
    picker.seedJoined();
    assertThat(picker.availability(1)).isEqualTo(3);
    assertThat(picker.availability(0)).isEqualTo(1);
    picker.peerGone(bits(1));
    picker.seedLeft();
    assertThat(picker.availability(1)).isEqualTo(1);
    assertThat(picker.availability(0)).isZero();
  }

  @Test
  void resetForgetsPartialPieces() {
    PiecePicker picker = picker(TestMaps.blocks(3, 2));
    new Peer().pick(picker, null, 3);
    picker.reset(bits(2));
    assertThat(picker.isPartial(0)).isFalse();
    assertThat(picker.haveSet()).isEqualTo(bits(2));
    assertThat(new Peer().pick(picker, null, 10)).hasSize(4);
  }

  @Test
  void aRunOfBlocksForAWebSeedFollowsTheByteStreamAcrossPieces() {
    PieceMap map = TestMaps.map(2 * BLOCK, 20 * BLOCK); // 10 pieces of 2 blocks
    PiecePicker picker = picker(map);
    List<Block> run = picker.pickRun(null, 6, block -> true, null);
    assertThat(run).hasSize(6);
    for (int i = 1; i < run.size(); i++) {
      Block before = run.get(i - 1);
      long end = (long) before.piece() * map.pieceLength() + before.offset() + before.length();
      Block b = run.get(i);
      assertThat((long) b.piece() * map.pieceLength() + b.offset()).isEqualTo(end);
    }
  }

  @Test
  void aRunTakesTheHolesOfPartialPiecesOnlyWhenNoNewPieceIsLeft() {
    PieceMap map = TestMaps.map(4 * BLOCK, 12 * BLOCK); // 3 pieces of 4 blocks
    PiecePicker picker = picker(map);
    Peer peer = new Peer();
    List<Block> first = peer.pick(picker, bits(0), 1);
    assertThat(pieces(first)).containsExactly(0);
    List<Block> run = picker.pickRun(null, 8, block -> true, null);
    assertThat(pieces(run)).as("the two new pieces, not piece 0's holes").containsOnly(1, 2);
    List<Block> rest = picker.pickRun(null, 8, block -> true, null);
    assertThat(pieces(rest)).as("then the holes").containsExactly(0, 0, 0);
  }

  @Test
  void aRunStopsAtAPieceOfAnotherPriority() {
    PieceMap map = TestMaps.map(BLOCK, 4 * BLOCK);
    PiecePicker picker = picker(map);
    picker.setPriority(1, 7);
    picker.setPriority(3, 7);
    assertThat(pieces(picker.pickRun(null, 2, block -> true, null)))
        .as("piece 2, after piece 1, is of a lower priority than piece 3")
        .containsExactlyInAnyOrder(1, 3);
  }
}
