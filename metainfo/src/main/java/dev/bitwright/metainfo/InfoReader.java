package dev.bitwright.metainfo;

import static dev.bitwright.metainfo.internal.Fields.asDictionary;

import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeInteger;
import dev.bitwright.bencode.BencodeList;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.bencode.BencodeValue;
import dev.bitwright.metainfo.FileTreeReader.TreeFile;
import dev.bitwright.metainfo.internal.Fields;
import dev.bitwright.metainfo.internal.PathRules;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads and validates an info dictionary of any version. */
final class InfoReader {
  static final int MIN_PIECE_LENGTH = 16 * 1024;
  static final int MAX_PIECE_LENGTH = 256 * 1024 * 1024;
  private static final String LEGACY_PADDING_PREFIX = "_____padding_file_";

  private InfoReader() {}

  static InfoContent read(Fields info) throws MetainfoException {
    String name = name(info);
    int pieceLength = pieceLength(info);
    Optional<Long> metaVersion = info.optionalInteger("meta version");
    if (metaVersion.isPresent() && metaVersion.get() != 2) {
      throw new MetainfoException(
          info.field("meta version"), "unsupported meta version " + metaVersion.get());
    }
    boolean hasV2 = metaVersion.isPresent();
    Optional<BencodeString> pieces = info.optionalString("pieces");
    Optional<BencodeDictionary> fileTree = info.optionalDictionary("file tree");
    if (hasV2 && fileTree.isEmpty()) {
      throw new MetainfoException(info.field("file tree"), "missing in a v2 torrent");
    }
    if (!hasV2 && pieces.isEmpty()) {
      throw new MetainfoException(info.field("pieces"), "missing");
    }
    TorrentVersion version =
        !hasV2 ? TorrentVersion.V1 : pieces.isPresent() ? TorrentVersion.HYBRID : TorrentVersion.V2;
    boolean isPrivate = info.optional("private").filter(v -> isOne(v)).isPresent();
    Optional<String> source = info.lenientText("source");

    List<TreeFile> treeFiles =
        hasV2 ? FileTreeReader.read(fileTree.get(), info.field("file tree")) : List.of();
    List<FileEntry> files;
    boolean singleFile;
    if (pieces.isPresent()) {
      singleFile = !info.dictionary().containsKey("files");
      files = singleFile ? List.of(singleV1File(info, name)) : v1Files(info);
      if (hasV2) {
        files = attachRoots(files, treeFiles, info.field("file tree"));
      }
    } else {
      singleFile = treeFiles.size() == 1 && treeFiles.get(0).path().size() == 1;
      files = alignedV2Files(treeFiles, pieceLength);
    }
    long total = totalLength(files);
    if (total == 0) {
      throw new MetainfoException(info.field(singleFile ? "length" : "files"), "no data");
    }
    long v2Pieces = 0;
    for (TreeFile f : treeFiles) {
      v2Pieces += ceilDiv(f.length(), pieceLength);
    }
    long pieceCount = pieces.isPresent() ? ceilDiv(total, pieceLength) : v2Pieces;
    if (pieceCount > Integer.MAX_VALUE) {
      throw new MetainfoException(info.field("piece length"), "too many pieces");
    }
    byte[] pieceHashes = new byte[0];
    if (pieces.isPresent()) {
      pieceHashes = pieces.get().bytes();
      if (pieceHashes.length % 20 != 0 || pieceHashes.length / 20 != pieceCount) {
        throw new MetainfoException(
            info.field("pieces"),
            "holds "
                + pieceHashes.length
                + " bytes, expected 20 for each of "
                + pieceCount
                + " pieces");
      }
      if (hasV2) {
        checkHybridAlignment(files, pieceLength, pieceCount, v2Pieces, info);
      }
    }
    if (!singleFile) {
      checkNoCollisions(files, info.field("files"));
    }
    return new InfoContent(
        version,
        name,
        pieceLength,
        (int) pieceCount,
        total,
        List.copyOf(files),
        pieceHashes,
        singleFile,
        isPrivate,
        source);
  }

  private static boolean isOne(BencodeValue value) {
    return value instanceof BencodeInteger i && i.value() == 1;
  }

  private static String name(Fields info) throws MetainfoException {
    Optional<String> utf8 = info.lenientText("name.utf-8");
    String name = utf8.isPresent() ? utf8.get() : info.string("name").text();
    return PathRules.checkComponent(name, info.field("name"));
  }

  private static int pieceLength(Fields info) throws MetainfoException {
    long length = info.integer("piece length");
    if (length < MIN_PIECE_LENGTH || length > MAX_PIECE_LENGTH || Long.bitCount(length) != 1) {
      throw new MetainfoException(
          info.field("piece length"), length + " is not a power of two between 16 KiB and 256 MiB");
    }
    return (int) length;
  }

  private static FileEntry singleV1File(Fields info, String name) throws MetainfoException {
    if (info.dictionary().containsKey("files")) {
      throw new MetainfoException(info.field("length"), "both 'length' and 'files' present");
    }
    long length = info.integer("length");
    if (length < 0) {
      throw new MetainfoException(info.field("length"), "negative length");
    }
    Set<FileAttribute> attrs = attributes(info);
    // The one file of a single-file torrent is its data: it cannot be padding.
    attrs.remove(FileAttribute.PADDING);
    return new FileEntry(
        List.of(name), length, 0, attrs, symlinkTarget(info, attrs), Optional.empty());
  }

