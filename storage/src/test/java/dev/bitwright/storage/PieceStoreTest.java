package dev.bitwright.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Block reads, writes and transfers of {@link PieceStore}. */
class PieceStoreTest {
  private static final int PIECE = 16 * 1024;

  @TempDir Path dir;

  /** Two files, 20,000 and 5,000 bytes: pieces of 16,384 and 8,616 bytes. */
  private static Torrent twoFiles() throws IOException {
    return Fixtures.v1(PIECE, 20_000, 5_000);
  }

  @Test
  void writeBlockRejectsBlocksOutsideAPieceBeforeWritingAnything() throws IOException {
    TestStorage storage = new TestStorage();
    PieceStore store = new PieceStore(twoFiles(), storage);
    int[][] bad = {
      {0, 16_000, 1_000}, // crosses the end of the piece
      {1, 0, PIECE}, // longer than the short last piece
      {1, 8_616, 1}, // just past the last piece
      {0, -1, 10},
      {-1, 0, 10},
      {2, 0, 10},
      {Integer.MAX_VALUE, 0, 10},
      {0, 0, 0}, // empty
    };
    for (int[] b : bad) {
      ByteBuffer data = ByteBuffer.allocate(b[2]);
      assertThat(store.isValidBlock(b[0], b[1], b[2])).isFalse();
      assertThatThrownBy(() -> store.writeBlock(b[0], b[1], data))
          .as("block %s+%s:%s", b[0], b[1], b[2])
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(data.position()).isZero();
    }
    assertThat(storage.writtenFiles).isEmpty();
    assertThat(storage.state(0)).isEmpty();
    assertThat(storage.state(1)).isEmpty();
    assertThat(storage.state(2)).isEmpty();
  }

  @Test
  void writeBlockWritesEveryFileSliceAndAdvancesTheBuffer() throws IOException {
    InMemoryStorage storage = new InMemoryStorage();
    PieceStore store = new PieceStore(twoFiles(), storage);
    byte[] data = Fixtures.random(new Random(1), 25_000);
    // A direct buffer whose position is not 0: the block is its remaining bytes.
    ByteBuffer first = ByteBuffer.allocateDirect(PIECE + 10);
    first.position(10);
    first.put(data, 0, PIECE).position(10);
    store.writeBlock(0, 0, first);
    assertThat(first.hasRemaining()).isFalse();
    ByteBuffer second = ByteBuffer.wrap(data, PIECE, 25_000 - PIECE);
    store.writeBlock(1, 0, second);
    assertThat(second.hasRemaining()).isFalse();

    ByteBuffer file0 = ByteBuffer.allocate(20_000);
    storage.read(0, 0, file0);
    assertThat(file0.array()).isEqualTo(Arrays.copyOf(data, 20_000));
    ByteBuffer file1 = ByteBuffer.allocate(5_000);
    storage.read(1, 0, file1);
    assertThat(file1.array()).isEqualTo(Arrays.copyOfRange(data, 20_000, 25_000));
    assertThat(Fixtures.readPiece(store, 1)).isEqualTo(Arrays.copyOfRange(data, PIECE, 25_000));
  }

  @Test
  void readBlockZeroFillsDataNeverWritten() throws IOException {
    PieceStore store = new PieceStore(twoFiles(), new InMemoryStorage());
    ByteBuffer target = ByteBuffer.allocate(PIECE);
    Arrays.fill(target.array(), (byte) 0x55);
    store.readBlock(0, 0, target);
    assertThat(target.hasRemaining()).isFalse();
    assertThat(target.array()).containsOnly(0);

    // Half of a block written: the rest still reads as zeros.
    store.writeBlock(1, 100, ByteBuffer.wrap(new byte[] {1, 2, 3}));
    ByteBuffer piece1 = ByteBuffer.allocate(8_616);
    Arrays.fill(piece1.array(), (byte) 0x55);
    store.readBlock(1, 0, piece1);
    byte[] expected = new byte[8_616];
    expected[100] = 1;
    expected[101] = 2;
    expected[102] = 3;
    assertThat(piece1.array()).isEqualTo(expected);
  }

