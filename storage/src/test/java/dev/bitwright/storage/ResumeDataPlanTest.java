package dev.bitwright.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentVersion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.BitSet;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ResumeData#plan} and {@link PieceStore#resumeData}. The torrent has files of 40,000,
 * 30,000 and 50,000 bytes in 16 KiB pieces: f00 is in pieces 0-2, f01 in 2-4, f02 in 4-7.
 */
class ResumeDataPlanTest {
  @TempDir Path dir;
  private Torrent torrent;
  private FileSystemStorage storage;
  private PieceStore store;

  @BeforeEach
  void setUp() throws IOException {
    torrent = Fixtures.build(dir, "t", TorrentVersion.V1, 16 * 1024, 1, 40_000, 30_000, 50_000);
    storage = FileSystemStorage.open(dir, torrent);
    store = new PieceStore(torrent, storage);
    assertThat(store.map().pieceCount()).isEqualTo(8);
  }

  private static BitSet range(int from, int to) {
    BitSet set = new BitSet();
    set.set(from, to);
    return set;
  }

  private static BitSet minus(BitSet a, BitSet b) {
    BitSet c = (BitSet) a.clone();
    c.andNot(b);
    return c;
  }

  private void touch(int file, long deltaMillis) throws IOException {
    Path path = storage.path(file);
    FileTime before = Files.getLastModifiedTime(path);
    Files.setLastModifiedTime(path, FileTime.fromMillis(before.toMillis() + deltaMillis));
  }

  @Test
  void unchangedFilesAreTrustedAndNothingIsRechecked() throws IOException {
    ResumeData data = store.resumeData(store.map().allPieces());
    ResumeData.Plan plan = data.plan(store);
    assertThat(plan.trusted()).isEqualTo(store.map().allPieces());
    assertThat(plan.recheck()).isEqualTo(new BitSet());
  }

  @Test
  void piecesNotRecordedAreNeitherTrustedNorRechecked() throws IOException {
    BitSet verified = store.map().allPieces();
    verified.clear(1);
    ResumeData.Plan plan = store.resumeData(verified).plan(store);
    assertThat(plan.trusted()).isEqualTo(verified);
    assertThat(plan.recheck()).isEqualTo(new BitSet());
  }

  @Test
  void aFileWithANewModificationTimeHasItsPiecesRechecked() throws IOException {
    ResumeData data = store.resumeData(store.map().allPieces());
    touch(1, 5_000);
    ResumeData.Plan plan = data.plan(store);
    assertThat(plan.recheck()).isEqualTo(range(2, 5));
    assertThat(plan.trusted()).isEqualTo(minus(store.map().allPieces(), range(2, 5)));
  }

  @Test
  void aFileWithANewSizeHasItsPiecesRechecked() throws IOException {
    ResumeData data = store.resumeData(store.map().allPieces());
    FileTime time = Files.getLastModifiedTime(storage.path(2));
    Files.write(storage.path(2), new byte[] {1}, StandardOpenOption.APPEND);
    Files.setLastModifiedTime(storage.path(2), time);
    ResumeData.Plan plan = data.plan(store);
    assertThat(plan.recheck()).isEqualTo(range(4, 8));
    assertThat(plan.trusted()).isEqualTo(range(0, 4));
  }

  @Test
  void aMissingFileHasItsPiecesRechecked() throws IOException {
    ResumeData data = store.resumeData(store.map().allPieces());
    Files.delete(storage.path(0));
    ResumeData.Plan plan = data.plan(store);
    assertThat(plan.recheck()).isEqualTo(range(0, 3));
    assertThat(plan.trusted()).isEqualTo(range(3, 8));
  }

  @Test
  void aChangedPartFileRechecksEverything() throws IOException {
    ResumeData data = store.resumeData(store.map().allPieces());
    storage.write(torrent.files().size(), 0, ByteBuffer.wrap(new byte[] {1}));
    ResumeData.Plan plan = data.plan(store);
    assertThat(plan.trusted()).isEqualTo(new BitSet());
    assertThat(plan.recheck()).isEqualTo(store.map().allPieces());
  }

