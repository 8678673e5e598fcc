package dev.bitwright.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.storage.Fixtures.Spec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemStorageTest {
  private static final int MIB = 1024 * 1024;

  @TempDir Path dir;
  private Torrent torrent;
  private final Random random = new Random(7);

  @BeforeEach
  void setUp() throws IOException {
    torrent =
        Fixtures.v1(
            "t",
            16 * 1024,
            List.of(
                Spec.file(100_000, "a"),
                Spec.file(50, "sub", "deep", "b"),
                Spec.file(20 * MIB, "big"),
                Spec.file(0, "empty")),
            random);
  }

  private static byte[] read(Storage storage, int file, long position, int length)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    int n = storage.read(file, position, buffer);
    assertThat(buffer.position()).isEqualTo(n);
    return Arrays.copyOf(buffer.array(), n);
  }

  private static long entries(Path folder) throws IOException {
    try (Stream<Path> s = Files.walk(folder)) {
      return s.count() - 1;
    }
  }

  @Test
  void filesAndFoldersAreCreatedOnFirstWriteOnly() throws IOException {
    try (FileSystemStorage storage = FileSystemStorage.open(dir, torrent)) {
      assertThat(entries(dir)).as("nothing created by opening").isZero();
      assertThat(storage.path(1)).isEqualTo(dir.resolve("t/sub/deep/b"));
      assertThat(read(storage, 0, 0, 10)).isEmpty();
      assertThat(storage.state(0)).isEmpty();
      assertThat(entries(dir)).as("nothing created by reading").isZero();

      storage.write(1, 3, ByteBuffer.wrap(new byte[] {1, 2}));
      assertThat(storage.path(1)).isRegularFile().hasBinaryContent(new byte[] {0, 0, 0, 1, 2});
      assertThat(storage.path(0)).doesNotExist();
      assertThat(storage.path(2)).doesNotExist();
      assertThat(storage.path(3)).doesNotExist();
      assertThat(storage.path(4)).as("part file").doesNotExist();
      assertThat(entries(dir)).isEqualTo(4); // t, t/sub, t/sub/deep, t/sub/deep/b
    }
  }

  @Test
  void aClosedStorageOpensNoFileButStillDeletes() throws IOException {
    FileSystemStorage storage = FileSystemStorage.open(dir, torrent);
    storage.write(0, 0, ByteBuffer.wrap(new byte[] {1}));
    storage.close();
    assertThatThrownBy(() -> storage.write(1, 0, ByteBuffer.wrap(new byte[] {2})))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> storage.read(0, 0, ByteBuffer.allocate(1)))
        .isInstanceOf(StorageException.class);
    assertThat(Files.exists(storage.path(1))).as("no file created after close").isFalse();
    assertThat(storage.openFileCount()).isZero();
    storage.delete();
    assertThat(Files.exists(storage.path(0))).isFalse();
  }

  @Test
  void filesAreSparseByDefault() throws IOException {
    try (FileSystemStorage storage = FileSystemStorage.open(dir, torrent)) {
      storage.write(2, 10 * MIB, ByteBuffer.wrap(new byte[] {9}));
      assertThat(Files.size(storage.path(2))).isEqualTo(10 * MIB + 1);
      assertThat(storage.state(2).orElseThrow().size()).isEqualTo(10 * MIB + 1);
      assertThat(read(storage, 2, 10 * MIB - 2, 10)).containsExactly(0, 0, 9);
    }
  }

  @Test
  void preallocationFillsTheWholeFileWithZerosOnFirstWrite() throws IOException {
    try (FileSystemStorage storage =
        FileSystemStorage.builder(dir, torrent).preallocate(true).maxOpenFiles(1).build()) {
      storage.write(0, 5, ByteBuffer.wrap(new byte[] {42}));
      assertThat(Files.size(storage.path(0))).isEqualTo(100_000);
      byte[] expected = new byte[100_000];
      expected[5] = 42;
      assertThat(storage.path(0)).hasBinaryContent(expected);
      assertThat(storage.path(2)).as("other files stay uncreated").doesNotExist();
      // Evicted and reopened for writing: the data already written stays.
      storage.write(1, 0, ByteBuffer.wrap(new byte[] {1}));
      assertThat(Files.size(storage.path(1))).isEqualTo(50);
      storage.write(0, 99_999, ByteBuffer.wrap(new byte[] {7}));
      expected[99_999] = 7;
      assertThat(storage.path(0)).hasBinaryContent(expected);
    }
  }

  @Test
  void writesReadBackAndReadsStopAtTheEndOfTheFile() throws IOException {
    byte[] data = Fixtures.random(random, 100_000);
    try (FileSystemStorage storage = FileSystemStorage.open(dir, torrent)) {
      storage.write(0, 0, ByteBuffer.wrap(data, 0, 60_000));
      ByteBuffer rest = ByteBuffer.wrap(data, 60_000, 40_000);
      storage.write(0, 60_000, rest);
      assertThat(rest.hasRemaining()).isFalse();
      assertThat(read(storage, 0, 0, 100_000)).isEqualTo(data);
      assertThat(read(storage, 0, 99_990, 100))
          .isEqualTo(Arrays.copyOfRange(data, 99_990, 100_000));
      assertThat(read(storage, 0, 200_000, 100)).isEmpty();
    }
    try (FileSystemStorage reopened = FileSystemStorage.open(dir, torrent)) {
      assertThat(read(reopened, 0, 0, 100_000)).as("after reopening").isEqualTo(data);
    }
  }

  @Test
  void stateIsTheFilesSizeAndModificationTime() throws IOException {
    try (FileSystemStorage storage = FileSystemStorage.open(dir, torrent)) {
      assertThat(storage.state(1)).isEmpty();
      assertThat(storage.state(4)).isEmpty();
      storage.write(1, 0, ByteBuffer.wrap(new byte[7]));
      storage.flush();
      Files.setLastModifiedTime(storage.path(1), FileTime.fromMillis(1_234_567_000L));
      assertThat(storage.state(1)).contains(new FileState(7, 1_234_567_000L));
    }
  }

  @Test
  void flushForcesWrittenFiles() throws IOException {
    try (FileSystemStorage storage =
        FileSystemStorage.builder(dir, torrent).maxOpenFiles(2).build()) {
      storage.flush(); // nothing open yet
      for (int f = 0; f < 3; f++) {
        storage.write(f, 0, ByteBuffer.wrap(new byte[] {(byte) (f + 1)}));
      }
      storage.flush();
      storage.flush();
      assertThat(storage.openFileCount()).isLessThanOrEqualTo(2);
      for (int f = 0; f < 3; f++) {
        assertThat(Files.readAllBytes(storage.path(f))[0]).isEqualTo((byte) (f + 1));
      }
    }
  }

  @Test
  void transferToAPipeCopiesTheExactBytes() throws Exception {
    byte[] data = Fixtures.random(random, 100_000);
    try (FileSystemStorage storage = FileSystemStorage.open(dir, torrent)) {
      storage.write(0, 0, ByteBuffer.wrap(data));
      Pipe pipe = Pipe.open();
      int count = 90_000; // more than a pipe holds: read on another thread
      CompletableFuture<byte[]> received =
          CompletableFuture.supplyAsync(
              () -> {
                ByteBuffer in = ByteBuffer.allocate(count);
                try {
                  while (in.hasRemaining() && pipe.source().read(in) >= 0) {
                    // keep reading
                  }
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
                return in.array();
              });
      assertThat(storage.transferTo(0, 7_000, count, pipe.sink())).isEqualTo(count);
      assertThat(received.get()).isEqualTo(Arrays.copyOfRange(data, 7_000, 97_000));
      pipe.sink().close();
      pipe.source().close();
    }
  }

  @Test
  void transferToAFileChannelCopiesTheExactBytes() throws IOException {
    byte[] data = Fixtures.random(random, 100_000);
    Path out = dir.resolve("out.bin");
    try (FileSystemStorage storage = FileSystemStorage.open(dir, torrent);
        FileChannel target =
            FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      storage.write(0, 0, ByteBuffer.wrap(data));
      assertThat(storage.transferTo(0, 0, 100_000, target)).isEqualTo(100_000);
      assertThat(storage.transferTo(0, 99_000, 5_000, target))
          .as("stops at the end of the file")
          .isEqualTo(1_000);
      assertThat(storage.transferTo(2, 0, 100, target)).as("a file never written").isZero();
    }
    byte[] expected = Arrays.copyOf(data, 101_000);
    System.arraycopy(data, 99_000, expected, 100_000, 1_000);
    assertThat(out).hasBinaryContent(expected);
  }

  @Test
  void deleteRemovesTheFilesAndTheFoldersLeftEmpty() throws IOException {
    Path other = Files.writeString(dir.resolve("other.txt"), "not ours");
    try (FileSystemStorage storage = FileSystemStorage.open(dir, torrent)) {
      for (int f = 0; f <= 4; f++) {
        if (f != 3) {
          storage.write(f, 0, ByteBuffer.wrap(new byte[] {1}));
        }
      }
      assertThat(storage.path(4)).exists();
      storage.delete();
      for (int f = 0; f <= 4; f++) {
        assertThat(storage.path(f)).doesNotExist();
      }
      assertThat(dir.resolve("t")).doesNotExist();
      assertThat(dir).isDirectory();
      assertThat(other).hasContent("not ours");
      assertThat(storage.openFileCount()).isZero();
      // Still usable: writing creates the files again.
      storage.write(0, 0, ByteBuffer.wrap(new byte[] {5}));
      assertThat(storage.path(0)).hasBinaryContent(new byte[] {5});
    }
  }

  @Test
  void deleteKeepsForeignFilesAndTheirFolders() throws IOException {
    try (FileSystemStorage storage = FileSystemStorage.open(dir, torrent)) {
      storage.write(1, 0, ByteBuffer.wrap(new byte[] {1}));
      storage.write(0, 0, ByteBuffer.wrap(new byte[] {1}));
      Path foreign = Files.writeString(dir.resolve("t/sub/notes.txt"), "mine");
      storage.delete();
      assertThat(storage.path(0)).doesNotExist();
      assertThat(storage.path(1)).doesNotExist();
      assertThat(dir.resolve("t/sub/deep")).doesNotExist();
      assertThat(foreign).hasContent("mine");
    }
  }

  @Test
  void deleteOfNothingWrittenSucceeds() throws IOException {
    try (FileSystemStorage storage = FileSystemStorage.open(dir, torrent)) {
      storage.delete();
      assertThat(entries(dir)).isZero();
    }
  }

  @Test
  void thePartFileIsAHiddenFileInTheDownloadFolder() throws IOException {
    try (FileSystemStorage storage = FileSystemStorage.open(dir.resolve("x/../dl"), torrent)) {
      Path part = storage.path(torrent.files().size());
      assertThat(part.getParent()).isEqualTo(dir.resolve("dl"));
      assertThat(part.getFileName().toString())
          .isEqualTo("." + torrent.infoHashes().best().hex() + ".parts");
      assertThatThrownBy(() -> storage.path(torrent.files().size() + 1))
          .isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> storage.path(-1)).isInstanceOf(IndexOutOfBoundsException.class);
      storage.write(4, 1000, ByteBuffer.wrap(new byte[] {1}));
      assertThat(Files.size(part)).isEqualTo(1001);
    }
  }

  @Test
  void aSingleFileTorrentIsStoredUnderItsName() throws IOException {
    Torrent single = Fixtures.v1Single("movie.mkv", 16 * 1024, 1000, random);
    try (FileSystemStorage storage = FileSystemStorage.open(dir, single)) {
      assertThat(storage.path(0)).isEqualTo(dir.resolve("movie.mkv"));
      storage.write(0, 0, ByteBuffer.wrap(new byte[] {1}));
      assertThat(dir.resolve("movie.mkv")).exists();
    }
  }

  @Test
  void maxOpenFilesMustBePositive() {
    assertThatThrownBy(() -> FileSystemStorage.builder(dir, torrent).maxOpenFiles(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(FileSystemStorage.DEFAULT_MAX_OPEN_FILES).isEqualTo(64);
  }
}