  @Test
  void readBlockAndTransferBlockRejectRangesOutsideAPiece() throws IOException {
    PieceStore store = new PieceStore(twoFiles(), new InMemoryStorage());
    WritableByteChannel sink = Channels.newChannel(new ByteArrayOutputStream());
    assertThatThrownBy(() -> store.readBlock(1, 8_000, ByteBuffer.allocate(1_000)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.readBlock(0, 0, ByteBuffer.allocate(0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.readBlock(2, 0, ByteBuffer.allocate(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.transferBlock(0, -1, 10, sink))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.transferBlock(1, 0, 8_617, sink))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.verifyPiece(2)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void paddingReadsAsZerosAndIsNeverWritten() throws IOException {
    Torrent torrent =
        Fixtures.build(dir, "src", TorrentVersion.HYBRID, PIECE, 4, 10_000, 30_000, 5_000);
    assertThat(torrent.files()).hasSize(6); // a padding file after each file
    PieceStore seeder = new PieceStore(torrent, FileSystemStorage.open(dir, torrent));
    TestStorage storage = new TestStorage();
    PieceStore store = new PieceStore(torrent, storage);
    for (int p = 0; p < store.map().pieceCount(); p++) {
      byte[] piece = Fixtures.readPiece(seeder, p);
      // Garbage where the padding is: it must be dropped, not stored.
      for (FileSlice s : store.map().slices(p, 0, piece.length)) {
        if (s.padding()) {
          int at = (int) (torrent.files().get(s.file()).offset() + s.offset() - (long) p * PIECE);
          Arrays.fill(piece, at, at + s.length(), (byte) 0xFF);
        }
      }
      store.writeBlock(p, 0, ByteBuffer.wrap(piece));
    }
    for (int f = 0; f < torrent.files().size(); f++) {
      if (torrent.files().get(f).isPadding()) {
        assertThat(storage.writtenFiles).doesNotContain(f);
        assertThat(storage.state(f)).isEmpty();
      }
    }
    for (int p = 0; p < store.map().pieceCount(); p++) {
      assertThat(Fixtures.readPiece(store, p)).isEqualTo(Fixtures.readPiece(seeder, p));
      assertThat(store.verifyPiece(p)).as("piece %s", p).isTrue();
    }
    // Piece 0 is file 0 (10,000 bytes) then 6,384 bytes of padding.
    ByteBuffer padding = ByteBuffer.allocate(6_384);
    Arrays.fill(padding.array(), (byte) 1);
    store.readBlock(0, 10_000, padding);
    assertThat(padding.array()).containsOnly(0);
  }

  /** Transfers a range in as many calls as needed, continuing from where the last one stopped. */
  private static byte[] transfer(PieceStore store, int piece, int offset, int length)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WritableByteChannel channel = Channels.newChannel(out);
    int done = 0;
    while (done < length) {
      long n = store.transferBlock(piece, offset + done, length - done, channel);
      assertThat(n).as("progress at %s+%s", piece, offset + done).isPositive();
      done += (int) n;
    }
    return out.toByteArray();
  }

  private static byte[] read(PieceStore store, int piece, int offset, int length)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    store.readBlock(piece, offset, buffer);
    return buffer.array();
  }

  @Test
  void onlyPiecesWhoseFilesExistAndAreLongEnoughCanHaveStoredBytes() throws IOException {
    Torrent torrent = twoFiles();
    Path fresh = dir.resolve("not-created-yet");
    PieceStore store = new PieceStore(torrent, FileSystemStorage.open(fresh, torrent));
    BitSet all = store.map().allPieces();
    assertThat(store.piecesWithStoredBytes(all).isEmpty()).isTrue();

    store.writeBlock(0, 0, ByteBuffer.allocate(PIECE));
    assertThat(store.piecesWithStoredBytes(all).stream().toArray()).containsExactly(0);

    store.writeBlock(1, 0, ByteBuffer.allocate(20_000 - PIECE + 5_000));
    assertThat(store.piecesWithStoredBytes(all)).isEqualTo(all);
    BitSet second = new BitSet();
    second.set(1);
    assertThat(store.piecesWithStoredBytes(second)).isEqualTo(second);
  }

  @Test
  void transferBlockGivesTheBytesOfReadBlockAcrossPaddingFiles() throws IOException {
    int pieceLength = 64 * 1024;
    Torrent torrent =
        Fixtures.build(dir, "src", TorrentVersion.HYBRID, pieceLength, 5, 1, 70_000, 100, 200_000);
    PieceStore onDisk = new PieceStore(torrent, FileSystemStorage.open(dir, torrent));
    PieceStore inMemory = new PieceStore(torrent, new InMemoryStorage());
    Fixtures.copyAll(onDisk, inMemory);
    Random random = new Random(9);
    for (PieceStore store : new PieceStore[] {onDisk, inMemory}) {
      for (int p = 0; p < store.map().pieceCount(); p++) {
        int size = store.map().pieceSize(p);
        assertThat(transfer(store, p, 0, size)).isEqualTo(read(store, p, 0, size));
        for (int offset = 0; offset < size; offset += Fixtures.BLOCK) {
          int length = Math.min(Fixtures.BLOCK, size - offset);
          assertThat(
                  store.transferBlock(
                      p, offset, length, Channels.newChannel(new ByteArrayOutputStream())))
              .as("a 16 KiB block goes in one call")
              .isEqualTo(length);
          assertThat(transfer(store, p, offset, length)).isEqualTo(read(store, p, offset, length));
        }
        int offset = random.nextInt(size);
        int length = 1 + random.nextInt(size - offset);
        assertThat(transfer(store, p, offset, length)).isEqualTo(read(store, p, offset, length));
      }
    }
  }

  @Test
  void readStoredBlockGivesTheBytesOfReadBlockAcrossPaddingFiles() throws IOException {
    Torrent torrent =
        Fixtures.build(dir, "src", TorrentVersion.HYBRID, 64 * 1024, 5, 1, 70_000, 100, 200_000);
    PieceStore store = new PieceStore(torrent, FileSystemStorage.open(dir, torrent));
    for (int p = 0; p < store.map().pieceCount(); p++) {
      int size = store.map().pieceSize(p);
      ByteBuffer stored = ByteBuffer.allocateDirect(size);
      assertThat(store.readStoredBlock(p, 0, stored)).isEqualTo(size);
      byte[] bytes = new byte[size];
      stored.flip().get(bytes);
      assertThat(bytes).isEqualTo(read(store, p, 0, size));
    }
  }

  @Test
  void readStoredBlockOfDataNeverWrittenReadsLessInsteadOfZeros() throws IOException {
    PieceStore store = new PieceStore(twoFiles(), new InMemoryStorage());
    store.writeBlock(0, 0, ByteBuffer.wrap(new byte[100]));
    assertThat(store.readStoredBlock(0, 0, ByteBuffer.allocate(PIECE))).isEqualTo(100);
    assertThat(store.readStoredBlock(1, 0, ByteBuffer.allocate(8_616))).isZero();
  }

  @Test
  void transferBlockOfDataNeverWrittenTransfersLess() throws IOException {
    PieceStore store = new PieceStore(twoFiles(), new InMemoryStorage());
    store.writeBlock(0, 0, ByteBuffer.wrap(new byte[100]));
    WritableByteChannel sink = Channels.newChannel(new ByteArrayOutputStream());
    assertThat(store.transferBlock(0, 0, PIECE, sink)).isEqualTo(100);
    assertThat(store.transferBlock(1, 0, 8_616, sink)).isZero();
  }

  @Test
  void transferBlockOfAWholePieceWithLongPaddingGoesInOneCall() throws IOException {
    int pieceLength = 256 * 1024;
    Torrent torrent =
        Fixtures.build(dir, "src", TorrentVersion.HYBRID, pieceLength, 6, 10_000, 300_000);
    PieceStore store = new PieceStore(torrent, FileSystemStorage.open(dir, torrent));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long n = store.transferBlock(0, 0, pieceLength, Channels.newChannel(out));
    assertThat(n).isEqualTo(pieceLength);
    assertThat(out.toByteArray()).isEqualTo(read(store, 0, 0, pieceLength));
  }
}