  private static List<FileEntry> v1Files(Fields info) throws MetainfoException {
    if (info.dictionary().containsKey("length")) {
      throw new MetainfoException(info.field("length"), "both 'length' and 'files' present");
    }
    BencodeList list = info.list("files");
    if (list.size() == 0) {
      throw new MetainfoException(info.field("files"), "no files");
    }
    List<FileEntry> files = new ArrayList<>(list.size());
    long offset = 0;
    for (int i = 0; i < list.size(); i++) {
      String field = info.field("files") + "[" + i + "]";
      Fields file = new Fields(asDictionary(list.get(i), field), field);
      long length = file.integer("length");
      if (length < 0) {
        throw new MetainfoException(file.field("length"), "negative length");
      }
      Optional<BencodeValue> utf8 = file.optional("path.utf-8");
      List<String> path =
          utf8.isPresent() && utf8.get() instanceof BencodeList
              ? TorrentReader.pathComponents(utf8.get(), file.field("path.utf-8"))
              : TorrentReader.pathComponents(
                  file.optional("path").orElse(null), file.field("path"));
      Set<FileAttribute> attrs = attributes(file);
      if (path.get(path.size() - 1).startsWith(LEGACY_PADDING_PREFIX)) {
        attrs.add(FileAttribute.PADDING);
      }
      files.add(
          new FileEntry(path, length, offset, attrs, symlinkTarget(file, attrs), Optional.empty()));
      offset = add(offset, length, file.field("length"));
    }
    return files;
  }

  /** Returns the BEP 47 attributes of a file dictionary, as a mutable set. */
  static Set<FileAttribute> attributes(Fields dict) throws MetainfoException {
    Set<FileAttribute> attrs = EnumSet.noneOf(FileAttribute.class);
    dict.optionalString("attr").ifPresent(s -> attrs.addAll(FileAttribute.parse(s.text())));
    return attrs;
  }

  /** Returns the checked {@code symlink path} of a symbolic link, or an empty list. */
  static List<String> symlinkTarget(Fields dict, Set<FileAttribute> attrs)
      throws MetainfoException {
    if (!attrs.contains(FileAttribute.SYMLINK)) {
      return List.of();
    }
    return TorrentReader.pathComponents(
        dict.optional("symlink path").orElse(null), dict.field("symlink path"));
  }

  /** In a hybrid torrent the v1 files without padding must be the v2 files, in the same order. */
  private static List<FileEntry> attachRoots(
      List<FileEntry> v1, List<TreeFile> tree, String treeField) throws MetainfoException {
    List<FileEntry> merged = new ArrayList<>(v1.size());
    int next = 0;
    for (FileEntry f : v1) {
      if (f.isPadding()) {
        merged.add(f);
        continue;
      }
      if (next >= tree.size()) {
        throw new MetainfoException(treeField, "has fewer files than the v1 file list");
      }
      TreeFile t = tree.get(next++);
      if (!t.path().equals(f.path()) || t.length() != f.length()) {
        throw new MetainfoException(
            treeField, "file " + String.join("/", t.path()) + " does not match the v1 file list");
      }
      merged.add(
          new FileEntry(
              f.path(), f.length(), f.offset(), f.attributes(), f.symlinkTarget(), t.piecesRoot()));
    }
    if (next != tree.size()) {
      throw new MetainfoException(treeField, "has more files than the v1 file list");
    }
    return merged;
  }

  private static List<FileEntry> alignedV2Files(List<TreeFile> tree, int pieceLength)
      throws MetainfoException {
    List<FileEntry> files = new ArrayList<>(tree.size());
    long offset = 0;
    for (TreeFile t : tree) {
      files.add(
          new FileEntry(
              t.path(), t.length(), offset, t.attrs(), t.symlinkTarget(), t.piecesRoot()));
      long end = add(offset, t.length(), "info.file tree");
      offset = add(end, (pieceLength - end % pieceLength) % pieceLength, "info.file tree");
    }
    return files;
  }

  private static void checkHybridAlignment(
      List<FileEntry> files, int pieceLength, long v1Pieces, long v2Pieces, Fields info)
      throws MetainfoException {
    for (int i = 0; i < files.size(); i++) {
      FileEntry f = files.get(i);
      if (!f.isPadding() && f.length() > 0 && f.offset() % pieceLength != 0) {
        throw new MetainfoException(
            info.field("files") + "[" + i + "]", "not aligned to a piece boundary");
      }
    }
    if (v1Pieces != v2Pieces) {
      throw new MetainfoException(
          info.field("pieces"), "v1 and v2 piece counts differ: " + v1Pieces + " / " + v2Pieces);
    }
  }

  /** Rounds up without the overflow of {@code (a + b - 1) / b} for lengths near 2^63. */
  private static long ceilDiv(long a, long b) {
    return a / b + (a % b == 0 ? 0 : 1);
  }

  private static long totalLength(List<FileEntry> files) throws MetainfoException {
    long total = 0;
    for (FileEntry f : files) {
      total = add(total, f.length(), "info");
    }
    return total;
  }

  private static long add(long a, long b, String field) throws MetainfoException {
    try {
      return Math.addExact(a, b);
    } catch (ArithmeticException e) {
      throw new MetainfoException(field, "total length overflows 64 bits");
    }
  }

  /** Two files with one path, or a file where another file's folder is, cannot both be stored. */
  private static void checkNoCollisions(List<FileEntry> files, String field)
      throws MetainfoException {
    Set<String> filePaths = new HashSet<>();
    Set<String> folders = new HashSet<>();
    for (FileEntry f : files) {
      if (f.isPadding()) {
        continue;
      }
      String path = f.pathString();
      if (!filePaths.add(path) || folders.contains(path)) {
        throw new MetainfoException(field, "two entries for the path " + path);
      }
      for (int i = 1; i < f.path().size(); i++) {
        folders.add(String.join("/", f.path().subList(0, i)));
      }
    }
    for (String folder : folders) {
      if (filePaths.contains(folder)) {
        throw new MetainfoException(field, "two entries for the path " + folder);
      }
    }
  }
}
