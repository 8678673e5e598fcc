package dev.bitwright.metainfo;

import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeEncoder;
import dev.bitwright.bencode.BencodeInteger;
import dev.bitwright.bencode.BencodeList;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.bencode.BencodeValue;
import dev.bitwright.metainfo.MagnetLink.FileRange;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Generators for the metainfo properties: damaged torrents, torrent-like values, magnet links. */
final class MetainfoArbitraries {
  private static final byte[] BENCODE_ALPHABET =
      "ilde0123456789:-".getBytes(StandardCharsets.US_ASCII);
  private static final List<String> KEYS =
      List.of(
          "info",
          "name",
          "name.utf-8",
          "piece length",
          "pieces",
          "length",
          "files",
          "path",
          "path.utf-8",
          "attr",
          "symlink path",
          "file tree",
          "meta version",
          "pieces root",
          "",
          "piece layers",
          "announce",
          "announce-list",
          "url-list",
          "creation date",
          "private",
          "comment",
          "source",
          "x");
  private static final List<String> TEXTS =
      List.of(
          "a",
          "b.bin",
          "..",
          ".",
          "",
          "a/b",
          "a\\b",
          "a\0b",
          "p",
          "l",
          "x",
          "h",
          "pxhl",
          ".pad",
          "_____padding_file_0",
          "CON",
          "日本",
          "http://t/a");
  private static final List<Long> INTEGERS =
      List.of(
          0L,
          1L,
          2L,
          3L,
          -1L,
          16384L,
          32768L,
          16383L,
          1L << 28,
          1L << 31,
          Long.MAX_VALUE,
          Long.MIN_VALUE,
          100_000L);

  /** The bytes of every golden torrent. */
  static final List<byte[]> GOLDEN_BYTES = Golden.all().stream().map(Golden::bytes).toList();

  private MetainfoArbitraries() {}

  /** One edit of a byte array: replace, truncate, delete or insert at a position. */
  record Edit(int kind, int position, byte value) {}

  static Arbitrary<Edit> edits() {
    Arbitrary<Byte> alphabet = Arbitraries.of(toList(BENCODE_ALPHABET));
    Arbitrary<Byte> anyByte = Arbitraries.bytes();
    return Combinators.combine(
            Arbitraries.integers().between(0, 3),
            Arbitraries.integers().between(0, Integer.MAX_VALUE),
            Arbitraries.frequencyOf(List.of(Tuple.of(3, alphabet), Tuple.of(1, anyByte))))
        .as(Edit::new);
  }

  /** Golden torrents with one to three random byte edits. */
  static Arbitrary<byte[]> mutatedGoldens() {
    return Combinators.combine(
            Arbitraries.of(GOLDEN_BYTES), edits().list().ofMinSize(1).ofMaxSize(3))
        .as(MetainfoArbitraries::apply);
  }

  static byte[] apply(byte[] input, List<Edit> edits) {
    byte[] bytes = input.clone();
    for (Edit edit : edits) {
      if (bytes.length == 0) {
        return new byte[] {edit.value()};
      }
      int at = edit.position() % bytes.length;
      switch (edit.kind()) {
        case 0 -> bytes[at] = edit.value();
        case 1 -> bytes = Arrays.copyOf(bytes, at);
        case 2 -> {
          byte[] shorter = new byte[bytes.length - 1];
          System.arraycopy(bytes, 0, shorter, 0, at);
          System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
          bytes = shorter;
        }
        default -> {
          byte[] longer = new byte[bytes.length + 1];
          System.arraycopy(bytes, 0, longer, 0, at);
          longer[at] = edit.value();
          System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
          bytes = longer;
        }
      }
    }
    return bytes;
  }

  /** Byte arrays mostly made of the bencode alphabet. */
  static Arbitrary<byte[]> bencodeLikeBytes() {
    Arbitrary<Byte> alphabet = Arbitraries.of(toList(BENCODE_ALPHABET));
    return Arbitraries.frequencyOf(List.of(Tuple.of(6, alphabet), Tuple.of(1, Arbitraries.bytes())))
        .list()
        .ofMaxSize(120)
        .map(MetainfoArbitraries::toArray);
  }

