package dev.bitwright.metainfo;

import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeList;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.bencode.BencodeValue;
import dev.bitwright.metainfo.internal.PieceHasher;
import dev.bitwright.metainfo.internal.SourceFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes the info dictionary of a new torrent, with the keys libtorrent and mktorrent write. */
final class InfoWriter {
  private InfoWriter() {}

  static BencodeDictionary info(
      String name,
      int pieceLength,
      TorrentVersion version,
      boolean singleFile,
      boolean isPrivate,
      List<SourceFile> files,
      PieceHasher.Result hashes) {
    BencodeDictionary.Builder info =
        BencodeDictionary.builder().put("name", name).put("piece length", pieceLength);
    if (isPrivate) {
      info.put("private", 1);
    }
    if (version.hasV1()) {
      info.put("pieces", hashes.v1Pieces());
      if (singleFile) {
        info.put("length", files.get(0).length());
      } else {
        info.put("files", v1Files(files, pieceLength, version == TorrentVersion.HYBRID));
      }
    }
    if (version.hasV2()) {
      info.put("meta version", 2);
      info.put("file tree", fileTree(files, hashes));
    }
    return info.build();
  }

  private static BencodeList v1Files(List<SourceFile> files, int pieceLength, boolean pad) {
    List<BencodeValue> list = new ArrayList<>();
    for (SourceFile f : files) {
      list.add(
          BencodeDictionary.builder()
              .put("length", f.length())
              .put("path", TorrentBuilder.strings(f.path()))
              .build());
      long tail = f.length() % pieceLength;
      if (pad && tail != 0) {
        long padding = pieceLength - tail;
        list.add(
            BencodeDictionary.builder()
                .put("attr", "p")
                .put("length", padding)
                .put("path", TorrentBuilder.strings(List.of(".pad", Long.toString(padding))))
                .build());
      }
    }
    return new BencodeList(list);
  }

  /** Nested dictionaries, one level per path component, each file under the empty key. */
  private static BencodeDictionary fileTree(List<SourceFile> files, PieceHasher.Result hashes) {
    Map<String, Object> tree = new LinkedHashMap<>();
    for (int i = 0; i < files.size(); i++) {
      SourceFile f = files.get(i);
      Map<String, Object> node = tree;
      for (String component : f.path()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> child =
            (Map<String, Object>) node.computeIfAbsent(component, k -> new LinkedHashMap<>());
        node = child;
      }
      BencodeDictionary.Builder leaf = BencodeDictionary.builder().put("length", f.length());
      byte[] root = hashes.roots().get(i);
      if (f.length() > 0) {
        leaf.put("pieces root", BencodeString.of(root));
      }
      node.put("", leaf.build());
    }
    return toDictionary(tree);
  }

  private static BencodeDictionary toDictionary(Map<String, Object> node) {
    BencodeDictionary.Builder dict = BencodeDictionary.builder();
    for (Map.Entry<String, Object> e : node.entrySet()) {
      if (e.getValue() instanceof BencodeDictionary leaf) {
        dict.put(e.getKey(), leaf);
      } else {
        @SuppressWarnings("unchecked")
        Map<String, Object> child = (Map<String, Object>) e.getValue();
        dict.put(e.getKey(), toDictionary(child));
      }
    }
    return dict.build();
  }
}
