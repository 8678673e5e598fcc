package dev.bitwright.metainfo;

import static dev.bitwright.metainfo.internal.Fields.asDictionary;

import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.bencode.BencodeValue;
import dev.bitwright.metainfo.internal.Fields;
import dev.bitwright.metainfo.internal.PathRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads the BEP 52 {@code file tree}: nested dictionaries whose leaves are keyed by "". */
final class FileTreeReader {
  private static final BencodeString FILE_KEY = BencodeString.of("");

  /** A file as the tree describes it. */
  record TreeFile(
      List<String> path,
      long length,
      Optional<MerkleRoot> piecesRoot,
      Set<FileAttribute> attrs,
      List<String> symlinkTarget) {}

  private FileTreeReader() {}

  static List<TreeFile> read(BencodeDictionary tree, String field) throws MetainfoException {
    List<TreeFile> files = new ArrayList<>();
    walk(tree, new ArrayList<>(), field, files);
    if (files.isEmpty()) {
      throw new MetainfoException(field, "no files");
    }
    return files;
  }

  /** Depth is bounded by the bencode decoder's depth limit. */
  private static void walk(
      BencodeDictionary directory, List<String> prefix, String field, List<TreeFile> out)
      throws MetainfoException {
    for (Map.Entry<BencodeString, BencodeValue> e : directory.entries().entrySet()) {
      String name = e.getKey().text();
      String childField = field + "." + name;
      if (e.getKey().equals(FILE_KEY)) {
        throw new MetainfoException(childField, "file entry mixed with directory entries");
      }
      PathRules.checkComponent(name, childField);
      BencodeDictionary node = asDictionary(e.getValue(), childField);
      List<String> path = new ArrayList<>(prefix);
      path.add(name);
      Optional<BencodeValue> file = node.get(FILE_KEY);
      if (file.isPresent()) {
        if (node.size() != 1) {
          throw new MetainfoException(childField, "file entry mixed with directory entries");
        }
        out.add(file(asDictionary(file.get(), childField + ".\"\""), path, childField));
      } else if (node.size() == 0) {
        throw new MetainfoException(childField, "empty directory");
      } else {
        walk(node, path, childField, out);
      }
    }
  }

  private static TreeFile file(BencodeDictionary dict, List<String> path, String field)
      throws MetainfoException {
    Fields f = new Fields(dict, field);
    long length = f.integer("length");
    if (length < 0) {
      throw new MetainfoException(f.field("length"), "negative length");
    }
    Optional<BencodeString> root = f.optionalString("pieces root");
    if (length > 0 && root.isEmpty()) {
      throw new MetainfoException(f.field("pieces root"), "missing for a non-empty file");
    }
    if (root.isPresent() && root.get().length() != MerkleRoot.LENGTH) {
      throw new MetainfoException(f.field("pieces root"), "must be 32 bytes");
    }
    Set<FileAttribute> attrs = InfoReader.attributes(f);
    // A v2 file tree has no padding files: pieces never span files, so "p" means nothing here.
    attrs.remove(FileAttribute.PADDING);
    Optional<MerkleRoot> piecesRoot =
        root.filter(r -> length > 0).map(r -> new MerkleRoot(r.bytes()));
    return new TreeFile(path, length, piecesRoot, attrs, InfoReader.symlinkTarget(f, attrs));
  }
}