  /** Bencode values built from torrent keys and suspicious values. */
  static Arbitrary<BencodeValue> torrentLikeValues(int depth) {
    Arbitrary<BencodeValue> strings =
        Arbitraries.oneOf(
            Arbitraries.of(TEXTS).map(BencodeString::of),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(64).map(BencodeString::of),
            Arbitraries.of(20, 32, 40, 64)
                .flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n))
                .map(BencodeString::of));
    Arbitrary<BencodeValue> integers =
        Arbitraries.oneOf(Arbitraries.of(INTEGERS), Arbitraries.longs()).map(BencodeInteger::of);
    Arbitrary<BencodeValue> leaves = Arbitraries.oneOf(strings, integers);
    if (depth == 0) {
      return leaves;
    }
    Arbitrary<BencodeValue> lists =
        Arbitraries.lazy(() -> torrentLikeValues(depth - 1))
            .list()
            .ofMaxSize(4)
            .map(BencodeList::new);
    Arbitrary<BencodeValue> dictionaries =
        Arbitraries.maps(
                Arbitraries.of(KEYS).map(BencodeString::of),
                Arbitraries.lazy(() -> torrentLikeValues(depth - 1)))
            .ofMaxSize(6)
            .map(MetainfoArbitraries::dictionary);
    return Arbitraries.frequencyOf(
        List.of(Tuple.of(3, leaves), Tuple.of(1, lists), Tuple.of(2, dictionaries)));
  }

  private static BencodeValue dictionary(Map<BencodeString, BencodeValue> entries) {
    return new BencodeDictionary(entries);
  }

  /**
   * Golden torrents with one value somewhere in their structure replaced by a torrent-like value or
   * removed: they stay well-formed bencode, so they reach the metainfo checks.
   */
  static Arbitrary<byte[]> structurallyMutatedGoldens() {
    List<BencodeValue> goldens =
        GOLDEN_BYTES.stream().map(b -> (BencodeValue) TestTorrents.decode(b)).toList();
    return Combinators.combine(
            Arbitraries.of(goldens),
            Arbitraries.integers().between(0, Integer.MAX_VALUE),
            torrentLikeValues(2).optional(0.8))
        .as(
            (golden, target, replacement) -> {
              BencodeValue changed =
                  replace(golden, target % count(golden), replacement.orElse(null), new int[1]);
              return BencodeEncoder.encode(changed == null ? BencodeDictionary.of() : changed);
            });
  }

  private static int count(BencodeValue v) {
    int n = 1;
    if (v instanceof BencodeList l) {
      for (BencodeValue x : l.values()) {
        n += count(x);
      }
    } else if (v instanceof BencodeDictionary d) {
      for (BencodeValue x : d.entries().values()) {
        n += count(x);
      }
    }
    return n;
  }

  /** Replaces node number {@code target} (pre-order); a null replacement removes it. */
  private static BencodeValue replace(
      BencodeValue v, int target, BencodeValue replacement, int[] counter) {
    if (counter[0]++ == target) {
      return replacement;
    }
    if (v instanceof BencodeList l) {
      List<BencodeValue> out = new ArrayList<>();
      for (BencodeValue x : l.values()) {
        BencodeValue y = replace(x, target, replacement, counter);
        if (y != null) {
          out.add(y);
        }
      }
      return new BencodeList(out);
    }
    if (v instanceof BencodeDictionary d) {
      TreeMap<BencodeString, BencodeValue> out = new TreeMap<>();
      d.entries()
          .forEach(
              (k, x) -> {
                BencodeValue y = replace(x, target, replacement, counter);
                if (y != null) {
                  out.put(k, y);
                }
              });
      return new BencodeDictionary(out);
    }
    return v;
  }

  /** Text without lone surrogates: ASCII, Latin, CJK, URI delimiters and an emoji. */
  static Arbitrary<String> text() {
    Arbitrary<String> plain =
        Arbitraries.strings()
            .withCharRange(' ', '~')
            .withCharRange('\u00a0', '\u024f')
            .withChars("日本語€\t\n%&=+#?")
            .ofMaxLength(20);
    return Arbitraries.oneOf(plain, plain.map(s -> s + "😀" + s));
  }

  static Arbitrary<String> urls() {
    return Combinators.combine(Arbitraries.of("http://", "udp://", "https://"), text())
        .as((scheme, rest) -> scheme + rest.strip());
  }

  static Arbitrary<InetSocketAddress> peers() {
    Arbitrary<String> ipv4 =
        Arbitraries.integers()
            .between(0, 255)
            .list()
            .ofSize(4)
            .map(l -> l.get(0) + "." + l.get(1) + "." + l.get(2) + "." + l.get(3));
    Arbitrary<String> names =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withCharRange('0', '9')
            .withChars("-.")
            .ofMinLength(1)
            .ofMaxLength(20);
    Arbitrary<String> ipv6 =
        Arbitraries.oneOf(
            Arbitraries.of("::1", "::", "fe80::1%eth0", "2001:db8::1"),
            Arbitraries.integers()
                .between(0, 0xffff)
                .map(n -> "2001:db8::" + Integer.toHexString(n)));
    return Combinators.combine(
            Arbitraries.oneOf(ipv4, names, ipv6), Arbitraries.integers().between(1, 65535))
        .as(InetSocketAddress::createUnresolved);
  }

  static Arbitrary<FileRange> ranges() {
    return Combinators.combine(
            Arbitraries.oneOf(
                Arbitraries.integers().between(0, 1000),
                Arbitraries.integers().between(0, 999_000_000)),
            Arbitraries.integers().between(0, 999))
        .as((first, extra) -> new FileRange(first, first + extra));
  }

  static Arbitrary<InfoHashes> infoHashes() {
    Arbitrary<InfoHash> v1 = Arbitraries.bytes().array(byte[].class).ofSize(20).map(InfoHash::new);
    Arbitrary<InfoHash> v2 = Arbitraries.bytes().array(byte[].class).ofSize(32).map(InfoHash::new);
    return Arbitraries.oneOf(
        v1.map(InfoHashes::ofV1),
        v2.map(InfoHashes::ofV2),
        Combinators.combine(v1, v2).as(InfoHashes::ofHybrid));
  }

  /** Valid magnet links: what {@link MagnetLink#parse} can produce. */
  static Arbitrary<MagnetLink> magnetLinks() {
    Arbitrary<Optional<String>> names = text().optional(0.7);
    return Combinators.combine(
            infoHashes(),
            names,
            urls().list().uniqueElements().ofMaxSize(4),
            urls().list().uniqueElements().ofMaxSize(3),
            peers().list().ofMaxSize(3),
            ranges().list().ofMaxSize(4))
        .as(MagnetLink::new);
  }

  private static List<Byte> toList(byte[] bytes) {
    List<Byte> list = new ArrayList<>();
    for (byte b : bytes) {
      list.add(b);
    }
    return list;
  }

  private static byte[] toArray(List<Byte> list) {
    byte[] bytes = new byte[list.size()];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = list.get(i);
    }
    return bytes;
  }
}
