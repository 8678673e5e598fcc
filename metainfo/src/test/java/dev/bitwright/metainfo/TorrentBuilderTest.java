package dev.bitwright.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The builder's options and its errors. */
class TorrentBuilderTest {
  private static final int BLOCK = 16 * 1024;

  @TempDir Path dir;

  private Path file(String relative, int length) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    byte[] content = new byte[length];
    for (int i = 0; i < length; i++) {
      content[i] = (byte) (i * 31 + relative.length());
    }
    return Files.write(file, content);
  }

  private Path folder() throws IOException {
    file("folder/a.bin", 3 * BLOCK + 5);
    file("folder/b/c.bin", 100);
    file("folder/b/empty", 0);
    file("folder/d.bin", 5 * BLOCK);
    return dir.resolve("folder");
  }

  @ParameterizedTest
  @EnumSource(TorrentVersion.class)
  void reportsMonotonicProgressEndingAtTheTotal(TorrentVersion version) throws Exception {
    Path folder = folder();
    long total = 3 * BLOCK + 5 + 100 + 5 * BLOCK;
    ExecutorService executor = Executors.newFixedThreadPool(3);
    try {
      for (int lanes : List.of(1, 4)) {
        List<long[]> calls = Collections.synchronizedList(new ArrayList<>());
        TorrentBuilder.create(folder)
            .version(version)
            .pieceLength(BLOCK)
            .parallelism(lanes)
            .executor(executor)
            .progressListener((done, all) -> calls.add(new long[] {done, all}))
            .build();
        assertThat(calls).isNotEmpty();
        for (int i = 0; i < calls.size(); i++) {
          assertThat(calls.get(i)[1]).isEqualTo(total);
          if (i > 0) {
            assertThat(calls.get(i)[0]).isGreaterThan(calls.get(i - 1)[0]);
          }
        }
        assertThat(calls.get(calls.size() - 1)[0]).isEqualTo(total);
      }
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void writesTrackersWebSeedsAndTextThatParseBack() throws Exception {
    Torrent t =
        TorrentBuilder.create(folder())
            .addTrackerTier("http://a/announce", "http://b/announce")
            .addTrackerTier(List.of("udp://c:80"))
            .addWebSeed("http://w1/")
            .addWebSeed("http://w2/")
            .comment("a comment")
            .createdBy("bitwright test")
            .creationDate(Instant.ofEpochSecond(1_700_000_000))
            .privateFlag(true)
            .build();
    for (Torrent read : List.of(t, Torrent.parse(t.toBytes()))) {
      assertThat(read.trackers())
          .containsExactly(
              List.of("http://a/announce", "http://b/announce"), List.of("udp://c:80"));
      assertThat(read.webSeeds()).containsExactly("http://w1/", "http://w2/");
      assertThat(read.comment()).contains("a comment");
      assertThat(read.createdBy()).contains("bitwright test");
      assertThat(read.creationDate()).contains(Instant.ofEpochSecond(1_700_000_000));
      assertThat(read.isPrivate()).isTrue();
      assertThat(read.dictionary().get("announce").orElseThrow().toString())
          .contains("http://a/announce");
    }
    Torrent plain = TorrentBuilder.create(folder()).build();
    assertThat(plain.isPrivate()).isFalse();
    assertThat(plain.trackers()).isEmpty();
    assertThat(plain.webSeeds()).isEmpty();
    assertThat(plain.comment()).isEmpty();
    assertThat(plain.creationDate()).isEmpty();
    assertThat(plain.dictionary().entries().keySet())
        .extracting(k -> k.text())
        .containsExactly("info");
    assertThat(t.infoHashes()).isNotEqualTo(plain.infoHashes());
  }

  @Test
  void aSingleTrackerNeedsNoAnnounceList() throws Exception {
    Torrent one = TorrentBuilder.create(folder()).addTrackerTier("http://only/").build();
    assertThat(one.dictionary().containsKey("announce")).isTrue();
    assertThat(one.dictionary().containsKey("announce-list")).isFalse();
    assertThat(one.trackers()).containsExactly(List.of("http://only/"));
    Torrent two =
        TorrentBuilder.create(folder())
            .addTrackerTier("http://a/")
            .addTrackerTier("http://b/")
            .build();
    assertThat(two.dictionary().containsKey("announce-list")).isTrue();
    assertThat(two.trackers()).containsExactly(List.of("http://a/"), List.of("http://b/"));
  }

  @Test
  void choosesAPieceLengthAutomatically() throws Exception {
    Torrent small = TorrentBuilder.create(file("small.bin", 100_000)).pieceLength(0).build();
    assertThat(small.pieceLength()).isEqualTo(BLOCK);
    assertThat(small.pieceCount()).isEqualTo(7);
    assertThat(TorrentBuilder.automaticPieceLength(1)).isEqualTo(BLOCK);
    assertThat(TorrentBuilder.automaticPieceLength(2048L * BLOCK)).isEqualTo(BLOCK);
    assertThat(TorrentBuilder.automaticPieceLength(2048L * BLOCK + 1)).isEqualTo(2 * BLOCK);
    assertThat(TorrentBuilder.automaticPieceLength(1L << 40)).isEqualTo(16 * 1024 * 1024);
    for (long total = 1; total < 1L << 45; total = total * 3 + 7) {
      int length = TorrentBuilder.automaticPieceLength(total);
      assertThat(Integer.bitCount(length)).isEqualTo(1);
      assertThat(length).isBetween(BLOCK, 16 * 1024 * 1024);
      if (length < 16 * 1024 * 1024) {
        assertThat((total + length - 1) / length).isLessThanOrEqualTo(2048);
      }
      if (length > BLOCK) {
        assertThat((total + length / 2 - 1) / (length / 2)).isGreaterThan(2048);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1000, 1, -1, -16384, 8192, 16383, 16385, 3 * 16384, 512 * 1024 * 1024})
  void rejectsAnInvalidPieceLength(int pieceLength) {
    assertThatThrownBy(() -> TorrentBuilder.create(dir).pieceLength(pieceLength))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsOtherInvalidOptions() {
    TorrentBuilder builder = TorrentBuilder.create(dir);
    assertThatThrownBy(() -> builder.parallelism(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.addTrackerTier(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.addTrackerTier("http://a/", " "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.addWebSeed("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TorrentBuilder.create(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> builder.version(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void rejectsSourcesWithoutData() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty/sub/deeper"));
    assertThatThrownBy(() -> TorrentBuilder.create(dir.resolve("empty")).build())
        .isInstanceOf(MetainfoException.class);
    file("zeros/a", 0);
    file("zeros/b/c", 0);
    for (TorrentVersion version : TorrentVersion.values()) {
      assertThatThrownBy(() -> TorrentBuilder.create(dir.resolve("zeros")).version(version).build())
          .isInstanceOf(MetainfoException.class)
          .hasMessageContaining("no data");
    }
    assertThatThrownBy(() -> TorrentBuilder.create(file("zero.bin", 0)).build())
        .isInstanceOf(MetainfoException.class);
    assertThatThrownBy(() -> TorrentBuilder.create(empty.resolve("missing")).build())
        .isInstanceOf(IOException.class);
  }

  @Test
  void rejectsAFileNameWithABackslash() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("bs"));
    file("bs/ok.bin", 10);
    Files.write(Files.createFile(folder.resolve("a\\b")), new byte[] {1, 2, 3});
    assertThatThrownBy(() -> TorrentBuilder.create(folder).build())
        .isInstanceOf(MetainfoException.class)
        .hasMessageContaining("U+005C");
  }

  @Test
  void usesTheGivenName() throws Exception {
    Torrent multi = TorrentBuilder.create(folder()).name("custom").build();
    assertThat(multi.name()).isEqualTo("custom");
    assertThat(multi.downloadPath(multi.files().get(0))).startsWith("custom");
    Torrent single = TorrentBuilder.create(file("x.bin", 10)).name("custom.bin").build();
    assertThat(single.name()).isEqualTo("custom.bin");
    assertThat(single.files().get(0).path()).containsExactly("custom.bin");
    assertThat(TorrentBuilder.create(file("y.bin", 10)).build().name()).isEqualTo("y.bin");
    for (String bad : List.of("a/b", "..", "", "a\\b")) {
      assertThatThrownBy(() -> TorrentBuilder.create(folder()).name(bad).build())
          .isInstanceOf(MetainfoException.class);
    }
  }

  @Test
  void aFolderWithOneFileIsAMultiFileTorrent() throws Exception {
    file("one/only.bin", 10);
    Torrent t = TorrentBuilder.create(dir.resolve("one")).build();
    assertThat(t.isSingleFile()).isFalse();
    assertThat(t.name()).isEqualTo("one");
    assertThat(t.downloadPath(t.files().get(0))).containsExactly("one", "only.bin");
  }

  @Test
  void padsHybridFoldersButNotSingleFiles() throws Exception {
    Torrent folder =
        TorrentBuilder.create(folder()).version(TorrentVersion.HYBRID).pieceLength(BLOCK).build();
    assertThat(folder.files())
        .extracting(FileEntry::pathString)
        .containsExactly("a.bin", ".pad/16379", "b/c.bin", ".pad/16284", "b/empty", "d.bin");
    assertThat(folder.totalLength()).isEqualTo(10L * BLOCK);
    Torrent single =
        TorrentBuilder.create(file("s.bin", BLOCK + 1))
            .version(TorrentVersion.HYBRID)
            .pieceLength(BLOCK)
            .build();
    assertThat(single.files()).singleElement().satisfies(f -> assertThat(f.isPadding()).isFalse());
    assertThat(single.version()).isEqualTo(TorrentVersion.HYBRID);
    assertThat(single.pieceCount()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(
      value = TorrentVersion.class,
      names = {"V2", "HYBRID"})
  void filesWithTheSameContentShareOnePieceLayer(TorrentVersion version) throws Exception {
    file("dup/a.bin", 3 * BLOCK);
    file("dup/b.bin", 3 * BLOCK);
    Torrent t =
        TorrentBuilder.create(dir.resolve("dup")).version(version).pieceLength(BLOCK).build();
    List<FileEntry> real = t.files().stream().filter(f -> !f.isPadding()).toList();
    assertThat(real.get(0).piecesRoot()).isEqualTo(real.get(1).piecesRoot()).isPresent();
    assertThat(t.pieceLayer(real.get(0).piecesRoot().orElseThrow())).isPresent();
    assertThat(Torrent.parse(t.toBytes()).infoHashes()).isEqualTo(t.infoHashes());
  }

  @Test
  void hashesOnTheCallingThreadWhenTheExecutorRunsTasksInline() throws Exception {
    Path folder = folder();
    for (TorrentVersion version : TorrentVersion.values()) {
      Torrent inline =
          TorrentBuilder.create(folder)
              .version(version)
              .parallelism(8)
              .executor(Runnable::run)
              .build();
      Torrent one = TorrentBuilder.create(folder).version(version).parallelism(1).build();
      assertThat(inline.infoBytes()).isEqualTo(one.infoBytes());
    }
  }

  @Test
  void stopsWhenTheCallingThreadIsInterrupted() throws Exception {
    Path folder = folder();
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> TorrentBuilder.create(folder).parallelism(1).build())
          .isInstanceOf(InterruptedIOException.class);
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void failsWhenAFileShrinksWhileHashing() throws Exception {
    file("shrink/a.bin", BLOCK);
    Path b = file("shrink/b.bin", 3 * BLOCK);
    AtomicBoolean truncated = new AtomicBoolean();
    TorrentBuilder builder =
        TorrentBuilder.create(dir.resolve("shrink"))
            .pieceLength(BLOCK)
            .parallelism(1)
            .progressListener(
                (done, total) -> {
                  if (!truncated.getAndSet(true)) {
                    try (FileChannel channel = FileChannel.open(b, StandardOpenOption.WRITE)) {
                      channel.truncate(10);
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  }
                });
    assertThatThrownBy(builder::build)
        .isInstanceOf(EOFException.class)
        .hasMessageContaining("b.bin");
  }
}
