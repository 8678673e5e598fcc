package dev.bitwright.storage;

import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeEncoder;
import dev.bitwright.bencode.BencodeList;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.bencode.BencodeValue;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.metainfo.TorrentVersion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Torrents and data for the storage tests: torrents made in code and torrents of real data. */
final class Fixtures {
  static final int KIB = 1024;
  static final int BLOCK = 16 * KIB;

  private Fixtures() {}

  /** A file of a torrent made in code. */
  record Spec(List<String> path, long length, boolean padding) {
    static Spec file(long length, String... path) {
      return new Spec(List.of(path), length, false);
    }

    static Spec pad(long length, int index) {
      return new Spec(List.of(".pad", index + "-" + length), length, true);
    }
  }

  /** Files named f0000, f0001... of the given lengths. */
  static List<Spec> files(long... lengths) {
    List<Spec> specs = new ArrayList<>();
    for (int i = 0; i < lengths.length; i++) {
      specs.add(Spec.file(lengths[i], name(i)));
    }
    return specs;
  }

  /** The name of file {@code i}: f0000, f0001... (sorted as numbered). */
  static String name(int i) {
    return String.format(Locale.ROOT, "f%04d", i);
  }

  static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  static byte[] random(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private static BencodeList strings(List<String> values) {
    List<BencodeValue> list = new ArrayList<>();
    for (String v : values) {
      list.add(BencodeString.of(v));
    }
    return new BencodeList(list);
  }

  private static BencodeList v1FileList(List<Spec> files) {
    List<BencodeValue> list = new ArrayList<>();
    for (Spec f : files) {
      BencodeDictionary.Builder d =
          BencodeDictionary.builder().put("length", f.length()).put("path", strings(f.path()));
      if (f.padding()) {
        d.put("attr", "p");
      }
      list.add(d.build());
    }
    return new BencodeList(list);
  }

  /** The info dictionary of a multi-file v1 torrent with random piece hashes. */
  static BencodeDictionary v1Info(String name, int pieceLength, List<Spec> files, Random random) {
    long total = files.stream().mapToLong(Spec::length).sum();
    int pieces = (int) ceilDiv(total, pieceLength);
    return BencodeDictionary.builder()
        .put("name", name)
        .put("piece length", pieceLength)
        .put("files", v1FileList(files))
        .put("pieces", random(random, pieces * 20))
        .build();
  }

  /** A multi-file v1 torrent with random piece hashes (its data never verifies). */
  static Torrent v1(String name, int pieceLength, List<Spec> files, Random random)
      throws IOException {
    return Torrent.parseInfo(BencodeEncoder.encode(v1Info(name, pieceLength, files, random)));
  }

  /** A multi-file v1 torrent named "t" of files f0000... with random piece hashes. */
  static Torrent v1(int pieceLength, long... lengths) throws IOException {
    return v1("t", pieceLength, files(lengths), new Random(lengths.length));
  }

  /** A single-file v1 torrent with random piece hashes. */
  static Torrent v1Single(String name, int pieceLength, long length, Random random)
      throws IOException {
    BencodeDictionary info =
        BencodeDictionary.builder()
            .put("name", name)
            .put("piece length", pieceLength)
            .put("length", length)
            .put("pieces", random(random, (int) ceilDiv(length, pieceLength) * 20))
            .build();
    return Torrent.parseInfo(BencodeEncoder.encode(info));
  }

  /** A v2 file tree of the (non-padding) files with random pieces roots. */
  static BencodeDictionary fileTree(List<Spec> files, Random random) {
    Map<String, Object> root = new TreeMap<>();
    for (Spec f : files) {
      Map<String, Object> dir = root;
      for (String component : f.path().subList(0, f.path().size() - 1)) {
        @SuppressWarnings("unchecked")
        Map<String, Object> sub =
            (Map<String, Object>) dir.computeIfAbsent(component, k -> new TreeMap<>());
        dir = sub;
      }
      BencodeDictionary.Builder leaf = BencodeDictionary.builder().put("length", f.length());
      if (f.length() > 0) {
        leaf.put("pieces root", random(random, 32));
      }
      dir.put(
          f.path().get(f.path().size() - 1),
          BencodeDictionary.builder().put("", leaf.build()).build());
    }
    return tree(root);
  }

  private static BencodeDictionary tree(Map<String, Object> node) {
    BencodeDictionary.Builder b = BencodeDictionary.builder();
    for (Map.Entry<String, Object> e : node.entrySet()) {
      if (e.getValue() instanceof BencodeDictionary d) {
        b.put(e.getKey(), d);
      } else {
        @SuppressWarnings("unchecked")
        Map<String, Object> sub = (Map<String, Object>) e.getValue();
        b.put(e.getKey(), tree(sub));
      }
    }
    return b.build();
  }

  /**
   * A v2-only torrent read as a bare info dictionary (no piece layers), with random pieces roots.
   */
  static Torrent v2Info(String name, int pieceLength, List<Spec> files, Random random)
      throws IOException {
    BencodeDictionary info =
        BencodeDictionary.builder()
            .put("name", name)
            .put("piece length", pieceLength)
            .put("meta version", 2)
            .put("file tree", fileTree(files, random))
            .build();
    return Torrent.parseInfo(BencodeEncoder.encode(info));
  }

  /**
   * A hybrid torrent read as a bare info dictionary: every non-empty file but the last is followed
   * by a padding file up to the next piece boundary. The files must be given in torrent order.
   */
  static Torrent hybridInfo(String name, int pieceLength, List<Spec> files, Random random)
      throws IOException {
    List<Spec> v1 = new ArrayList<>();
    int lastData = -1;
    for (int i = 0; i < files.size(); i++) {
      if (files.get(i).length() > 0) {
        lastData = i;
      }
    }
    for (int i = 0; i < files.size(); i++) {
      Spec f = files.get(i);
      v1.add(f);
      long tail = f.length() % pieceLength;
      if (i < lastData && tail != 0) {
        v1.add(Spec.pad(pieceLength - tail, i));
      }
    }
    long total = v1.stream().mapToLong(Spec::length).sum();
    BencodeDictionary info =
        BencodeDictionary.builder()
            .put("name", name)
            .put("piece length", pieceLength)
            .put("meta version", 2)
            .put("file tree", fileTree(files, random))
            .put("files", v1FileList(v1))
            .put("pieces", random(random, (int) ceilDiv(total, pieceLength) * 20))
            .build();
    return Torrent.parseInfo(BencodeEncoder.encode(info));
  }

  /**
   * Writes files {@code f00}, {@code f01}... of the given sizes, with random bytes, to {@code
   * folder/name} and returns the torrent built from them. Storage on {@code folder} then holds
   * every piece.
   */
  static Torrent build(
      Path folder, String name, TorrentVersion version, int pieceLength, long seed, int... sizes)
      throws IOException {
    Path source = folder.resolve(name);
    Files.createDirectories(source);
    Random random = new Random(seed);
    for (int i = 0; i < sizes.length; i++) {
      String file = String.format(Locale.ROOT, "f%02d", i);
      Files.write(source.resolve(file), random(random, sizes[i]));
    }
    return TorrentBuilder.create(source)
        .version(version)
        .pieceLength(pieceLength)
        .parallelism(1)
        .build();
  }

  /** Returns the bytes of piece {@code piece} of {@code store}. */
  static byte[] readPiece(PieceStore store, int piece) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(store.map().pieceSize(piece));
    store.readBlock(piece, 0, buffer);
    return buffer.array();
  }

  /** Copies piece {@code piece} from one store to another in blocks of 16 KiB. */
  static void copyPiece(PieceStore from, PieceStore to, int piece) throws IOException {
    byte[] bytes = readPiece(from, piece);
    for (int offset = 0; offset < bytes.length; offset += BLOCK) {
      to.writeBlock(
          piece, offset, ByteBuffer.wrap(bytes, offset, Math.min(BLOCK, bytes.length - offset)));
    }
  }

  /** Copies every piece. */
  static void copyAll(PieceStore from, PieceStore to) throws IOException {
    for (int p = 0; p < from.map().pieceCount(); p++) {
      copyPiece(from, to, p);
    }
  }
}
