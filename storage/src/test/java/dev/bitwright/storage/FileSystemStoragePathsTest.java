package dev.bitwright.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.storage.Fixtures.Spec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paths that must not be followed or written: symbolic links, folders, read-only folders. */
class FileSystemStoragePathsTest {
  @TempDir Path dir;
  @TempDir Path outside;
  private Torrent torrent;

  @BeforeEach
  void setUp() throws IOException {
    torrent =
        Fixtures.v1(
            "t",
            16 * 1024,
            List.of(Spec.file(1000, "a"), Spec.file(1000, "sub", "b")),
            new Random(1));
  }

  private static boolean canSymlink(Path folder) {
    try {
      Path probe = Files.createSymbolicLink(folder.resolve(".probe"), folder);
      Files.delete(probe);
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private static long entries(Path folder) throws IOException {
    try (Stream<Path> s = Files.walk(folder)) {
      return s.count() - 1;
    }
  }

  @Test
  void aContentRootHoldsTheFilesThemselves() throws IOException {
    try (FileSystemStorage storage =
        FileSystemStorage.open(StorageLayout.contentRoot(dir), torrent)) {
      assertThat(storage.path(0)).isEqualTo(dir.toAbsolutePath().resolve("a"));
      assertThat(storage.path(1)).isEqualTo(dir.toAbsolutePath().resolve("sub").resolve("b"));
      storage.write(1, 0, ByteBuffer.wrap(new byte[] {7}));
      assertThat(dir.resolve("sub/b")).exists();
      assertThat(dir.resolve("t")).as("no folder of the torrent's name").doesNotExist();
    }
    try (FileSystemStorage storage = FileSystemStorage.open(dir, torrent)) {
      assertThat(storage.path(0)).isEqualTo(dir.toAbsolutePath().resolve("t").resolve("a"));
    }
  }

  @Test
  void aRenamedFileGoesWhereItWasSentAndCannotLandOnAnother() throws IOException {
    StorageLayout renamed = StorageLayout.contentRoot(dir).withRename(1, "other/B.dat");
    try (FileSystemStorage storage = FileSystemStorage.open(renamed, torrent)) {
      assertThat(storage.path(0)).isEqualTo(dir.toAbsolutePath().resolve("a"));
      assertThat(storage.path(1)).isEqualTo(dir.toAbsolutePath().resolve("other").resolve("B.dat"));
    }
    StorageException onAnother =
        catchThrowableOfType(
            StorageException.class,
            () ->
                FileSystemStorage.open(StorageLayout.contentRoot(dir).withRename(1, "a"), torrent));
    assertThat(onAnother).isNotNull();
    assertThat(onAnother.getMessage()).contains("share");
  }

  @Test
  void aRenameThatWouldLeaveTheFolderIsRefused() {
    StorageLayout layout = StorageLayout.downloadFolder(dir);
    for (String bad :
        List.of("", "/etc/passwd", "../x", "a/../../x", "a//b", "a\\b", "./a", "a\0b")) {
      assertThat(
              catchThrowableOfType(IllegalArgumentException.class, () -> layout.withRename(0, bad)))
          .as(bad)
          .isNotNull();
    }
    assertThat(layout.withRename(0, "x/y").renames()).containsEntry(0, List.of("x", "y"));
  }

  @Test
  void aSymbolicLinkInAContentRootIsNotFollowed() throws IOException {
    assumeTrue(canSymlink(dir));
    Files.createSymbolicLink(dir.resolve("sub"), outside);
    try (FileSystemStorage storage =
        FileSystemStorage.open(StorageLayout.contentRoot(dir), torrent)) {
      StorageException e =
          catchThrowableOfType(
              StorageException.class, () -> storage.write(1, 0, ByteBuffer.wrap(new byte[] {1})));
      assertThat(e).isNotNull();
      assertThat(e.getMessage()).contains("symbolic link");
      assertThat(entries(outside)).as("nothing written outside").isZero();
    }
  }

  @Test
  void aSymbolicLinkInPlaceOfTheTorrentFolderIsNotFollowed() throws IOException {
    assumeTrue(canSymlink(dir));
    Files.createSymbolicLink(dir.resolve("t"), outside);
    try (FileSystemStorage storage = FileSystemStorage.open(dir, torrent)) {
      StorageException e =
          catchThrowableOfType(
              StorageException.class,
              () -> storage.write(1, 0, ByteBuffer.wrap(new byte[] {1, 2, 3})));
      assertThat(e).isNotNull();
      assertThat(e.getMessage()).contains("symbolic link").contains(dir.resolve("t").toString());
      assertThat(entries(outside)).as("nothing written outside").isZero();
    }
  }

  @Test
  void aSymbolicLinkInPlaceOfASubFolderIsNotFollowedForReadsOrWrites() throws IOException {
    assumeTrue(canSymlink(dir));
    Files.createDirectories(dir.resolve("t"));
    Files.createSymbolicLink(dir.resolve("t/sub"), outside);
    Path secret = Files.writeString(outside.resolve("b"), "secret");
    try (FileSystemStorage storage = FileSystemStorage.open(dir, torrent)) {
      StorageException write =
          catchThrowableOfType(
              StorageException.class, () -> storage.write(1, 0, ByteBuffer.wrap(new byte[] {1})));
      assertThat(write).isNotNull();
      assertThat(write.getMessage()).contains("symbolic link");
      StorageException read =
          catchThrowableOfType(
              StorageException.class, () -> storage.read(1, 0, ByteBuffer.allocate(10)));
      assertThat(read).as("reading through the link").isNotNull();
      assertThat(read.getMessage()).contains("symbolic link");
      StorageException transfer =
          catchThrowableOfType(
              StorageException.class,
              () -> storage.transferTo(1, 0, 6, Channels.newChannel(new ByteArrayOutputStream())));
      assertThat(transfer).as("uploading through the link").isNotNull();
      // The torrent's other file, not behind the link, still works.
      storage.write(0, 0, ByteBuffer.wrap(new byte[] {4}));
      assertThat(storage.path(0)).hasBinaryContent(new byte[] {4});
    }
    assertThat(secret).hasContent("secret");
    assertThat(entries(outside)).isEqualTo(1);
  }

  @Test
  void aSymbolicLinkInPlaceOfTheFileIsNotFollowed() throws IOException {
    assumeTrue(canSymlink(dir));
    Path secret = Files.writeString(outside.resolve("secret"), "secret");
    Files.createDirectories(dir.resolve("t"));
    Files.createSymbolicLink(dir.resolve("t/a"), secret);
    try (FileSystemStorage storage = FileSystemStorage.open(dir, torrent)) {
      StorageException e =
          catchThrowableOfType(
              StorageException.class, () -> storage.write(0, 0, ByteBuffer.wrap(new byte[] {1})));
      assertThat(e).isNotNull();
      assertThat(e.getMessage()).contains("symbolic link");
      assertThat(
              catchThrowableOfType(
                  StorageException.class, () -> storage.read(0, 0, ByteBuffer.allocate(6))))
          .isNotNull();
    }
    assertThat(secret).hasContent("secret");
  }

  @Test
  void deleteDoesNotFollowASymbolicLinkOutOfTheDownloadFolder() throws IOException {
    assumeTrue(canSymlink(dir));
    Files.createSymbolicLink(dir.resolve("t"), outside);
    Path foreign = Files.writeString(outside.resolve("a"), "not the torrent's");
    try (FileSystemStorage storage = FileSystemStorage.open(dir, torrent)) {
      try {
        storage.delete();
      } catch (StorageException refused) {
        // Refusing is fine too; deleting the foreign file is not.
      }
    }
    assertThat(foreign).hasContent("not the torrent's");
  }

  @Test
  void aFolderWhereAFileShouldBeFailsWithAClearMessage() throws IOException {
    try (FileSystemStorage storage = FileSystemStorage.open(dir, torrent)) {
      Files.createDirectories(storage.path(0));
      StorageException e =
          catchThrowableOfType(
              StorageException.class, () -> storage.write(0, 0, ByteBuffer.wrap(new byte[] {1})));
      assertThat(e).isNotNull();
      assertThat(e.operation()).isEqualTo("write");
      assertThat(e.file()).isEqualTo(storage.path(0).toString());
      assertThat(e.getMessage())
          .startsWith("write " + storage.path(0))
          .contains("a folder stands where the file should be");
      StorageException read =
          catchThrowableOfType(
              StorageException.class, () -> storage.read(0, 0, ByteBuffer.allocate(1)));
      assertThat(read).isNotNull();
      assertThat(read.operation()).isEqualTo("read");
      assertThat(read.getMessage()).contains("a folder stands where the file should be");
      // Other files of the torrent are unaffected.
      storage.write(1, 0, ByteBuffer.wrap(new byte[] {1}));
      assertThat(storage.path(1)).hasBinaryContent(new byte[] {1});
    }
  }

  @Test
  void aFileWhereAFolderShouldBeFailsWithAStorageException() throws IOException {
    try (FileSystemStorage storage = FileSystemStorage.open(dir, torrent)) {
      Files.createDirectories(dir.resolve("t"));
      Files.writeString(dir.resolve("t/sub"), "a file, not a folder");
      StorageException e =
          catchThrowableOfType(
              StorageException.class, () -> storage.write(1, 0, ByteBuffer.wrap(new byte[] {1})));
      assertThat(e).isNotNull();
      assertThat(e.getMessage()).contains(storage.path(1).toString());
      assertThat(dir.resolve("t/sub")).hasContent("a file, not a folder");
    }
  }

  @Test
  void aReadOnlyFolderFailsWithPermissionDenied() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("t"));
    try {
      Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
    } catch (UnsupportedOperationException e) {
      assumeTrue(false, "no POSIX permissions");
    }
    try {
      assumeFalse(Files.isWritable(folder), "permissions are not enforced (running as root?)");
      try (FileSystemStorage storage = FileSystemStorage.open(dir, torrent)) {
        StorageException e =
            catchThrowableOfType(
                StorageException.class, () -> storage.write(0, 0, ByteBuffer.wrap(new byte[] {1})));
        assertThat(e).isNotNull();
        assertThat(e.operation()).isEqualTo("write");
        assertThat(e.getMessage()).contains(storage.path(0).toString()).contains("permission");
      }
    } finally {
      Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }
}
