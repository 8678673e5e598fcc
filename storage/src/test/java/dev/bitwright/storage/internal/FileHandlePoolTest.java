package dev.bitwright.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileHandlePoolTest {
  @TempDir Path dir;

  /** Every open, as "file:r" or "file:w", in order. */
  private final List<String> opens = new ArrayList<>();

  /** Files passed to beforeClose, in order, with whether the channel was still open then. */
  private final List<Integer> closed = new ArrayList<>();

  private final List<Boolean> openWhenClosing = new ArrayList<>();
  private final Map<Integer, List<FileChannel>> channels = new HashMap<>();
  private boolean failWritableOpens;
  private int failBeforeCloseOf = -1;

  @BeforeEach
  void setUp() throws IOException {
    for (int f = 0; f < 10; f++) {
      Files.write(dir.resolve("f" + f), new byte[] {(byte) f});
    }
  }

  private FileHandlePool pool(int maxOpen) {
    return new FileHandlePool(
        maxOpen,
        (file, writable) -> {
          if (writable && failWritableOpens) {
            throw new IOException("cannot open " + file + " for writing");
          }
          opens.add(file + (writable ? ":w" : ":r"));
          FileChannel channel =
              writable
                  ? FileChannel.open(
                      dir.resolve("f" + file), StandardOpenOption.READ, StandardOpenOption.WRITE)
                  : FileChannel.open(dir.resolve("f" + file), StandardOpenOption.READ);
          channels.computeIfAbsent(file, k -> new ArrayList<>()).add(channel);
          return channel;
        },
        (file, channel) -> {
          closed.add(file);
          openWhenClosing.add(channel.isOpen());
          if (file == failBeforeCloseOf) {
            throw new IOException("cannot force " + file);
          }
        });
  }

  private FileChannel use(FileHandlePool pool, int file) throws IOException {
    try (FileHandlePool.Lease lease = pool.acquire(file, false)) {
      return lease.channel();
    }
  }

  @Test
  void theNumberOfIdleChannelsStaysWithinTheBound() throws IOException {
    FileHandlePool pool = pool(3);
    for (int round = 0; round < 3; round++) {
      for (int f = 0; f < 10; f++) {
        use(pool, f);
        assertThat(pool.openCount()).isLessThanOrEqualTo(3);
      }
    }
    assertThat(pool.openCount()).isEqualTo(3);
  }

  @Test
  void theLeastRecentlyUsedChannelIsEvictedFirst() throws IOException {
    FileHandlePool pool = pool(3);
    FileChannel zero = use(pool, 0);
    FileChannel one = use(pool, 1);
    use(pool, 2);
    assertThat(use(pool, 0)).as("reused, not reopened").isSameAs(zero);
    use(pool, 3); // evicts 1, the least recently used
    assertThat(closed).containsExactly(1);
    assertThat(one.isOpen()).isFalse();
    assertThat(zero.isOpen()).isTrue();
    use(pool, 4); // then 2
    use(pool, 5); // then 0
    assertThat(closed).containsExactly(1, 2, 0);
    assertThat(opens).containsExactly("0:r", "1:r", "2:r", "3:r", "4:r", "5:r");
  }

  @Test
  void beforeCloseIsCalledWhileTheChannelIsStillOpen() throws IOException {
    FileHandlePool pool = pool(1);
    use(pool, 0);
    use(pool, 1);
    pool.closeAll();
    assertThat(closed).containsExactly(0, 1);
    assertThat(openWhenClosing).containsOnly(true);
    assertThat(channels.get(0).get(0).isOpen()).isFalse();
  }

  @Test
  void aLeasedChannelIsNotClosedUntilReleased() throws IOException {
    FileHandlePool pool = pool(1);
    FileHandlePool.Lease held = pool.acquire(0, false);
    for (int f = 1; f < 5; f++) {
      use(pool, f);
    }
    assertThat(held.channel().isOpen()).isTrue();
    assertThat(pool.openCount()).as("the bound is exceeded by the lease only").isEqualTo(2);
    pool.closeAll();
    assertThat(pool.openCount()).isZero();
    assertThat(held.channel().isOpen()).as("leased during closeAll").isTrue();
    ByteBuffer one = ByteBuffer.allocate(1);
    assertThat(held.channel().read(one, 0)).isEqualTo(1);
    assertThat(closed).doesNotContain(0);
    held.close();
    assertThat(held.channel().isOpen()).isFalse();
    assertThat(closed).endsWith(0);
  }

  @Test
  void aChannelLeasedTwiceIsClosedAfterTheLastRelease() throws IOException {
    FileHandlePool pool = pool(2);
    FileHandlePool.Lease first = pool.acquire(0, false);
    FileHandlePool.Lease second = pool.acquire(0, false);
    assertThat(second.channel()).isSameAs(first.channel());
    assertThat(opens).containsExactly("0:r");
    pool.closeAll();
    first.close();
    assertThat(first.channel().isOpen()).isTrue();
    second.close();
    assertThat(first.channel().isOpen()).isFalse();
    assertThat(closed).containsExactly(0);
  }

  @Test
  void aReadOnlyChannelIsReopenedWritableWhenWritingIsAsked() throws IOException {
    FileHandlePool pool = pool(4);
    FileChannel readOnly = use(pool, 0);
    assertThatThrownBy(() -> readOnly.write(ByteBuffer.wrap(new byte[] {1}), 0))
        .isInstanceOf(NonWritableChannelException.class);
    FileChannel writable;
    try (FileHandlePool.Lease lease = pool.acquire(0, true)) {
      writable = lease.channel();
      assertThat(writable.write(ByteBuffer.wrap(new byte[] {42}), 0)).isEqualTo(1);
    }
    assertThat(writable).isNotSameAs(readOnly);
    assertThat(readOnly.isOpen()).isFalse();
    assertThat(closed).containsExactly(0);
    assertThat(use(pool, 0)).as("a writable channel serves reads too").isSameAs(writable);
    assertThat(opens).containsExactly("0:r", "0:w");
    assertThat(pool.openCount()).isEqualTo(1);
    assertThat(dir.resolve("f0")).hasBinaryContent(new byte[] {42});
  }

  @Test
  void aLeasedReadOnlyChannelStaysOpenWhileItIsReplacedByAWritableOne() throws IOException {
    FileHandlePool pool = pool(4);
    FileHandlePool.Lease reading = pool.acquire(0, false);
    try (FileHandlePool.Lease writing = pool.acquire(0, true)) {
      assertThat(writing.channel()).isNotSameAs(reading.channel());
      assertThat(reading.channel().isOpen()).isTrue();
    }
    reading.close();
    assertThat(reading.channel().isOpen()).isFalse();
    assertThat(pool.openCount()).isEqualTo(1);
  }

  @Test
  void forEachOpenVisitsEveryOpenChannel() throws IOException {
    FileHandlePool pool = pool(3);
    for (int f = 0; f < 5; f++) {
      use(pool, f);
    }
    List<Integer> visited = new ArrayList<>();
    pool.forEachOpen((file, channel) -> visited.add(file));
    assertThat(visited).containsExactlyInAnyOrder(2, 3, 4);
    assertThat(pool.openCount()).isEqualTo(3);
  }

  @Test
  void closeAllClosesEverythingAndThePoolCanBeUsedAgain() throws IOException {
    FileHandlePool pool = pool(5);
    for (int f = 0; f < 5; f++) {
      use(pool, f);
    }
    pool.closeAll();
    assertThat(pool.openCount()).isZero();
    assertThat(closed).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
    channels.values().forEach(list -> list.forEach(c -> assertThat(c.isOpen()).isFalse()));
    use(pool, 0);
    assertThat(pool.openCount()).isEqualTo(1);
    pool.closeAll();
    pool.closeAll();
  }

  @Test
  void aFailingBeforeCloseStillClosesTheChannelAndReportsTheFailure() throws IOException {
    FileHandlePool pool = pool(5);
    use(pool, 0);
    use(pool, 1);
    failBeforeCloseOf = 0;
    assertThatThrownBy(pool::closeAll).isInstanceOf(IOException.class).hasMessageContaining("0");
    assertThat(channels.get(0).get(0).isOpen()).isFalse();
    assertThat(channels.get(1).get(0).isOpen()).isFalse();
  }

  @Test
  void aFailedReopenForWritingClosesTheReadOnlyChannel() throws IOException {
    FileHandlePool pool = pool(4);
    FileChannel readOnly = use(pool, 0);
    failWritableOpens = true;
    assertThatThrownBy(() -> pool.acquire(0, true)).isInstanceOf(IOException.class);
    assertThat(pool.openCount()).isZero();
    assertThat(readOnly.isOpen()).as("removed from the pool, so it must be closed").isFalse();
  }

  @Test
  void aFailingEvictionDoesNotLeakTheLeaseBeingAcquired() throws IOException {
    FileHandlePool pool = pool(1);
    use(pool, 0);
    failBeforeCloseOf = 0;
    assertThatThrownBy(() -> pool.acquire(1, false)).isInstanceOf(IOException.class);
    failBeforeCloseOf = -1;
    pool.closeAll();
    assertThat(channels.get(1)).hasSize(1);
    assertThat(channels.get(1).get(0).isOpen())
        .as("no lease was handed out, so closeAll must close it")
        .isFalse();
  }
}
