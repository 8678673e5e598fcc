package dev.bitwright.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bitwright.metainfo.InfoHash;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Encoding, decoding and atomic files of {@link ResumeData}; plans are in ResumeDataPlanTest. */
class ResumeDataTest {
  @TempDir Path dir;

  static InfoHash hash(int seed, int length) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) seed);
    return new InfoHash(bytes);
  }

  static BitSet bits(int... indices) {
    BitSet set = new BitSet();
    for (int i : indices) {
      set.set(i);
    }
    return set;
  }

  private static ResumeData sample() {
    return new ResumeData(
        hash(1, 20),
        10,
        bits(0, 3, 9),
        List.of(
            Optional.of(new FileState(5, 1_700_000_000_123L)),
            Optional.empty(),
            Optional.of(new FileState(0, -1))));
  }

  @Test
  void encodingRoundTrips() throws StorageException {
    ResumeData data = sample();
    ResumeData decoded = ResumeData.decode(data.encode(), "test");
    assertThat(decoded).isEqualTo(data);
    assertThat(decoded.encode()).isEqualTo(data.encode());
    ResumeData empty = new ResumeData(hash(2, 32), 0, new BitSet(), List.of());
    assertThat(ResumeData.decode(empty.encode(), "test")).isEqualTo(empty);
  }

  @Test
  void theEncodingIsTheDocumentedBencodedDictionary() {
    ResumeData data =
        new ResumeData(hash(1, 20), 9, bits(0, 8), List.of(Optional.of(new FileState(5, 7))));
    String expected =
        "d16:bitwright resumei1e5:filesld8:modifiedi7e4:sizei5eee9:info-hash20:"
            + "\1".repeat(20)
            + "11:piece counti9e6:pieces2:\u0080\u0080e";
    assertThat(data.encode()).isEqualTo(expected.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void piecesAreCopiedInAndOut() {
    BitSet pieces = bits(1);
    ResumeData data = new ResumeData(hash(1, 20), 4, pieces, List.of());
    pieces.set(2);
    assertThat(data.pieces()).isEqualTo(bits(1));
    data.pieces().set(3);
    assertThat(data.pieces()).isEqualTo(bits(1));
  }

  @Test
  void theConstructorRejectsInconsistentData() {
    assertThatThrownBy(() -> new ResumeData(hash(1, 20), 3, bits(3), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ResumeData(hash(1, 20), -1, new BitSet(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ResumeData(null, 0, new BitSet(), List.of()))
        .isInstanceOf(NullPointerException.class);
  }

  private static final String HASH = "20:" + "\1".repeat(20);

  static Stream<String> malformed() {
    return Stream.of(
        "",
        "garbage",
        "le",
        "i1e",
        "d16:bitwright resumei2e5:filesle9:info-hash" + HASH + "11:piece counti0e6:pieces0:e",
        "d5:filesle9:info-hash" + HASH + "11:piece counti0e6:pieces0:e",
        "d16:bitwright resumei1e5:filesle9:info-hash" + HASH + "11:piece counti9e6:pieces1:\0e",
        "d16:bitwright resumei1e5:filesle9:info-hash" + HASH + "11:piece counti-1e6:pieces0:e",
        "d16:bitwright resumei1e5:filesle9:info-hash" + HASH + "11:piece count1:16:pieces0:e",
        "d16:bitwright resumei1e5:filesle9:info-hash" + HASH + "11:piece counti8e6:pieces2:\0\0e",
        "d16:bitwright resumei1e5:filesle9:info-hash19:"
            + "\1".repeat(19)
            + "11:piece counti0e6:pieces0:e",
        "d16:bitwright resumei1e5:filesi0e9:info-hash" + HASH + "11:piece counti0e6:pieces0:e",
        "d16:bitwright resumei1e5:filesli0ee9:info-hash" + HASH + "11:piece counti0e6:pieces0:e",
        "d16:bitwright resumei1e5:filesld4:sizei1eee9:info-hash"
            + HASH
            + "11:piece counti0e6:pieces0:e",
        "d16:bitwright resumei1e5:filesld8:modified1:x4:sizei1eee9:info-hash"
            + HASH
            + "11:piece counti0e6:pieces0:e",
        "d16:bitwright resumei1e5:filesle9:info-hash" + HASH + "11:piece counti0e6:pieces0:ee",
        "d5:filesle16:bitwright resumei1e9:info-hash" + HASH + "11:piece counti0e6:pieces0:e",
        "d16:bitwright resumei1e5:filesle9:info-hashi0e11:piece counti0e6:pieces0:e",
        "d16:bitwright resumei1e5:filesle9:info-hash"
            + HASH
            + "11:piece counti9999999999e6:pieces0:e");
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void malformedInputIsRejectedWithAStorageException(String input) {
    byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
    StorageException e =
        catchThrowableOfType(StorageException.class, () -> ResumeData.decode(bytes, "the source"));
    assertThat(e).as("decoding %s", input).isNotNull();
    assertThat(e.operation()).isEqualTo("read");
    assertThat(e.file()).isEqualTo("the source");
    assertThat(e.getMessage()).contains("invalid resume data");
  }

  @Test
  void theMinimalValidInputDecodes() throws StorageException {
    byte[] bytes =
        ("d16:bitwright resumei1e5:filesle9:info-hash" + HASH + "11:piece counti0e6:pieces0:e")
            .getBytes(StandardCharsets.ISO_8859_1);
    assertThat(ResumeData.decode(bytes, "x"))
        .isEqualTo(new ResumeData(hash(1, 20), 0, new BitSet(), List.of()));
  }

  @Test
  void spareBitsAreRejected() {
    byte[] bytes =
        ("d16:bitwright resumei1e5:filesle9:info-hash"
                + HASH
                + "11:piece counti3e6:pieces1:\u00FFe")
            .getBytes(StandardCharsets.ISO_8859_1);
    assertThat(catchThrowableOfType(StorageException.class, () -> ResumeData.decode(bytes, "x")))
        .isNotNull();
  }

  @Test
  void writeAndReadRoundTripThroughAFile() throws IOException {
    Path file = dir.resolve("sub/folder/t.resume");
    ResumeData data = sample();
    data.write(file);
    assertThat(ResumeData.read(file)).contains(data);
    assertThat(file).hasBinaryContent(data.encode());
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void writingOverAnExistingFileReplacesIt() throws IOException {
    Path file = dir.resolve("t.resume");
    Files.writeString(
        file, "old content that is longer than the new resume data, much longer ".repeat(10));
    ResumeData first = sample();
    first.write(file);
    ResumeData second = new ResumeData(hash(3, 32), 2, bits(1), List.of(Optional.empty()));
    second.write(file);
    assertThat(ResumeData.read(file)).contains(second);
    assertThat(file).hasBinaryContent(second.encode());
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  private List<Path> leftovers() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
    }
  }

  @Test
  void readingAMissingFileIsEmpty() throws IOException {
    assertThat(ResumeData.read(dir.resolve("missing.resume"))).isEmpty();
  }

  @Test
  void readingAFolderOrAMalformedFileFailsNamingTheFile() throws IOException {
    StorageException folder =
        catchThrowableOfType(StorageException.class, () -> ResumeData.read(dir));
    assertThat(folder).isNotNull();
    assertThat(folder.file()).isEqualTo(dir.toString());
    Path bad = Files.writeString(dir.resolve("bad.resume"), "d3:fooe");
    StorageException malformed =
        catchThrowableOfType(StorageException.class, () -> ResumeData.read(bad));
    assertThat(malformed).isNotNull();
    assertThat(malformed.file()).isEqualTo(bad.toString());
  }

  @Test
  void aFileLargerThanTheLimitIsRejected() throws IOException {
    Path huge = dir.resolve("huge.resume");
    try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
      f.setLength(ResumeData.MAX_SIZE + 1L); // sparse
    }
    StorageException e = catchThrowableOfType(StorageException.class, () -> ResumeData.read(huge));
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("too large");
  }

  @Test
  void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
    Path blocker = Files.writeString(dir.resolve("not-a-folder"), "x");
    StorageException e =
        catchThrowableOfType(
            StorageException.class, () -> sample().write(blocker.resolve("t.resume")));
    assertThat(e).isNotNull();
    assertThat(e.operation()).isEqualTo("write");
    assertThat(blocker).hasContent("x");

    // A folder where the resume file should be: the rename fails, the temporary file is removed.
    Path taken = Files.createDirectories(dir.resolve("taken.resume"));
    Files.writeString(taken.resolve("keep"), "keep");
    assertThat(catchThrowableOfType(StorageException.class, () -> sample().write(taken)))
        .isNotNull();
    assertThat(taken.resolve("keep")).hasContent("keep");
    assertThat(leftovers()).isEmpty();
  }
}
