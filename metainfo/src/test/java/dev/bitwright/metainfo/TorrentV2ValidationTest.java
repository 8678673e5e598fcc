package dev.bitwright.metainfo;

import static dev.bitwright.metainfo.TestTorrents.PIECE;
import static dev.bitwright.metainfo.TestTorrents.dict;
import static dev.bitwright.metainfo.TestTorrents.list;
import static dev.bitwright.metainfo.TestTorrents.parse;
import static dev.bitwright.metainfo.TestTorrents.rejected;
import static dev.bitwright.metainfo.TestTorrents.root;
import static dev.bitwright.metainfo.TestTorrents.torrent;
import static dev.bitwright.metainfo.TestTorrents.treeFile;
import static dev.bitwright.metainfo.TestTorrents.v2Info;
import static dev.bitwright.metainfo.TestTorrents.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.bencode.BencodeDictionary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The BEP 52 file tree and meta version checks. */
class TorrentV2ValidationTest {
  private static final String LEAF = "info.file tree.a.bin";

  @Test
  void readsAHandBuiltV2TorrentWithAlignedOffsets() {
    BencodeDictionary tree =
        dict(
            "a.bin", treeFile(1, root(1)),
            "b.bin", treeFile(PIECE, root(2)),
            "dir", dict("c.bin", treeFile(5, root(3)), "empty", treeFile(0, null)));
    Torrent t = parse(torrent(v2Info(tree)));
    assertThat(t.version()).isEqualTo(TorrentVersion.V2);
    assertThat(t.isSingleFile()).isFalse();
    assertThat(t.files())
        .extracting(FileEntry::pathString)
        .containsExactly("a.bin", "b.bin", "dir/c.bin", "dir/empty");
    assertThat(t.files())
        .extracting(FileEntry::offset)
        .containsExactly(0L, (long) PIECE, 2L * PIECE, 3L * PIECE);
    assertThat(t.pieceCount()).isEqualTo(3);
    assertThat(t.totalLength()).isEqualTo(1 + PIECE + 5);
    assertThat(t.files().get(0).piecesRoot()).contains(new MerkleRoot(root(1)));
    assertThat(t.files().get(3).piecesRoot()).isEmpty();
    assertThat(t.infoHashes().v1()).isEmpty();
    assertThat(t.infoHashes().v2()).isPresent();
  }

  @Test
  void aTreeOfOneTopLevelFileIsASingleFileTorrent() {
    Torrent t = parse(torrent(v2Info(dict("only.bin", treeFile(10, root(1))))));
    assertThat(t.isSingleFile()).isTrue();
    assertThat(t.downloadPath(t.files().get(0))).containsExactly("only.bin");
  }

  @Test
  void readsAttributesOfTreeFiles() {
    BencodeDictionary leaf = dict("attr", "xh", "length", 3, "pieces root", root(1));
    Torrent t = parse(torrent(v2Info(dict("a.bin", dict("", leaf)))));
    assertThat(t.files().get(0).attributes())
        .containsExactlyInAnyOrder(FileAttribute.EXECUTABLE, FileAttribute.HIDDEN);
  }

  @Test
  void anEmptyFileNeedsNoPiecesRootAndKeepsNone() {
    Torrent t =
        parse(torrent(v2Info(dict("a.bin", treeFile(1, root(1)), "e", treeFile(0, root(9))))));
    assertThat(t.files().get(1).piecesRoot()).isEmpty();
  }

