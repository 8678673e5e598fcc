package dev.bitwright.session.internal.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.session.internal.peer.Block;
import java.net.InetAddress;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PieceBlameTest {
  private static final InetAddress HONEST = address(1);
  private static final InetAddress LIAR = address(2);
  private static final InetAddress OTHER = address(3);

  private static InetAddress address(int last) {
    try {
      return InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) last});
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private final PieceBlame<InetAddress> blame = new PieceBlame<>();

  @Test
  void aPieceOnePeerSentAloneConvictsItAtOnce() {
    blame.received(4, 0, LIAR);
    blame.received(4, Block.SIZE, LIAR);
    assertThat(blame.pieceFailed(4, Map.of(), a -> false)).containsExactly(LIAR);
  }

  @Test
  void whenAFailedPiecePassesOnlyTheSendersOfDifferentBlocksAreConvicted() {
    blame.received(7, 0, HONEST);
    blame.received(7, Block.SIZE, LIAR);
    assertThat(blame.pieceFailed(7, Map.of(0, 111, Block.SIZE, 222), a -> false)).isEmpty();
    assertThat(blame.failedBefore(7)).isTrue();

    blame.received(7, 0, OTHER);
    blame.received(7, Block.SIZE, OTHER);
    assertThat(blame.piecePassed(7, Map.of(0, 111, Block.SIZE, 999))).containsExactly(LIAR);
    assertThat(blame.failedBefore(7)).isFalse();
  }

  @Test
  void aPeerWhosePiecesAllFailRunsOutOfTrustAndAnHonestOneDoesNot() {
    for (int piece = 0; piece < 4; piece++) {
      blame.received(piece, 0, HONEST);
      blame.received(piece, Block.SIZE, LIAR);
      Set<InetAddress> convicted = blame.pieceFailed(piece, Map.of(), a -> false);
      // the honest peer also sends good pieces of its own in between
      blame.received(100 + piece, 0, HONEST);
      blame.piecePassed(100 + piece, Map.of());
      if (piece < 3) {
        assertThat(convicted).isEmpty();
      } else {
        assertThat(convicted).containsExactly(LIAR);
      }
    }
  }

  @Test
  void sendersRunningOutOfTrustTogetherAreLeftToTheChecksums() {
    for (int piece = 0; piece < 4; piece++) {
      blame.received(piece, 0, HONEST);
      blame.received(piece, Block.SIZE, LIAR);
      assertThat(blame.pieceFailed(piece, Map.of(0, 1, Block.SIZE, 2), a -> false)).isEmpty();
    }
    blame.received(3, 0, OTHER);
    blame.received(3, Block.SIZE, OTHER);
    assertThat(blame.piecePassed(3, Map.of(0, 1, Block.SIZE, 9))).containsExactly(LIAR);
  }

  @Test
  void everySenderOfBadBlocksAcrossFailuresOfAPieceIsFound() {
    blame.received(5, 0, LIAR);
    blame.received(5, Block.SIZE, HONEST);
    blame.pieceFailed(5, Map.of(0, 10, Block.SIZE, 20), a -> false);
    blame.received(5, 0, HONEST);
    blame.received(5, Block.SIZE, OTHER);
    blame.pieceFailed(5, Map.of(0, 11, Block.SIZE, 21), a -> false);
    blame.received(5, 0, HONEST);
    blame.received(5, Block.SIZE, HONEST);
    assertThat(blame.piecePassed(5, Map.of(0, 11, Block.SIZE, 20)))
        .containsExactlyInAnyOrder(LIAR, OTHER);
  }

  @Test
  void aBannedSenderExplainsTheFailureAlone() {
    for (int piece = 0; piece < 10; piece++) {
      blame.received(piece, 0, HONEST);
      blame.received(piece, Block.SIZE, LIAR);
      assertThat(blame.pieceFailed(piece, Map.of(), LIAR::equals)).isEmpty();
    }
  }

  @Test
  void failedPiecesAreRememberedUpToTheCap() {
    for (int piece = 0; piece < PieceBlame.MAX_FAILED_PIECES + 10; piece++) {
      blame.received(piece, 0, HONEST);
      blame.received(piece, Block.SIZE, OTHER);
      blame.pieceFailed(piece, Map.of(0, 1), a -> true);
    }
    assertThat(blame.failedBefore(0)).isFalse();
    assertThat(blame.failedBefore(PieceBlame.MAX_FAILED_PIECES + 9)).isTrue();
  }

  @Test
  void blocksFarIntoALargePieceAreTracked() {
    // 100 blocks (1.6 MB): past the first array of senders, the last block received first.
    blame.received(9, 99 * Block.SIZE, LIAR);
    for (int b = 0; b < 99; b++) {
      blame.received(9, b * Block.SIZE, HONEST);
    }
    assertThat(blame.pieceFailed(9, Map.of(0, 1, 99 * Block.SIZE, 2), a -> false)).isEmpty();
    blame.received(9, 0, OTHER);
    blame.received(9, 99 * Block.SIZE, OTHER);
    assertThat(blame.piecePassed(9, Map.of(0, 1, 99 * Block.SIZE, 3))).containsExactly(LIAR);
  }
}
