package dev.bitwright.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class InMemoryStorageTest {
  private static final int CHUNK = 64 * 1024;
  private final InMemoryStorage storage = new InMemoryStorage();

  private byte[] read(int file, long position, int length) {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    int n = storage.read(file, position, buffer);
    assertThat(buffer.position()).isEqualTo(n);
    return Arrays.copyOf(buffer.array(), n);
  }

  @Test
  void writesAcrossChunkBoundariesReadBack() {
    Random random = new Random(1);
    byte[] data = Fixtures.random(random, 3 * CHUNK + 123);
    long position = CHUNK - 100;
    ByteBuffer source = ByteBuffer.wrap(data);
    storage.write(0, position, source);
    assertThat(source.hasRemaining()).isFalse();
    assertThat(read(0, position, data.length)).isEqualTo(data);
    // Unaligned sub-ranges straddling each boundary.
    for (long boundary = CHUNK; boundary < position + data.length; boundary += CHUNK) {
      int from = (int) (boundary - position - 7);
      assertThat(read(0, boundary - 7, 14)).isEqualTo(Arrays.copyOfRange(data, from, from + 14));
    }
  }

  @Test
  void overwritesReplaceOnlyTheirRange() {
    storage.write(0, 0, ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}));
    storage.write(0, 2, ByteBuffer.wrap(new byte[] {9, 9}));
    assertThat(read(0, 0, 5)).containsExactly(1, 2, 9, 9, 5);
  }

  @Test
  void holesReadAsZerosAndReadsStopAtTheEnd() {
    storage.write(3, 2 * CHUNK + 10, ByteBuffer.wrap(new byte[] {7, 8}));
    byte[] all = read(3, 0, 4 * CHUNK);
    assertThat(all).hasSize(2 * CHUNK + 12);
    for (int i = 0; i < 2 * CHUNK + 10; i++) {
      assertThat(all[i]).isZero();
    }
    assertThat(all[2 * CHUNK + 10]).isEqualTo((byte) 7);
    assertThat(read(3, 2 * CHUNK + 11, 100)).containsExactly(8);
    assertThat(read(3, 2 * CHUNK + 12, 100)).isEmpty();
    assertThat(read(3, 10 * CHUNK, 100)).isEmpty();
    assertThat(read(4, 0, 100)).as("a file never written").isEmpty();
  }

  @Test
  void readingIntoAFullBufferReadsNothing() {
    storage.write(0, 0, ByteBuffer.wrap(new byte[] {1}));
    assertThat(storage.read(0, 0, ByteBuffer.allocate(0))).isZero();
  }

  @Test
  void stateGrowsWithWrites() {
    assertThat(storage.state(0)).isEmpty();
    storage.write(0, 10, ByteBuffer.wrap(new byte[5]));
    FileState first = storage.state(0).orElseThrow();
    assertThat(first.size()).isEqualTo(15);
    storage.write(0, 0, ByteBuffer.wrap(new byte[5]));
    FileState second = storage.state(0).orElseThrow();
    assertThat(second.size()).as("a write inside does not grow the file").isEqualTo(15);
    assertThat(second.modified()).isGreaterThan(first.modified());
    storage.write(1, 0, ByteBuffer.wrap(new byte[1]));
    storage.write(0, 100, ByteBuffer.wrap(new byte[1]));
    FileState third = storage.state(0).orElseThrow();
    assertThat(third.size()).isEqualTo(101);
    assertThat(third.modified()).isGreaterThan(second.modified());
    assertThat(storage.state(1)).contains(new FileState(1, third.modified() - 1));
  }

  @Test
  void deleteForgetsEveryFile() {
    storage.write(0, 0, ByteBuffer.wrap(new byte[] {1}));
    storage.write(5, 0, ByteBuffer.wrap(new byte[] {1}));
    storage.delete();
    assertThat(storage.state(0)).isEmpty();
    assertThat(storage.state(5)).isEmpty();
    assertThat(read(0, 0, 1)).isEmpty();
    storage.write(0, 1, ByteBuffer.wrap(new byte[] {2}));
    assertThat(read(0, 0, 5)).containsExactly(0, 2);
  }

  @Test
  void negativePositionsAreRejected() {
    assertThatThrownBy(() -> storage.write(0, -1, ByteBuffer.allocate(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> storage.read(0, -1, ByteBuffer.allocate(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aClosedStorageThrows() {
    storage.write(0, 0, ByteBuffer.wrap(new byte[] {1}));
    storage.close();
    assertThatThrownBy(() -> storage.read(0, 0, ByteBuffer.allocate(1)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> storage.write(0, 0, ByteBuffer.allocate(1)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> storage.state(0)).isInstanceOf(IllegalStateException.class);
    storage.flush();
  }

  @Test
  void defaultTransferToCopiesTheBytesThroughAChannel() throws Exception {
    byte[] data = Fixtures.random(new Random(2), 200_000);
    storage.write(1, 0, ByteBuffer.wrap(data));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long n = storage.transferTo(1, 1000, 150_000, Channels.newChannel(out));
    assertThat(n).isEqualTo(150_000);
    assertThat(out.toByteArray()).isEqualTo(Arrays.copyOfRange(data, 1000, 151_000));
    out.reset();
    assertThat(storage.transferTo(1, 190_000, 50_000, Channels.newChannel(out)))
        .as("stops where the file ends")
        .isEqualTo(10_000);
    assertThat(storage.transferTo(2, 0, 10, Channels.newChannel(out))).isZero();
    assertThat(storage.transferTo(1, 0, 0, Channels.newChannel(out))).isZero();
  }

  @Test
  void concurrentWritersOfDisjointRangesReadBackExactly() throws Exception {
    int threads = 4;
    int blocks = 64;
    int block = 10_000; // not a divisor of the chunk size: ranges share chunks
    byte[] expected = new byte[threads * blocks * block];
    new Random(3).nextBytes(expected);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  // Interleaved: thread t writes blocks t, t + threads, ...
                  for (int b = thread; b < threads * blocks; b += threads) {
                    storage.write(0, (long) b * block, ByteBuffer.wrap(expected, b * block, block));
                    storage.write(1 + thread, b, ByteBuffer.wrap(new byte[] {(byte) b}));
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(read(0, 0, expected.length)).isEqualTo(expected);
    assertThat(storage.state(0).orElseThrow().size()).isEqualTo(expected.length);
    for (int t = 0; t < threads; t++) {
      byte[] own = read(1 + t, 0, threads * blocks);
      for (int b = t; b < threads * blocks; b += threads) {
        assertThat(own[b]).isEqualTo((byte) b);
      }
    }
  }
}
