package dev.bitwright.session.internal.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PieceBuffersTest {
  private static final int MIB = 1 << 20;

  @Test
  void buffersAreDirectAndExactlyThePieceLong() {
    ByteBuffer b = new PieceBuffers(4 * MIB).take(MIB + 5);
    assertThat(b.isDirect()).isTrue();
    assertThat(b.capacity()).isEqualTo(MIB + 5);
    assertThat(b.position()).isZero();
    assertThat(b.limit()).isEqualTo(MIB + 5);
  }

  @Test
  void theBudgetBoundsBuffersInUseAndAReturnedOneIsReusedCleared() {
    PieceBuffers buffers = new PieceBuffers(2 * MIB);
    ByteBuffer first = buffers.take(MIB);
    ByteBuffer second = buffers.take(MIB);
    assertThat(buffers.take(MIB)).as("budget spent").isNull();
    first.position(100);
    buffers.give(first);
    ByteBuffer again = buffers.take(MIB);
    assertThat(again).isSameAs(first);
    assertThat(again.position()).isZero();
    assertThat(second).isNotSameAs(first);
    assertThat(buffers.allocated()).isEqualTo(2 * MIB);
  }

  @Test
  void idleBuffersOfAnotherLengthMakeRoom() {
    PieceBuffers buffers = new PieceBuffers(2 * MIB);
    buffers.give(buffers.take(MIB));
    buffers.give(buffers.take(MIB - 1));
    ByteBuffer big = buffers.take(2 * MIB);
    assertThat(big).isNotNull();
    assertThat(buffers.allocated()).isEqualTo(2 * MIB);
  }

  @Test
  void piecesLongerThanTheLimitAreNotAssembled() {
    PieceBuffers buffers = new PieceBuffers(64L * MIB);
    assertThat(buffers.take(PieceBuffers.MAX_PIECE_LENGTH)).isNotNull();
    assertThat(buffers.take(PieceBuffers.MAX_PIECE_LENGTH + 1)).isNull();
  }
}