  @Test
  void rejectsANonEmptyFileWithoutAPiecesRoot() {
    MetainfoException e =
        rejected(torrent(v2Info(dict("a.bin", treeFile(1, null)))), LEAF + ".pieces root");
    assertThat(e.getMessage()).contains("missing");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 20, 31, 33, 64})
  void rejectsAPiecesRootThatIsNot32Bytes(int length) {
    byte[] badRoot = new byte[length];
    rejected(torrent(v2Info(dict("a.bin", treeFile(1, badRoot)))), LEAF + ".pieces root");
  }

  @Test
  void rejectsMistypedLeaves() {
    BencodeDictionary intRoot = dict("", dict("length", 1, "pieces root", 7));
    rejected(torrent(v2Info(dict("a.bin", intRoot))), LEAF + ".pieces root");
    rejected(torrent(v2Info(dict("a.bin", dict("", dict())))), LEAF + ".length");
    rejected(torrent(v2Info(dict("a.bin", treeFile(-1, root(1))))), LEAF + ".length");
    rejected(torrent(v2Info(dict("a.bin", dict("", "x")))), LEAF + ".\"\"");
    rejected(torrent(v2Info(dict("a.bin", 5))), "info.file tree.a.bin");
    rejected(torrent(v2Info(dict("a.bin", list()))), "info.file tree.a.bin");
  }

  @Test
  void rejectsANodeMixingAFileWithDirectoryEntries() {
    BencodeDictionary mixed =
        dict("", dict("length", 1, "pieces root", root(1)), "x", treeFile(1, root(2)));
    MetainfoException e = rejected(torrent(v2Info(dict("a.bin", mixed))), "info.file tree.a.bin");
    assertThat(e.getMessage()).contains("mixed");
    rejected(torrent(v2Info(dict("", dict("length", 1, "pieces root", root(1))))));
  }

  @Test
  void rejectsEmptyDirectoriesAndEmptyTrees() {
    BencodeDictionary tree = dict("b.bin", treeFile(1, root(1)), "dir", dict());
    assertThat(rejected(torrent(v2Info(tree)), "info.file tree.dir").getMessage())
        .contains("empty directory");
    assertThat(rejected(torrent(v2Info(dict())), "info.file tree").getMessage())
        .contains("no files");
    rejected(torrent(v2Info(dict("d", dict("e", dict())))), "info.file tree.d.e");
  }

  @ParameterizedTest
  @ValueSource(longs = {3, 1, 0, -2, Long.MAX_VALUE})
  void rejectsAnUnsupportedMetaVersion(long version) {
    BencodeDictionary info = with(v2Info(dict("a", treeFile(1, root(1)))), "meta version", version);
    MetainfoException e = rejected(torrent(info), "info.meta version");
    assertThat(e.getMessage()).contains("unsupported meta version " + version);
  }

  @Test
  void rejectsAMistypedMetaVersion() {
    BencodeDictionary info = with(v2Info(dict("a", treeFile(1, root(1)))), "meta version", "2");
    rejected(torrent(info), "info.meta version");
  }

  @Test
  void rejectsMetaVersion2WithoutAFileTree() {
    BencodeDictionary info = with(v2Info(dict("a", treeFile(1, root(1)))), "file tree", null);
    assertThat(rejected(torrent(info), "info.file tree").getMessage()).contains("missing");
    rejected(torrent(with(info, "file tree", list())), "info.file tree");
    rejected(torrent(with(info, "file tree", "tree")), "info.file tree");
  }

  @Test
  void readsAndChecksSymlinkTargetsOfTreeFiles() {
    BencodeDictionary link = dict("attr", "l", "length", 0, "symlink path", list("a"));
    Torrent t = parse(torrent(v2Info(dict("a", treeFile(1, root(1)), "link", dict("", link)))));
    assertThat(t.files().get(1).attributes()).containsExactly(FileAttribute.SYMLINK);
    assertThat(t.files().get(1).symlinkTarget()).containsExactly("a");
    BencodeDictionary escaping = with(link, "symlink path", list("..", "x"));
    rejected(torrent(v2Info(dict("a", treeFile(1, root(1)), "link", dict("", escaping)))));
    BencodeDictionary missing = with(link, "symlink path", null);
    rejected(torrent(v2Info(dict("a", treeFile(1, root(1)), "link", dict("", missing)))));
  }

  @Test
  void aTreeFileIsNeverPadding() throws Exception {
    BencodeDictionary leaf = dict("attr", "px", "length", 5, "pieces root", root(1));
    Torrent t = parse(torrent(v2Info(dict("a", dict("", leaf), "b", treeFile(1, root(2))))));
    assertThat(t.files().get(0).isPadding()).isFalse();
    assertThat(t.files().get(0).attributes()).containsExactly(FileAttribute.EXECUTABLE);
  }
}
