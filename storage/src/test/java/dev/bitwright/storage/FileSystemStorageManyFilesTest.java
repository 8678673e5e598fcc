package dev.bitwright.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.storage.Fixtures.Spec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Torrents of very many files: the number of open files stays bounded. */
class FileSystemStorageManyFilesTest {
  @TempDir Path dir;

  /** {@code count} one-byte files in folders of 1000. */
  private static Torrent tinyFiles(int count) throws IOException {
    List<Spec> files = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      files.add(Spec.file(1, "d" + i / 1000, Fixtures.name(i)));
    }
    return Fixtures.v1("many", 16 * 1024, files, new Random(count));
  }

  @Test
  void tenThousandFilesWithEightOpenAtMost() throws IOException {
    Torrent torrent = tinyFiles(10_000);
    try (FileSystemStorage storage =
        FileSystemStorage.builder(dir, torrent).maxOpenFiles(8).build()) {
      for (int f = 0; f < 10_000; f++) {
        storage.write(f, 0, ByteBuffer.wrap(new byte[] {(byte) f}));
        assertThat(storage.openFileCount()).isLessThanOrEqualTo(8);
      }
      storage.flush();
      ByteBuffer one = ByteBuffer.allocate(1);
      for (int f = 9_999; f >= 0; f--) {
        one.clear();
        assertThat(storage.read(f, 0, one)).isEqualTo(1);
        assertThat(one.get(0)).as("file %s", f).isEqualTo((byte) f);
        assertThat(storage.openFileCount()).isLessThanOrEqualTo(8);
      }
      assertThat(storage.path(1234)).hasBinaryContent(new byte[] {(byte) 1234});
    }
  }

  @Test
  void writingThroughThePieceStoreKeepsTheBoundToo() throws IOException {
    Torrent torrent = tinyFiles(3_000);
    try (FileSystemStorage storage =
            FileSystemStorage.builder(dir, torrent).maxOpenFiles(8).build();
        PieceStore store = new PieceStore(torrent, storage)) {
      // One block spans 3000 files.
      byte[] data = Fixtures.random(new Random(5), 3_000);
      store.writeBlock(0, 0, ByteBuffer.wrap(data));
      assertThat(storage.openFileCount()).isLessThanOrEqualTo(8);
      ByteBuffer back = ByteBuffer.allocate(3_000);
      store.readBlock(0, 0, back);
      assertThat(back.array()).isEqualTo(data);
      assertThat(storage.openFileCount()).isLessThanOrEqualTo(8);
    }
  }

  @Test
  void aHundredThousandFilesWithRandomWrites() throws IOException {
    Torrent torrent = tinyFiles(100_000);
    Random random = new Random(11);
    int[] chosen = random.ints(2_000, 0, 100_000).distinct().toArray();
    try (FileSystemStorage storage = FileSystemStorage.open(dir, torrent)) {
      for (int f : chosen) {
        storage.write(f, 0, ByteBuffer.wrap(new byte[] {(byte) (f * 31)}));
        assertThat(storage.openFileCount())
            .isLessThanOrEqualTo(FileSystemStorage.DEFAULT_MAX_OPEN_FILES);
      }
      ByteBuffer one = ByteBuffer.allocate(1);
      for (int f : chosen) {
        one.clear();
        assertThat(storage.read(f, 0, one)).isEqualTo(1);
        assertThat(one.get(0)).isEqualTo((byte) (f * 31));
      }
      Set<Integer> written = new HashSet<>();
      for (int f : chosen) {
        written.add(f);
      }
      int untouched = 0;
      while (written.contains(untouched)) {
        untouched++;
      }
      assertThat(storage.state(untouched)).isEmpty();
      assertThat(Files.exists(storage.path(untouched))).isFalse();
    }
  }

  @Test
  void concurrentWritersExceedTheBoundByAtMostTheirNumber() throws Exception {
    Torrent torrent = tinyFiles(2_000);
    int threads = 4;
    AtomicInteger most = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (FileSystemStorage storage =
        FileSystemStorage.builder(dir, torrent).maxOpenFiles(4).build()) {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  for (int f = thread; f < 2_000; f += threads) {
                    storage.write(f, 0, ByteBuffer.wrap(new byte[] {(byte) f}));
                    most.accumulateAndGet(storage.openFileCount(), Math::max);
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      assertThat(most.get()).isLessThanOrEqualTo(4 + threads);
      ByteBuffer one = ByteBuffer.allocate(1);
      for (int f = 0; f < 2_000; f++) {
        one.clear();
        storage.read(f, 0, one);
        assertThat(one.get(0)).isEqualTo((byte) f);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
