package dev.bitwright.metainfo;

import static dev.bitwright.metainfo.TestTorrents.dict;
import static dev.bitwright.metainfo.TestTorrents.file;
import static dev.bitwright.metainfo.TestTorrents.list;
import static dev.bitwright.metainfo.TestTorrents.multiInfo;
import static dev.bitwright.metainfo.TestTorrents.parse;
import static dev.bitwright.metainfo.TestTorrents.rejected;
import static dev.bitwright.metainfo.TestTorrents.root;
import static dev.bitwright.metainfo.TestTorrents.singleInfo;
import static dev.bitwright.metainfo.TestTorrents.torrent;
import static dev.bitwright.metainfo.TestTorrents.treeFile;
import static dev.bitwright.metainfo.TestTorrents.v2Info;
import static dev.bitwright.metainfo.TestTorrents.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.bencode.BencodeDictionary;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** No path read from a torrent can leave the download folder, wherever the path comes from. */
class TorrentPathSafetyTest {

  static Stream<String> unsafeComponents() {
    return Stream.of(
        "..",
        ".",
        "",
        "a/b",
        "/",
        "/etc",
        "../x",
        "a\\b",
        "\\",
        "..\\..\\windows",
        "C:\\x",
        "a\0b",
        "\0",
        "name\0.txt");
  }

  static Stream<String> safeComponents() {
    return Stream.of(
        "...", ".hidden", "a..b", "..a", "a b", " ", "日本語.txt", "emoji😀", "con", "∕", "／");
  }

  @ParameterizedTest(name = "[{index}]")
  @MethodSource("unsafeComponents")
  void rejectsAnUnsafeComponentInAV1FilePath(String bad) {
    rejected(torrent(multiInfo(file(1, "ok"), file(1, "dir", bad))), "info.files[1].path");
    rejected(torrent(multiInfo(file(1, bad, "x"))), "info.files[0].path");
  }

  @ParameterizedTest(name = "[{index}]")
  @MethodSource("unsafeComponents")
  void rejectsAnUnsafeComponentInAPathUtf8(String bad) {
    BencodeDictionary entry = dict("length", 1, "path", list("ok"), "path.utf-8", list("dir", bad));
    rejected(torrent(multiInfo(entry)), "info.files[0].path.utf-8");
  }

  @ParameterizedTest(name = "[{index}]")
  @MethodSource("unsafeComponents")
  void rejectsAnUnsafeName(String bad) {
    rejected(torrent(with(singleInfo(), "name", bad)), "info.name");
    rejected(torrent(with(multiInfo(file(1, "a")), "name", bad)), "info.name");
    rejected(torrent(with(singleInfo(), "name.utf-8", bad)), "info.name");
  }

  @ParameterizedTest(name = "[{index}]")
  @MethodSource("unsafeComponents")
  void rejectsAnUnsafeKeyInAV2FileTree(String bad) {
    MetainfoException top =
        rejected(torrent(v2Info(dict("ok", treeFile(1, root(1)), bad, treeFile(1, root(2))))));
    assertThat(top.field()).hasValueSatisfying(f -> assertThat(f).startsWith("info.file tree."));
    MetainfoException nested =
        rejected(torrent(v2Info(dict("dir", dict(bad, treeFile(1, root(1)))))));
    assertThat(nested.field())
        .hasValueSatisfying(f -> assertThat(f).startsWith("info.file tree.dir."));
  }

  @ParameterizedTest(name = "[{index}]")
  @MethodSource("unsafeComponents")
  void rejectsAnUnsafeSymlinkTarget(String bad) {
    BencodeDictionary link =
        dict("attr", "l", "length", 0, "path", list("link"), "symlink path", list("dir", bad));
    rejected(torrent(multiInfo(file(1, "a"), link)), "info.files[1].symlink path");
  }

