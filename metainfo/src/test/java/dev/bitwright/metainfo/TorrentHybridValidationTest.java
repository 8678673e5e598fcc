package dev.bitwright.metainfo;

import static dev.bitwright.metainfo.TestTorrents.decode;
import static dev.bitwright.metainfo.TestTorrents.dict;
import static dev.bitwright.metainfo.TestTorrents.dictAt;
import static dev.bitwright.metainfo.TestTorrents.encode;
import static dev.bitwright.metainfo.TestTorrents.list;
import static dev.bitwright.metainfo.TestTorrents.parse;
import static dev.bitwright.metainfo.TestTorrents.rejected;
import static dev.bitwright.metainfo.TestTorrents.root;
import static dev.bitwright.metainfo.TestTorrents.sha1s;
import static dev.bitwright.metainfo.TestTorrents.treeFile;
import static dev.bitwright.metainfo.TestTorrents.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeList;
import dev.bitwright.bencode.BencodeValue;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** A hybrid torrent's v1 file list and v2 file tree must describe the same aligned files. */
class TorrentHybridValidationTest {
  @Test
  void rejectsAHybridWhoseV1FileListDiffersFromTheTree() {
    MetainfoException renamed =
        rejected(
            tamperHybridFiles(
                files -> setEntry(files, 0, dict("length", 1, "path", list("b.txt")))));
    assertThat(renamed.field()).contains("info.file tree");
    assertThat(renamed.getMessage()).contains("does not match");
    rejected(
        tamperHybridFiles(files -> setEntry(files, 0, dict("length", 2, "path", list("a.txt")))),
        "info.file tree");
    BencodeDictionary extra = dict("length", 0, "path", list("zz"));
    MetainfoException more = rejected(tamperHybridFiles(files -> append(files, extra)));
    assertThat(more.getMessage()).contains("fewer files");
  }

  @Test
  void rejectsAHybridWhoseTreeHasMoreFilesThanTheV1List() {
    BencodeDictionary root = decode(Golden.named("lt-hybrid-multi.torrent").bytes());
    BencodeDictionary info = dictAt(root, "info");
    BencodeDictionary tree = with(dictAt(info, "file tree"), "zz", treeFile(0, null));
    MetainfoException e = rejected(encode(with(root, "info", with(info, "file tree", tree))));
    assertThat(e.field()).contains("info.file tree");
    assertThat(e.getMessage()).contains("more files");
  }

  @Test
  void rejectsAHybridWhoseFilesAreNotAlignedToPieces() {
    MetainfoException e = rejected(tamperHybridFiles(files -> remove(files, 1)));
    assertThat(e.field()).hasValueSatisfying(f -> assertThat(f).startsWith("info.files["));
    assertThat(e.getMessage()).contains("not aligned");
  }

  @Test
  void rejectsAHybridWhoseV1AndV2PieceCountsDiffer() {
    BencodeDictionary pad = dict("attr", "p", "length", 32768, "path", list(".pad", "32768"));
    BencodeDictionary root = decode(Golden.named("lt-hybrid-multi.torrent").bytes());
    BencodeDictionary info = dictAt(root, "info");
    info = with(info, "files", append((BencodeList) info.get("files").orElseThrow(), pad));
    info = with(info, "pieces", sha1s(8));
    MetainfoException e = rejected(encode(with(root, "info", info)), "info.pieces");
    assertThat(e.getMessage()).contains("differ");
  }

  @Test
  void acceptsAHybridWithoutTheTrailingPaddingFile() {
    Torrent t = parse(tamperHybridFiles(files -> remove(files, files.size() - 1)));
    assertThat(t.version()).isEqualTo(TorrentVersion.HYBRID);
    assertThat(t.pieceCount()).isEqualTo(7);
  }

  @Test
  void rejectsASingleFileHybridWhoseNameDiffersFromTheTree() {
    BencodeDictionary root = decode(Golden.named("lt-hybrid-single.torrent").bytes());
    BencodeDictionary info = with(dictAt(root, "info"), "name", "other.bin");
    rejected(encode(with(root, "info", info)), "info.file tree");
  }

  private static byte[] tamperHybridFiles(UnaryOperator<BencodeList> change) {
    BencodeDictionary root = decode(Golden.named("lt-hybrid-multi.torrent").bytes());
    BencodeDictionary info = dictAt(root, "info");
    BencodeList files = (BencodeList) info.get("files").orElseThrow();
    return encode(with(root, "info", with(info, "files", change.apply(files))));
  }

  private static BencodeList setEntry(BencodeList list, int index, BencodeValue value) {
    List<BencodeValue> values = new ArrayList<>(list.values());
    values.set(index, value);
    return new BencodeList(values);
  }

  private static BencodeList append(BencodeList list, BencodeValue value) {
    List<BencodeValue> values = new ArrayList<>(list.values());
    values.add(value);
    return new BencodeList(values);
  }

  private static BencodeList remove(BencodeList list, int index) {
    List<BencodeValue> values = new ArrayList<>(list.values());
    values.remove(index);
    return new BencodeList(values);
  }
}
