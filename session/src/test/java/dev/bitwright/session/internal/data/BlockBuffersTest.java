package dev.bitwright.session.internal.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.session.internal.peer.Block;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class BlockBuffersTest {
  @Test
  void buffersAreDirectBlockSizedAndLimitedToTheLength() {
    BlockBuffers buffers = new BlockBuffers();
    ByteBuffer b = buffers.take(100);
    assertThat(b.isDirect()).isTrue();
    assertThat(b.capacity()).isEqualTo(Block.SIZE);
    assertThat(b.position()).isZero();
    assertThat(b.limit()).isEqualTo(100);
  }

  @Test
  void aReturnedBufferIsReusedCleared() {
    BlockBuffers buffers = new BlockBuffers();
    ByteBuffer b = buffers.take(Block.SIZE);
    b.put(new byte[500]);
    buffers.give(b);
    ByteBuffer again = buffers.take(1000);
    assertThat(again).isSameAs(b);
    assertThat(again.position()).isZero();
    assertThat(again.limit()).isEqualTo(1000);
    assertThat(buffers.take(Block.SIZE)).as("the pool is empty again").isNotSameAs(b);
  }

  @Test
  void oddBuffersAreNotPooled() {
    BlockBuffers buffers = new BlockBuffers();
    ByteBuffer large = buffers.take(Block.SIZE + 1);
    assertThat(large.remaining()).isEqualTo(Block.SIZE + 1);
    buffers.give(large);
    buffers.give(ByteBuffer.allocate(Block.SIZE));
    buffers.give(ByteBuffer.allocateDirect(Block.SIZE / 2));
    ByteBuffer next = buffers.take(10);
    assertThat(next).isNotSameAs(large);
    assertThat(next.isDirect()).isTrue();
    assertThat(next.capacity()).isEqualTo(Block.SIZE);
  }

  @Test
  void atMostMaxPooledIdleBuffersAreKept() {
    BlockBuffers buffers = new BlockBuffers();
    int n = BlockBuffers.MAX_POOLED + 16;
    List<ByteBuffer> taken = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      taken.add(buffers.take(Block.SIZE));
    }
    Set<ByteBuffer> ours = Collections.newSetFromMap(new IdentityHashMap<>());
    ours.addAll(taken);
    assertThat(ours).hasSize(n);
    taken.forEach(buffers::give);
    int reused = 0;
    for (int i = 0; i < n; i++) {
      if (ours.contains(buffers.take(Block.SIZE))) {
        reused++;
      }
    }
    assertThat(reused).isEqualTo(BlockBuffers.MAX_POOLED);
  }
}
