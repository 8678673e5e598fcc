package dev.bitwright.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bitwright.bencode.BencodeDecoder;
import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeEncoder;
import dev.bitwright.bencode.BencodeException;
import dev.bitwright.bencode.BencodeInteger;
import dev.bitwright.bencode.BencodeList;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.bencode.BencodeValue;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/** Builds torrents in code for validation tests: small bencode helpers and valid skeletons. */
final class TestTorrents {
  static final int PIECE = 16 * 1024;
  private static final BencodeDecoder LENIENT =
      BencodeDecoder.builder().allowUnsortedKeys(true).build();

  private TestTorrents() {}

  /** Converts a String (UTF-8), byte[], Integer, Long, List or BencodeValue to bencode. */
  static BencodeValue value(Object o) {
    if (o instanceof BencodeValue v) {
      return v;
    }
    if (o instanceof String s) {
      return BencodeString.of(s);
    }
    if (o instanceof byte[] b) {
      return BencodeString.of(b);
    }
    if (o instanceof Integer i) {
      return BencodeInteger.of(i);
    }
    if (o instanceof Long l) {
      return BencodeInteger.of(l);
    }
    if (o instanceof List<?> l) {
      return list(l.toArray());
    }
    throw new IllegalArgumentException("cannot bencode " + o);
  }

  static BencodeList list(Object... items) {
    List<BencodeValue> values = new ArrayList<>();
    for (Object item : items) {
      values.add(value(item));
    }
    return new BencodeList(values);
  }

  /** A dictionary of alternating keys (String or byte[]) and values. */
  static BencodeDictionary dict(Object... keysAndValues) {
    TreeMap<BencodeString, BencodeValue> entries = new TreeMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      entries.put((BencodeString) value(keysAndValues[i]), value(keysAndValues[i + 1]));
    }
    return new BencodeDictionary(entries);
  }

  /** Returns {@code d} with {@code key} set to {@code value}, or removed if value is null. */
  static BencodeDictionary with(BencodeDictionary d, String key, Object value) {
    TreeMap<BencodeString, BencodeValue> entries = new TreeMap<>(d.entries());
    if (value == null) {
      entries.remove(BencodeString.of(key));
    } else {
      entries.put(BencodeString.of(key), value(value));
    }
    return new BencodeDictionary(entries);
  }

  static BencodeDictionary dictAt(BencodeDictionary d, String key) {
    return (BencodeDictionary) d.get(key).orElseThrow();
  }

  static byte[] encode(BencodeValue value) {
    return BencodeEncoder.encode(value);
  }

  static BencodeDictionary decode(byte[] bytes) {
    try {
      return (BencodeDictionary) LENIENT.decode(bytes);
    } catch (BencodeException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code count} distinct fake 20-byte SHA-1 hashes. */
  static byte[] sha1s(int count) {
    byte[] hashes = new byte[count * 20];
    for (int i = 0; i < hashes.length; i++) {
      hashes[i] = (byte) (i * 7 + 1);
    }
    return hashes;
  }

  /** A fake 32-byte pieces root. */
  static byte[] root(int seed) {
    byte[] root = new byte[32];
    Arrays.fill(root, (byte) seed);
    return root;
  }

  /** A valid v1 single-file info dictionary: file.bin, 20,000 bytes, two 16 KiB pieces. */
  static BencodeDictionary singleInfo() {
    return dict("name", "file.bin", "piece length", PIECE, "length", 20_000, "pieces", sha1s(2));
  }

  /** A v1 file entry of a {@code files} list. */
  static BencodeDictionary file(long length, String... path) {
    return dict("length", length, "path", list((Object[]) path));
  }

  /** A valid v1 multi-file info dictionary with the right number of piece hashes. */
  static BencodeDictionary multiInfo(BencodeDictionary... files) {
    long total = 0;
    for (BencodeDictionary f : files) {
      long length = ((BencodeInteger) f.get("length").orElseThrow()).value();
      total += Math.max(0, length);
    }
    int pieces = (int) ((total + PIECE - 1) / PIECE);
    return dict(
        "name",
        "folder",
        "piece length",
        PIECE,
        "files",
        list((Object[]) files),
        "pieces",
        sha1s(pieces));
  }

  /** A v2 file-tree leaf: {"": {length, pieces root}}. */
  static BencodeDictionary treeFile(long length, byte[] piecesRoot) {
    BencodeDictionary leaf =
        piecesRoot == null
            ? dict("length", length)
            : dict("length", length, "pieces root", piecesRoot);
    return dict("", leaf);
  }

  /** A v2 info dictionary with 16 KiB pieces around {@code tree}. */
  static BencodeDictionary v2Info(BencodeDictionary tree) {
    return dict("name", "folder", "piece length", PIECE, "meta version", 2, "file tree", tree);
  }

  /** The bytes of a torrent holding only {@code info}. */
  static byte[] torrent(BencodeValue info) {
    return encode(dict("info", info));
  }

  /** Asserts that the bytes are rejected and returns the exception. */
  static MetainfoException rejected(byte[] bytes) {
    MetainfoException e = catchThrowableOfType(MetainfoException.class, () -> Torrent.parse(bytes));
    assertThat(e).as("Torrent.parse should reject the input").isNotNull();
    return e;
  }

  /** Asserts that the bytes are rejected, blaming {@code field}, which the message mentions. */
  static MetainfoException rejected(byte[] bytes, String field) {
    MetainfoException e = rejected(bytes);
    assertThat(e.field()).contains(field);
    assertThat(e.getMessage()).startsWith(field + ": ");
    return e;
  }

  static Torrent parse(byte[] bytes) {
    try {
      return Torrent.parse(bytes);
    } catch (MetainfoException e) {
      throw new AssertionError("expected a valid torrent", e);
    }
  }
}
