package dev.bitwright.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.bencode.BencodeDecoder;
import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeEncoder;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.bencode.BencodeValue;
import dev.bitwright.metainfo.FileEntry;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.metainfo.TorrentVersion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Piece verification of v1, v2 and hybrid torrents built from real data. */
class PieceStoreVerificationTest {
  @TempDir Path dir;

  static Stream<Arguments> versionsAndPieceLengths() {
    return Stream.of(TorrentVersion.values())
        .flatMap(v -> Stream.of(Arguments.of(v, 16 * 1024), Arguments.of(v, 64 * 1024)));
  }

  /**
   * Files of exactly one piece, smaller than a block, empty, of several pieces, of one byte, and of
   * about half a piece.
   */
  private static int[] sizes(int pieceLength) {
    return new int[] {pieceLength, 100, 0, 3 * pieceLength + 5_000, 1, pieceLength / 2 + 3_000};
  }

  /** Returns the offset in piece {@code piece} of a byte that is not padding. */
  private static int dataByte(PieceMap map, int piece, Random random) {
    List<FileSlice> slices = map.slices(piece, 0, map.pieceSize(piece));
    List<FileSlice> data = slices.stream().filter(s -> !s.padding()).toList();
    FileSlice s = data.get(random.nextInt(data.size()));
    int before = 0;
    for (FileSlice t : slices) {
      if (t.equals(s)) {
        break;
      }
      before += t.length();
    }
    return before + random.nextInt(s.length());
  }

  @ParameterizedTest
  @MethodSource("versionsAndPieceLengths")
  void everyPieceVerifiesAndOneFlippedByteFailsExactlyThatPiece(
      TorrentVersion version, int pieceLength) throws IOException {
    Torrent torrent = Fixtures.build(dir, "src", version, pieceLength, 1, sizes(pieceLength));
    PieceStore seeder = new PieceStore(torrent, FileSystemStorage.open(dir, torrent));
    PieceStore store = new PieceStore(torrent, new InMemoryStorage());
    PieceMap map = store.map();
    for (int p = 0; p < map.pieceCount(); p++) {
      assertThat(seeder.verifyPiece(p)).as("seeded piece %s", p).isTrue();
      assertThat(store.verifyPiece(p)).as("empty piece %s", p).isFalse();
    }
    Fixtures.copyAll(seeder, store);
    for (int p = 0; p < map.pieceCount(); p++) {
      assertThat(store.verifyPiece(p)).as("written piece %s", p).isTrue();
    }
    Random random = new Random(version.ordinal());
    for (int p = 0; p < map.pieceCount(); p++) {
      int at = dataByte(map, p, random);
      ByteBuffer one = ByteBuffer.allocate(1);
      store.readBlock(p, at, one);
      byte original = one.get(0);
      store.writeBlock(p, at, ByteBuffer.wrap(new byte[] {(byte) (original ^ 0x01)}));
      for (int q = 0; q < map.pieceCount(); q++) {
        assertThat(store.verifyPiece(q))
            .as("piece %s with a byte of piece %s flipped", q, p)
            .isEqualTo(q != p);
      }
      store.writeBlock(p, at, ByteBuffer.wrap(new byte[] {original}));
      assertThat(store.verifyPiece(p)).isTrue();
    }
  }

