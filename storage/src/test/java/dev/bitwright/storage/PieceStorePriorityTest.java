package dev.bitwright.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Skipped files and the part file. The torrent has three files: a (20,000 bytes), b (40,000) and c
 * (30,000) in 16 KiB pieces: piece 1 holds the end of a and the start of b, piece 2 lies inside b,
 * piece 3 holds the end of b and the start of c.
 */
class PieceStorePriorityTest {
  private static final int A = 0;
  private static final int B = 1;
  private static final int C = 2;

  @TempDir Path dir;
  private Torrent torrent;
  private PieceStore seeder;
  private FileSystemStorage storage;
  private PieceStore store;

  @BeforeEach
  void setUp() throws IOException {
    torrent =
        Fixtures.build(
            dir.resolve("seed"), "t", TorrentVersion.V1, 16 * 1024, 1, 20_000, 40_000, 30_000);
    seeder = new PieceStore(torrent, FileSystemStorage.open(dir.resolve("seed"), torrent));
    storage = FileSystemStorage.open(dir.resolve("dl"), torrent);
    store = new PieceStore(torrent, storage);
    assertThat(store.map().firstPiece(B)).isEqualTo(1);
    assertThat(store.map().lastPiece(B)).isEqualTo(3);
  }

  private Path partFile() {
    return storage.path(torrent.files().size());
  }

  private void download(int... pieces) throws IOException {
    for (int p : pieces) {
      Fixtures.copyPiece(seeder, store, p);
    }
  }

  @Test
  void everyFileStartsAtNormalPriority() {
    for (int f = 0; f < 3; f++) {
      assertThat(store.priority(f)).isEqualTo(FilePriority.NORMAL);
    }
    assertThat(FilePriority.SKIP.isWanted()).isFalse();
    assertThat(FilePriority.NORMAL.isWanted()).isTrue();
    assertThat(FilePriority.HIGH.isWanted()).isTrue();
    assertThatThrownBy(() -> store.priority(3)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> store.setPriority(-1, FilePriority.SKIP))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> store.setPriority(0, null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void aSkippedFileIsNeverCreatedAndItsSharedBytesGoToThePartFile() throws IOException {
    store.setPriority(B, FilePriority.SKIP);
    assertThat(store.priority(B)).isEqualTo(FilePriority.SKIP);
    download(0, 1, 3, 4, 5); // every piece touching a or c
    assertThat(storage.path(B)).doesNotExist();
    assertThat(storage.path(A)).exists();
    assertThat(storage.path(C)).exists();
    assertThat(partFile()).exists();
    for (int p : new int[] {0, 1, 3, 4, 5}) {
      assertThat(store.verifyPiece(p)).as("piece %s", p).isTrue();
    }
    assertThat(store.verifyPiece(2)).isFalse();
    assertThat(Files.readAllBytes(storage.path(A)))
        .isEqualTo(Files.readAllBytes(dir.resolve("seed/t/f00")));

    store.setPriority(B, FilePriority.NORMAL);
    assertThat(storage.path(B)).as("bytes moved into the file").exists();
    for (int p : new int[] {0, 1, 3, 4, 5}) {
      assertThat(store.verifyPiece(p)).as("piece %s after moving", p).isTrue();
    }
    download(2);
    for (int p = 0; p < 6; p++) {
      assertThat(store.verifyPiece(p)).as("piece %s", p).isTrue();
    }
    assertThat(Files.readAllBytes(storage.path(B)))
        .isEqualTo(Files.readAllBytes(dir.resolve("seed/t/f01")));
  }

  @Test
  void highPriorityAlsoMovesTheBytesOutOfThePartFile() throws IOException {
    store.setPriority(A, FilePriority.SKIP);
    store.setPriority(C, FilePriority.SKIP);
    download(1, 2, 3);
    assertThat(storage.path(A)).doesNotExist();
    assertThat(storage.path(C)).doesNotExist();
    store.setPriority(A, FilePriority.HIGH);
    store.setPriority(C, FilePriority.HIGH);
    download(0, 4, 5);
    for (int p = 0; p < 6; p++) {
      assertThat(store.verifyPiece(p)).as("piece %s", p).isTrue();
    }
    for (int f = 0; f < 3; f++) {
      assertThat(Files.readAllBytes(storage.path(f)))
          .isEqualTo(Files.readAllBytes(dir.resolve("seed/t/f0" + f)));
    }
  }

  @Test
  void skippingAFileThatExistsKeepsWritingToIt() throws IOException {
    download(1);
    store.setPriority(B, FilePriority.SKIP);
    download(3);
    assertThat(partFile()).doesNotExist();
    assertThat(store.verifyPiece(1)).isTrue();
    assertThat(store.verifyPiece(3)).isTrue();
    store.setPriority(B, FilePriority.NORMAL);
    assertThat(store.verifyPiece(3)).isTrue();
  }

  @Test
  void skippingAndUnskippingWithoutWritesChangesNothingOnDisk() throws IOException {
    store.setPriority(B, FilePriority.SKIP);
    store.setPriority(B, FilePriority.SKIP);
    store.setPriority(B, FilePriority.NORMAL);
    assertThat(storage.path(B)).doesNotExist();
    assertThat(partFile()).doesNotExist();
    download(2);
    assertThat(store.verifyPiece(2)).isTrue();
    assertThat(partFile()).doesNotExist();
  }

  @Test
  void aSkippedFileInsideOnePieceMovesBack() throws IOException {
    Torrent small =
        Fixtures.build(
            dir.resolve("seed2"), "s", TorrentVersion.V1, 16 * 1024, 2, 1_000, 50, 20_000);
    PieceStore from = new PieceStore(small, FileSystemStorage.open(dir.resolve("seed2"), small));
    FileSystemStorage to = FileSystemStorage.open(dir.resolve("dl2"), small);
    PieceStore target = new PieceStore(small, to);
    target.setPriority(1, FilePriority.SKIP);
    Fixtures.copyAll(from, target);
    assertThat(to.path(1)).doesNotExist();
    assertThat(target.verifyPiece(0)).isTrue();
    target.setPriority(1, FilePriority.NORMAL);
    assertThat(to.path(1)).hasBinaryContent(Files.readAllBytes(dir.resolve("seed2/s/f01")));
    assertThat(target.verifyPiece(0)).isTrue();
  }

  /**
   * A piece lying wholly inside a skipped file is not stored (piece 2 here); every piece that
   * verifies while the file is skipped still verifies once it is wanted again.
   */
  @Test
  void unskippingKeepsEveryPieceThatVerified() throws IOException {
    store.setPriority(B, FilePriority.SKIP);
    download(0, 1, 2, 3, 4, 5);
    java.util.BitSet verified = new java.util.BitSet();
    for (int p = 0; p < 6; p++) {
      if (store.verifyPiece(p)) {
        verified.set(p);
      }
    }
    assertThat(verified.get(2)).as("piece wholly inside the skipped file").isFalse();
    assertThat(verified.cardinality()).isGreaterThanOrEqualTo(4);
    store.setPriority(B, FilePriority.NORMAL);
    for (int p = verified.nextSetBit(0); p >= 0; p = verified.nextSetBit(p + 1)) {
      assertThat(store.verifyPiece(p)).as("piece %s after unskipping", p).isTrue();
    }
  }
}