  @Test
  void resumeDataOfAnotherTorrentRechecksEverything() throws IOException {
    Torrent other =
        Fixtures.build(dir, "u", TorrentVersion.V1, 16 * 1024, 2, 40_000, 30_000, 50_000);
    PieceStore otherStore = new PieceStore(other, FileSystemStorage.open(dir, other));
    ResumeData foreign = otherStore.resumeData(otherStore.map().allPieces());
    ResumeData.Plan plan = foreign.plan(store);
    assertThat(plan.trusted()).isEqualTo(new BitSet());
    assertThat(plan.recheck()).isEqualTo(store.map().allPieces());

    ResumeData own = store.resumeData(store.map().allPieces());
    ResumeData wrongCount =
        new ResumeData(own.infoHash(), own.pieceCount() + 1, own.pieces(), own.files());
    assertThat(wrongCount.plan(store).recheck()).isEqualTo(store.map().allPieces());
    ResumeData wrongFiles =
        new ResumeData(own.infoHash(), own.pieceCount(), own.pieces(), own.files().subList(0, 3));
    assertThat(wrongFiles.plan(store).trusted()).isEqualTo(new BitSet());
  }

  @Test
  void savedResumeDataPlansTheSameAfterReading() throws IOException {
    Path file = dir.resolve("state/t.resume");
    BitSet verified = range(0, 6);
    store.saveResumeData(file, verified);
    ResumeData read = ResumeData.read(file).orElseThrow();
    assertThat(read).isEqualTo(store.resumeData(verified));
    assertThat(read.plan(store).trusted()).isEqualTo(verified);
    touch(0, -10_000);
    assertThat(ResumeData.read(file).orElseThrow().plan(store).trusted()).isEqualTo(range(3, 6));
  }

  @Test
  void paddingFilesAreIgnored() throws IOException {
    Torrent hybrid =
        Fixtures.build(dir, "h", TorrentVersion.HYBRID, 16 * 1024, 3, 10_000, 20_000, 5_000);
    PieceStore hybridStore = new PieceStore(hybrid, FileSystemStorage.open(dir, hybrid));
    ResumeData data = hybridStore.resumeData(hybridStore.map().allPieces());
    for (int f = 0; f < hybrid.files().size(); f++) {
      if (hybrid.files().get(f).isPadding()) {
        assertThat(data.files().get(f)).isEmpty();
      } else {
        assertThat(data.files().get(f)).isPresent();
      }
    }
    ResumeData.Plan plan = data.plan(hybridStore);
    assertThat(plan.trusted()).isEqualTo(hybridStore.map().allPieces());
    assertThat(plan.recheck()).isEqualTo(new BitSet());
  }

  @Test
  void resumeDataRecordsOnlyTheGivenPiecesAndTheStatesAfterFlushing() throws IOException {
    TestStorage recording = new TestStorage(FileSystemStorage.open(dir, torrent));
    PieceStore recorded = new PieceStore(torrent, recording);
    BitSet verified = new BitSet();
    verified.set(0);
    verified.set(5);
    ResumeData data = recorded.resumeData(verified);
    verified.set(7);
    for (int p = 0; p < 8; p++) {
      assertThat(recorded.verifyPiece(p)).isTrue(); // all valid, but only 0 and 5 recorded
    }
    assertThat(data.pieces()).isEqualTo(ResumeDataTest.bits(0, 5));
    assertThat(data.pieceCount()).isEqualTo(8);
    assertThat(data.infoHash()).isEqualTo(torrent.infoHashes().best());
    assertThat(data.files()).hasSize(torrent.files().size() + 1);
    for (int f = 0; f < 3; f++) {
      assertThat(data.files().get(f)).isEqualTo(storage.state(f)).isPresent();
    }
    assertThat(data.files().get(3)).as("no part file").isEqualTo(Optional.empty());
    assertThat(recording.events)
        .as("flushed before any state is noted")
        .containsExactly("flush", "state 0", "state 1", "state 2", "state 3");
  }
}
