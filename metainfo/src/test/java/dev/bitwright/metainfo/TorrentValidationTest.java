package dev.bitwright.metainfo;

import static dev.bitwright.metainfo.TestTorrents.PIECE;
import static dev.bitwright.metainfo.TestTorrents.dict;
import static dev.bitwright.metainfo.TestTorrents.encode;
import static dev.bitwright.metainfo.TestTorrents.file;
import static dev.bitwright.metainfo.TestTorrents.list;
import static dev.bitwright.metainfo.TestTorrents.multiInfo;
import static dev.bitwright.metainfo.TestTorrents.parse;
import static dev.bitwright.metainfo.TestTorrents.rejected;
import static dev.bitwright.metainfo.TestTorrents.sha1s;
import static dev.bitwright.metainfo.TestTorrents.singleInfo;
import static dev.bitwright.metainfo.TestTorrents.torrent;
import static dev.bitwright.metainfo.TestTorrents.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.bencode.BencodeDictionary;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Structural checks of {@link Torrent#parse}: the shape, piece length, pieces and lengths. */
class TorrentValidationTest {

  @Test
  void theSkeletonsUsedBelowAreValid() {
    Torrent single = parse(torrent(singleInfo()));
    assertThat(single.isSingleFile()).isTrue();
    assertThat(single.pieceCount()).isEqualTo(2);
    Torrent multi = parse(torrent(multiInfo(file(5, "a"), file(PIECE, "b", "c"))));
    assertThat(multi.files()).extracting(FileEntry::pathString).containsExactly("a", "b/c");
    assertThat(multi.files()).extracting(FileEntry::offset).containsExactly(0L, 5L);
  }

  @ParameterizedTest
  @ValueSource(
      longs = {
        0,
        1,
        -16384,
        1000,
        8192,
        16383,
        16385,
        24576,
        3 * 16384,
        512L * 1024 * 1024,
        1L << 40,
        Long.MIN_VALUE,
        Long.MAX_VALUE
      })
  void rejectsAPieceLengthThatIsNotAPowerOfTwoFrom16KiBTo256MiB(long pieceLength) {
    MetainfoException e =
        rejected(torrent(with(singleInfo(), "piece length", pieceLength)), "info.piece length");
    assertThat(e.getMessage()).contains(Long.toString(pieceLength));
  }

  @ParameterizedTest
  @ValueSource(ints = {16 * 1024, 32 * 1024, 1024 * 1024, 256 * 1024 * 1024})
  void acceptsEveryPowerOfTwoPieceLengthInRange(int pieceLength) {
    BencodeDictionary info = with(singleInfo(), "piece length", pieceLength);
    info = with(info, "pieces", sha1s((20_000 + pieceLength - 1) / pieceLength));
    assertThat(parse(torrent(info)).pieceLength()).isEqualTo(pieceLength);
  }

  @Test
  void rejectsAPieceLengthThatIsNotAnInteger() {
    rejected(torrent(with(singleInfo(), "piece length", "16384")), "info.piece length");
    rejected(torrent(with(singleInfo(), "piece length", null)), "info.piece length");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 19, 21, 39, 41, 60, 100})
  void rejectsPiecesThatAreNotOneSha1PerPiece(int piecesLength) {
    byte[] pieces = new byte[piecesLength];
    MetainfoException e = rejected(torrent(with(singleInfo(), "pieces", pieces)), "info.pieces");
    assertThat(e.getMessage()).contains(Integer.toString(piecesLength)).contains("2 pieces");
  }

  @Test
  void rejectsMissingOrMistypedPieces() {
    rejected(torrent(with(singleInfo(), "pieces", null)), "info.pieces");
    rejected(torrent(with(singleInfo(), "pieces", 40)), "info.pieces");
    rejected(torrent(with(singleInfo(), "pieces", list(sha1s(2)))), "info.pieces");
  }

  @Test
  void rejectsATorrentWithoutAnInfoDictionary() {
    assertThat(rejected(encode(dict("announce", "http://t")), "info").getMessage())
        .contains("missing");
    rejected(encode(dict("info", list(singleInfo()))), "info");
    rejected(encode(dict("info", "d4:name1:ae")), "info");
    rejected(encode(dict("info", 1)), "info");
  }

  @Test
  void rejectsARootThatIsNotADictionary() {
    rejected(encode(list(dict("info", singleInfo()))), "(root)");
    rejected("4:info".getBytes(StandardCharsets.US_ASCII), "(root)");
    rejected("i42e".getBytes(StandardCharsets.US_ASCII), "(root)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "x",
        "d",
        "d4:info",
        "d4:infod",
        "d4:infod4:name",
        "i12",
        "i-0e",
        "d1:ai1e1:ai2ee",
        "de trailing",
        "d4:infod4:name1:ae",
        "l",
        "5:abc"
      })
  void reportsMalformedBencodeWithItsOffset(String input) {
    byte[] bytes = input.getBytes(StandardCharsets.US_ASCII);
    MetainfoException e = rejected(bytes);
    assertThat(e.field()).isEmpty();
    assertThat(e.getMessage()).contains("malformed bencode");
    assertThat(e.offset()).isPresent();
    assertThat(e.offset().getAsLong()).isBetween(0L, (long) bytes.length);
    assertThat(e.getCause()).isNotNull();
  }

  @Test
  void rejectsTruncatedGoldenTorrentsAtTheirEnd() {
    byte[] golden = Golden.named("mk-multi.torrent").bytes();
    byte[] truncated = Arrays.copyOf(golden, golden.length - 1);
    MetainfoException e = rejected(truncated);
    assertThat(e.offset()).hasValue(truncated.length);
  }

  @Test
  void rejectsAMissingOrMistypedName() {
    rejected(torrent(with(singleInfo(), "name", null)), "info.name");
    rejected(torrent(with(singleInfo(), "name", 5)), "info.name");
  }

  @Test
  void rejectsBothLengthAndFiles() {
    BencodeDictionary info = with(singleInfo(), "files", list(file(20_000, "a")));
    MetainfoException e = rejected(torrent(info), "info.length");
    assertThat(e.getMessage()).contains("both");
    BencodeDictionary multi = with(multiInfo(file(20_000, "a")), "length", 20_000);
    rejected(torrent(multi), "info.length");
  }

  @Test
  void rejectsMissingOrMistypedLengths() {
    rejected(torrent(with(singleInfo(), "length", null)), "info.length");
    rejected(torrent(with(singleInfo(), "length", "20000")), "info.length");
    BencodeDictionary noLength = dict("path", list("a"));
    rejected(
        torrent(with(multiInfo(file(1, "b")), "files", list(noLength))), "info.files[0].length");
  }

  @Test
  void rejectsNegativeLengths() {
    rejected(torrent(with(singleInfo(), "length", -1)), "info.length");
    rejected(torrent(with(singleInfo(), "length", Long.MIN_VALUE)), "info.length");
    rejected(torrent(multiInfo(file(10, "a"), file(-5, "b"))), "info.files[1].length");
  }

  @Test
  void rejectsATotalLengthThatOverflows() {
    BencodeDictionary info =
        with(
            multiInfo(file(1, "a")),
            "files",
            list(file(Long.MAX_VALUE, "a"), file(Long.MAX_VALUE, "b")));
    MetainfoException e = rejected(torrent(info), "info.files[1].length");
    assertThat(e.getMessage()).contains("overflows");
    BencodeDictionary three =
        with(
            multiInfo(file(1, "a")),
            "files",
            list(file(Long.MAX_VALUE - 1, "a"), file(1, "b"), file(1, "c")));
    rejected(torrent(three), "info.files[2].length");
  }

  @Test
  void rejectsAHugeSingleFileWhosePiecesCannotBeListed() {
    rejected(torrent(with(singleInfo(), "length", Long.MAX_VALUE)));
    rejected(torrent(with(singleInfo(), "length", Long.MAX_VALUE - PIECE)));
    BencodeDictionary tooManyPieces = with(singleInfo(), "length", (long) PIECE << 31);
    rejected(torrent(tooManyPieces), "info.piece length");
  }

  @Test
  void rejectsATorrentWithoutData() {
    rejected(torrent(with(with(singleInfo(), "length", 0), "pieces", new byte[0])), "info.length");
    rejected(torrent(multiInfo(file(0, "a"), file(0, "b"))), "info.files");
    rejected(torrent(with(multiInfo(file(1, "a")), "files", list())), "info.files");
  }

  @Test
  void rejectsMistypedFileLists() {
    rejected(torrent(with(multiInfo(file(1, "a")), "files", "a")), "info.files");
    rejected(torrent(with(multiInfo(file(1, "a")), "files", list("a"))), "info.files[0]");
    rejected(torrent(with(multiInfo(file(1, "a")), "files", list(list()))), "info.files[0]");
  }

  @Test
  void rejectsTwoFilesWithOnePath() {
    MetainfoException e = rejected(torrent(multiInfo(file(1, "a", "b"), file(2, "a", "b"))));
    assertThat(e.field()).contains("info.files");
    assertThat(e.getMessage()).contains("a/b");
  }

  @Test
  void rejectsAFileWhereAnotherFileHasItsFolder() {
    MetainfoException fileFirst = rejected(torrent(multiInfo(file(1, "a"), file(2, "a", "b"))));
    assertThat(fileFirst.field()).contains("info.files");
    assertThat(fileFirst.getMessage()).contains("path a");
    MetainfoException folderFirst = rejected(torrent(multiInfo(file(2, "a", "b"), file(1, "a"))));
    assertThat(folderFirst.field()).contains("info.files");
    rejected(torrent(multiInfo(file(2, "x", "a", "b"), file(1, "x", "a"))), "info.files");
  }

  @Test
  void acceptsSiblingsWithSharedPrefixesAndPaddingFilesWithOnePath() {
    Torrent t = parse(torrent(multiInfo(file(1, "a"), file(2, "ab"), file(3, "a.b", "c"))));
    assertThat(t.files()).hasSize(3);
    BencodeDictionary pad = dict("attr", "p", "length", 4, "path", list(".pad", "4"));
    Torrent padded = parse(torrent(multiInfo(file(1, "a"), pad, file(1, "b"), pad)));
    assertThat(padded.files()).filteredOn(FileEntry::isPadding).hasSize(2);
  }
}