  @Test
  void rejectsEmptyPathLists() {
    MetainfoException e = rejected(torrent(multiInfo(file(1, new String[0]))));
    assertThat(e.field()).contains("info.files[0].path");
    assertThat(e.getMessage()).contains("empty path");
    BencodeDictionary utf8 = dict("length", 1, "path", list("ok"), "path.utf-8", list());
    rejected(torrent(multiInfo(utf8)), "info.files[0].path.utf-8");
    BencodeDictionary link =
        dict("attr", "l", "length", 0, "path", list("link"), "symlink path", list());
    rejected(torrent(multiInfo(file(1, "a"), link)), "info.files[1].symlink path");
  }

  @Test
  void rejectsMissingOrMistypedPaths() {
    rejected(torrent(multiInfo(dict("length", 1))), "info.files[0].path");
    rejected(torrent(multiInfo(dict("length", 1, "path", "a"))), "info.files[0].path");
    rejected(torrent(multiInfo(dict("length", 1, "path", list(5)))), "info.files[0].path[0]");
    rejected(
        torrent(multiInfo(dict("length", 1, "path", list("a", list("b"))))),
        "info.files[0].path[1]");
    BencodeDictionary link = dict("attr", "l", "length", 0, "path", list("link"));
    rejected(torrent(multiInfo(file(1, "a"), link)), "info.files[1].symlink path");
  }

  @Test
  void aPathUtf8ListTakesPrecedenceOverThePath() {
    BencodeDictionary entry =
        dict("length", 1, "path", list("..", "evil"), "path.utf-8", list("good", "ü.txt"));
    Torrent t = parse(torrent(multiInfo(entry)));
    assertThat(t.files().get(0).path()).containsExactly("good", "ü.txt");
    BencodeDictionary notAList = dict("length", 1, "path", list("plain"), "path.utf-8", "x");
    assertThat(parse(torrent(multiInfo(notAList))).files().get(0).path()).containsExactly("plain");
  }

  @Test
  void acceptsSafeComponentsEverywhere() {
    for (String ok : safeComponents().toList()) {
      assertThat(parse(torrent(multiInfo(file(1, ok, ok)))).files().get(0).path())
          .containsExactly(ok, ok);
      assertThat(parse(torrent(with(singleInfo(), "name", ok))).name()).isEqualTo(ok);
      Torrent v2 = parse(torrent(v2Info(dict(ok, dict(ok, treeFile(1, root(1)))))));
      assertThat(v2.files().get(0).path()).containsExactly(ok, ok);
    }
  }

  @Test
  void invalidUtf8NeverDecodesToASeparatorOrDotDot() {
    byte[] overlongSlash = {'a', (byte) 0xC0, (byte) 0xAF, 'b'};
    byte[] overlongDotDot = {(byte) 0xC0, (byte) 0xAE, (byte) 0xC0, (byte) 0xAE};
    byte[] latin1 = {'c', 'a', 'f', (byte) 0xE9};
    Torrent t =
        parse(
            torrent(
                multiInfo(
                    dict("length", 1, "path", list(overlongSlash)),
                    dict("length", 1, "path", list(overlongDotDot)),
                    dict("length", 1, "path", list(latin1)))));
    for (FileEntry f : t.files()) {
      assertThat(f.path()).singleElement().satisfies(c -> assertThat(c).doesNotContain("/", ".."));
    }
  }

  @Test
  void everyAcceptedPathStaysBelowTheDownloadFolder() {
    Torrent t =
        parse(
            torrent(
                multiInfo(
                    file(1, "a", "b", "c.txt"),
                    file(2, "...", ".x"),
                    file(3, "d", "e..f"),
                    file(4, " ", "日本"))));
    Path base = Path.of("/download").toAbsolutePath();
    for (FileEntry f : t.files()) {
      Path p = base;
      for (String component : t.downloadPath(f)) {
        p = p.resolve(component);
      }
      assertThat(p.normalize()).startsWithRaw(base.resolve("folder"));
      assertThat(p.normalize().getNameCount()).isEqualTo(base.getNameCount() + 1 + f.path().size());
    }
    assertThat(t.name()).isEqualTo("folder");
  }
}
