package dev.bitwright.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.storage.Fixtures.Spec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk (an in-memory file system of 512 KiB) fails with a StorageException naming the file.
 */
class FileSystemStorageDiskFullTest {
  private static final int CAPACITY = 512 * 1024;

  @TempDir Path normalFolder;
  private FileSystem fs;
  private Path downloads;
  private final Random random = new Random(3);

  @BeforeEach
  void setUp() throws IOException {
    fs =
        Jimfs.newFileSystem(
            Configuration.unix().toBuilder().setMaxSize(CAPACITY).setBlockSize(8192).build());
    downloads = Files.createDirectories(fs.getPath("/downloads"));
  }

  @AfterEach
  void tearDown() throws IOException {
    fs.close();
  }

  private Torrent torrent(String name, long... lengths) throws IOException {
    return Fixtures.v1(name, 16 * 1024, Fixtures.files(lengths), random);
  }

  /** Writes 64 KiB blocks until the storage fails; returns the failure. */
  private static StorageException fillUntilFailure(Storage storage, int file, long length) {
    return catchThrowableOfType(
        StorageException.class,
        () -> {
          byte[] block = new byte[64 * 1024];
          Arrays.fill(block, (byte) 1);
          for (long at = 0; at < length; at += block.length) {
            storage.write(file, at, ByteBuffer.wrap(block));
          }
        });
  }

  @Test
  void writesFailWithAStorageExceptionNamingTheFileAndOtherStorageStillWorks() throws IOException {
    Torrent big = torrent("big", 100_000, 2 * 1024 * 1024);
    Torrent other = torrent("other", 300_000);
    try (FileSystemStorage full = FileSystemStorage.open(downloads, big)) {
      full.write(0, 0, ByteBuffer.wrap(new byte[100_000]));
      StorageException e = fillUntilFailure(full, 1, 2 * 1024 * 1024);
      assertThat(e).as("the disk fills up").isNotNull();
      assertThat(e.operation()).isEqualTo("write");
      assertThat(e.file()).isEqualTo(full.path(1).toString());
      assertThat(e.getMessage()).contains(full.path(1).toString());
      assertThat(e.getCause()).isInstanceOf(IOException.class);

      // The same storage still reads what it wrote, and another torrent on a normal folder works.
      ByteBuffer back = ByteBuffer.allocate(100_000);
      assertThat(full.read(0, 0, back)).isEqualTo(100_000);
      try (FileSystemStorage elsewhere = FileSystemStorage.open(normalFolder, other);
          PieceStore store = new PieceStore(other, elsewhere)) {
        byte[] data = Fixtures.random(random, 300_000);
        for (int p = 0; p < store.map().pieceCount(); p++) {
          int size = store.map().pieceSize(p);
          store.writeBlock(p, 0, ByteBuffer.wrap(data, p * 16 * 1024, size));
        }
        store.flush();
        ByteBuffer piece = ByteBuffer.allocate(16 * 1024);
        store.readBlock(3, 0, piece);
        assertThat(piece.array()).isEqualTo(Arrays.copyOfRange(data, 3 * 16 * 1024, 4 * 16 * 1024));
      }

      // Deleting frees the space: the failed torrent can write again.
      full.delete();
      full.write(0, 0, ByteBuffer.wrap(new byte[] {1}));
      assertThat(full.path(0)).exists();
    }
  }

  @Test
  void preallocationOfAFileLargerThanTheDiskFailsOnTheFirstWrite() throws IOException {
    Torrent huge = torrent("huge", 10, 4 * 1024 * 1024);
    try (FileSystemStorage storage =
        FileSystemStorage.builder(downloads, huge).preallocate(true).build()) {
      storage.write(0, 0, ByteBuffer.wrap(new byte[] {1}));
      StorageException e =
          catchThrowableOfType(
              StorageException.class, () -> storage.write(1, 0, ByteBuffer.wrap(new byte[] {1})));
      assertThat(e).isNotNull();
      assertThat(e.operation()).isEqualTo("write");
      assertThat(e.file()).isEqualTo(storage.path(1).toString());
      assertThat(storage.openFileCount())
          .as("the failed channel is not kept")
          .isLessThanOrEqualTo(1);
      assertThat(storage.path(0)).exists();
    }
  }

  @Test
  void anotherTorrentOnTheFullDiskFailsWithItsOwnFileNamed() throws IOException {
    Torrent first = torrent("first", 1024 * 1024);
    Torrent second = torrent("second", 100_000);
    try (FileSystemStorage a = FileSystemStorage.open(downloads, first);
        FileSystemStorage b = FileSystemStorage.open(downloads, second)) {
      assertThat(fillUntilFailure(a, 0, 1024 * 1024)).isNotNull();
      StorageException e = fillUntilFailure(b, 0, 100_000);
      assertThat(e).isNotNull();
      assertThat(e.file()).isEqualTo(b.path(0).toString());
      List<Path> paths = List.of(a.path(0), b.path(0));
      assertThat(paths.get(0)).isNotEqualTo(paths.get(1));
    }
  }

  @Test
  void storageOnTheInMemoryFileSystemBehavesLikeOnDisk() throws IOException {
    Torrent torrent =
        Fixtures.v1("t", 16 * 1024, List.of(Spec.file(1000, "x", "a"), Spec.file(10, "b")), random);
    try (FileSystemStorage storage = FileSystemStorage.open(downloads, torrent)) {
      assertThat(storage.path(0).toString()).isEqualTo("/downloads/t/x/a");
      storage.write(0, 10, ByteBuffer.wrap(new byte[] {3}));
      assertThat(storage.state(0).orElseThrow().size()).isEqualTo(11);
      assertThat(storage.state(1)).isEmpty();
      storage.flush();
      storage.delete();
      assertThat(downloads.resolve("t")).doesNotExist();
      assertThat(downloads).exists();
    }
  }
}