  @ParameterizedTest
  @MethodSource("versionsAndPieceLengths")
  void aWholePieceInMemoryIsWrittenOnlyIfItVerifies(TorrentVersion version, int pieceLength)
      throws IOException {
    Torrent torrent = Fixtures.build(dir, "src", version, pieceLength, 1, sizes(pieceLength));
    PieceStore seeder = new PieceStore(torrent, FileSystemStorage.open(dir, torrent));
    PieceStore store = new PieceStore(torrent, new InMemoryStorage());
    PieceMap map = store.map();
    Random random = new Random(11);
    for (int p = 0; p < map.pieceCount(); p++) {
      byte[] right = Fixtures.readPiece(seeder, p);
      byte[] wrong = right.clone();
      wrong[dataByte(map, p, random)] ^= 0x01;
      ByteBuffer bad = ByteBuffer.wrap(wrong);
      assertThat(store.writeVerifiedPiece(p, bad)).as("piece %s with a flipped byte", p).isFalse();
      assertThat(bad.position()).isZero();
      assertThat(Fixtures.readPiece(store, p))
          .as("nothing stored")
          .isEqualTo(new byte[right.length]);

      // Garbage under padding files counts as the zeros it stands for.
      ByteBuffer good = ByteBuffer.allocateDirect(right.length + 3).position(3);
      good.put(right).position(3);
      int at = 0;
      for (FileSlice s : map.slices(p, 0, right.length)) {
        for (int i = 0; s.padding() && i < s.length(); i++) {
          good.put(3 + at + i, (byte) 0x55);
        }
        at += s.length();
      }
      assertThat(store.writeVerifiedPiece(p, good)).as("piece %s", p).isTrue();
      assertThat(good.position()).isEqualTo(3);
      assertThat(Fixtures.readPiece(store, p)).isEqualTo(right);
      assertThat(store.verifyPiece(p)).isTrue();
    }
    assertThatThrownBy(() -> store.writeVerifiedPiece(0, ByteBuffer.allocate(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bytes long");
  }

  @Test
  void aSingleFileV2TorrentVerifies() throws IOException {
    Path file = dir.resolve("one.bin");
    Files.write(file, Fixtures.random(new Random(4), 100_000));
    Torrent torrent =
        TorrentBuilder.create(file).version(TorrentVersion.V2).pieceLength(32 * 1024).build();
    PieceStore store = new PieceStore(torrent, FileSystemStorage.open(dir, torrent));
    assertThat(store.map().pieceCount()).isEqualTo(4);
    for (int p = 0; p < 4; p++) {
      assertThat(store.verifyPiece(p)).isTrue();
    }
    store.writeBlock(3, 0, ByteBuffer.wrap(new byte[] {0}));
    assertThat(store.verifyPiece(3)).isFalse();
  }

  @Test
  void aPieceOfZerosWhoseFileIsMissingOrShortDoesNotPass() throws IOException {
    Path payload = Files.createDirectories(dir.resolve("zeros"));
    Files.write(payload.resolve("a.bin"), new byte[40_000]);
    Files.write(payload.resolve("b.bin"), new byte[1]);
    Torrent torrent =
        TorrentBuilder.create(payload)
            .version(TorrentVersion.HYBRID)
            .pieceLength(16 * 1024)
            .build();
    PieceStore present = new PieceStore(torrent, FileSystemStorage.open(dir, torrent));
    int last = present.map().pieceCount() - 1;
    assertThat(present.verifyPiece(last)).as("b.bin's piece, there").isTrue();
    present.close();
    // A later run (the file handles of the first are closed): b.bin missing, a.bin a byte short.
    Files.delete(payload.resolve("b.bin"));
    Files.write(payload.resolve("a.bin"), new byte[40_000 - 1]);
    try (PieceStore later = new PieceStore(torrent, FileSystemStorage.open(dir, torrent))) {
      assertThat(later.verifyPiece(last))
          .as("b.bin missing: its zero byte is not stored")
          .isFalse();
      assertThat(later.verifyPiece(2)).as("a.bin one byte short").isFalse();
      assertThat(later.verifyPiece(0)).isTrue();
    }
  }

  /** Replaces, at the path of keys, a value in a bencoded dictionary. */
  private static BencodeDictionary replace(BencodeDictionary d, List<String> keys, BencodeValue v) {
    TreeMap<BencodeString, BencodeValue> entries = new TreeMap<>(d.entries());
    BencodeString key = BencodeString.of(keys.get(0));
    entries.put(
        key,
        keys.size() == 1
            ? v
            : replace((BencodeDictionary) entries.get(key), keys.subList(1, keys.size()), v));
    return new BencodeDictionary(entries);
  }

  @Test
  void hybridPiecesMustPassBothTheV1AndTheV2Check() throws IOException {
    Torrent torrent =
        Fixtures.build(dir, "src", TorrentVersion.HYBRID, 16 * 1024, 2, 10_000, 40_000);
    BencodeDictionary info =
        (BencodeDictionary) BencodeDecoder.strict().decode(torrent.infoBytes());
    PieceStore good = new PieceStore(torrent, FileSystemStorage.open(dir, torrent));
    assertThat(good.verifyPiece(0)).isTrue();

    // A wrong pieces root for f00 (one piece): v1 still matches, v2 does not.
    byte[] badRoot = new byte[32];
    BencodeDictionary wrongV2 =
        replace(info, List.of("file tree", "f00", "", "pieces root"), BencodeString.of(badRoot));
    Torrent v2Broken = Torrent.parseInfo(BencodeEncoder.encode(wrongV2));
    PieceStore store = new PieceStore(v2Broken, FileSystemStorage.open(dir, v2Broken));
    assertThat(store.verifyPiece(0)).as("v2 mismatch").isFalse();
    // Pieces of f01 have no known layer here (a bare info dictionary): the v1 hash decides.
    for (int p = 1; p < store.map().pieceCount(); p++) {
      assertThat(store.verifyPiece(p)).isTrue();
    }

    // A wrong SHA-1 for piece 0: v2 still matches, v1 does not.
    byte[] pieces = torrent.pieceHash(0).clone();
    byte[] all = ((BencodeString) info.get("pieces").orElseThrow()).bytes();
    pieces[0] ^= 1;
    System.arraycopy(pieces, 0, all, 0, 20);
    Torrent v1Broken =
        Torrent.parseInfo(
            BencodeEncoder.encode(replace(info, List.of("pieces"), BencodeString.of(all))));
    PieceStore store1 = new PieceStore(v1Broken, FileSystemStorage.open(dir, v1Broken));
    assertThat(store1.verifyPiece(0)).as("v1 mismatch").isFalse();
    assertThat(store1.verifyPiece(1)).isTrue();
  }

  @Test
  void aV2TorrentWithoutPieceLayersCannotVerifyMultiPieceFiles() throws IOException {
    Torrent full =
        Fixtures.build(dir, "src", TorrentVersion.V2, 16 * 1024, 3, 10_000, 40_000, 0, 16_384);
    Torrent bare = Torrent.parseInfo(full.infoBytes());
    assertThat(bare.infoHashes()).isEqualTo(full.infoHashes());
    PieceStore store = new PieceStore(bare, FileSystemStorage.open(dir, bare));
    PieceMap map = store.map();
    List<FileEntry> files = bare.files();
    for (int f = 0; f < files.size(); f++) {
      if (files.get(f).length() == 0) {
        continue;
      }
      for (int p = map.firstPiece(f); p <= map.lastPiece(f); p++) {
        int piece = p;
        if (files.get(f).length() > bare.pieceLength()) {
          assertThatThrownBy(() -> store.verifyPiece(piece))
              .as("piece %s of a multi-piece file", p)
              .isInstanceOf(IllegalStateException.class);
        } else {
          assertThat(store.verifyPiece(piece)).as("piece %s of a one-piece file", p).isTrue();
        }
      }
    }
  }

  @Test
  void aFailedReadDoesNotSpoilTheNextVerification() throws IOException {
    int pieceLength = 256 * 1024;
    Torrent torrent = Fixtures.build(dir, "src", TorrentVersion.V1, pieceLength, 8, 600_000);
    TestStorage storage = new TestStorage(FileSystemStorage.open(dir, torrent));
    PieceStore store = new PieceStore(torrent, storage);
    assertThat(store.verifyPiece(0)).isTrue();
    storage.failReads((file, position) -> position >= 128 * 1024);
    assertThatThrownBy(() -> store.verifyPiece(0)).isInstanceOf(StorageException.class);
    storage.failReads((file, position) -> false);
    assertThat(store.verifyPiece(0)).as("same thread, after the failure").isTrue();
  }
}
