package dev.bitwright.metainfo;

import static dev.bitwright.metainfo.TestTorrents.PIECE;
import static dev.bitwright.metainfo.TestTorrents.decode;
import static dev.bitwright.metainfo.TestTorrents.dict;
import static dev.bitwright.metainfo.TestTorrents.dictAt;
import static dev.bitwright.metainfo.TestTorrents.encode;
import static dev.bitwright.metainfo.TestTorrents.list;
import static dev.bitwright.metainfo.TestTorrents.parse;
import static dev.bitwright.metainfo.TestTorrents.rejected;
import static dev.bitwright.metainfo.TestTorrents.root;
import static dev.bitwright.metainfo.TestTorrents.torrent;
import static dev.bitwright.metainfo.TestTorrents.treeFile;
import static dev.bitwright.metainfo.TestTorrents.v2Info;
import static dev.bitwright.metainfo.TestTorrents.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.bencode.BencodeValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The BEP 52 piece layers: present, of the right length and hashing to each file's root. */
class TorrentPieceLayersTest {
  @Test
  void checksHandBuiltPieceLayersAgainstTheRoot() throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] h0 = root(10);
    byte[] h1 = root(11);
    byte[] h2 = root(12);
    byte[] zero = new byte[32];
    byte[] twoPieceRoot = sha256(sha, h0, h1);
    byte[] threePieceRoot = sha256(sha, sha256(sha, h0, h1), sha256(sha, h2, zero));
    BencodeDictionary tree =
        dict(
            "a", treeFile(2L * PIECE, twoPieceRoot), "b", treeFile(2L * PIECE + 1, threePieceRoot));
    BencodeDictionary layers =
        dict(twoPieceRoot, concat(h0, h1), threePieceRoot, concat(h0, h1, h2));
    Torrent t = parse(encode(dict("info", v2Info(tree), "piece layers", layers)));
    assertThat(t.pieceLayer(new MerkleRoot(twoPieceRoot)).orElseThrow()).isEqualTo(concat(h0, h1));
    assertThat(t.pieceCount()).isEqualTo(5);

    byte[] wrongRoot = sha256(sha, sha256(sha, h0, h1), sha256(sha, h2, h2));
    BencodeDictionary badTree = dict("b", treeFile(2L * PIECE + 1, wrongRoot));
    rejected(
        encode(dict("info", v2Info(badTree), "piece layers", dict(wrongRoot, concat(h0, h1, h2)))));
  }

  @Test
  void padsALayerWithZeroSubtreesOfThePieceHeight() throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] h0 = root(10);
    byte[] h1 = root(11);
    byte[] h2 = root(12);
    byte[] zero = new byte[32];
    byte[] zeroPiece = sha256(sha, zero, zero);
    byte[] expected = sha256(sha, sha256(sha, h0, h1), sha256(sha, h2, zeroPiece));
    BencodeDictionary info =
        with(v2Info(dict("b", treeFile(4L * PIECE + 1, expected))), "piece length", 2 * PIECE);
    Torrent t =
        parse(encode(dict("info", info, "piece layers", dict(expected, concat(h0, h1, h2)))));
    assertThat(t.pieceCount()).isEqualTo(3);
  }

  @Test
  void rejectsAMissingPieceLayerInATorrentButNotInABareInfoDictionary() throws Exception {
    BencodeDictionary info = v2Info(dict("big", treeFile(2L * PIECE, root(1))));
    MetainfoException e = rejected(torrent(info));
    assertThat(e.field()).contains("piece layers." + new MerkleRoot(root(1)));
    assertThat(e.getMessage()).contains("missing for big");
    Torrent bare = Torrent.parseInfo(encode(info));
    assertThat(bare.pieceLayer(new MerkleRoot(root(1)))).isEmpty();
  }

  @Test
  void rejectsGoldenPieceLayersWithALayerRemoved() {
    for (String golden : List.of("lt-v2-multi.torrent", "lt-hybrid-multi.torrent")) {
      MetainfoException e =
          rejected(tamperLayers(golden, layers -> without(layers, layers.entries().firstKey())));
      assertThat(e.field()).hasValueSatisfying(f -> assertThat(f).startsWith("piece layers."));
      assertThat(e.getMessage()).contains("missing");
    }
    MetainfoException none = rejected(tamperLayers("lt-v2-single.torrent", l -> dict()));
    assertThat(none.getMessage()).contains("missing for single.bin");
  }

  @Test
  void rejectsGoldenPieceLayersOfTheWrongLength() {
    MetainfoException shorter =
        rejected(tamperLayers("lt-v2-multi.torrent", l -> mapLayers(l, b -> slice(b, 32))));
    assertThat(shorter.getMessage()).contains("expected 32 for each of");
    rejected(tamperLayers("lt-v2-multi.torrent", l -> mapLayers(l, b -> concat(b, root(0)))));
    rejected(tamperLayers("lt-v2-multi.torrent", l -> mapLayers(l, b -> slice(b, 1))));
  }

  @Test
  void rejectsGoldenPieceLayersThatDoNotHashToTheRoot() {
    for (String golden :
        List.of("lt-v2-multi.torrent", "lt-v2-single.torrent", "lt-hybrid-multi.torrent")) {
      MetainfoException e =
          rejected(
              tamperLayers(
                  golden,
                  l ->
                      mapLayers(
                          l,
                          b -> {
                            b[b.length - 1] ^= 1;
                            return b;
                          })));
      assertThat(e.getMessage()).contains("does not hash to the pieces root");
    }
  }

  @Test
  void rejectsMalformedPieceLayerDictionaries() {
    rejected(
        tamperLayers("lt-v2-multi.torrent", l -> with(l, "short key", root(1))), "piece layers");
    rejected(
        tamperLayers("lt-v2-multi.torrent", l -> mapLayersTo(l, BencodeDictionary.of())),
        "piece layers");
    byte[] notADict =
        encode(with(decode(Golden.named("lt-v2-multi.torrent").bytes()), "piece layers", list()));
    rejected(notADict, "piece layers");
  }

  @Test
  void ignoresLayersOfUnknownRoots() {
    Torrent t =
        parse(
            tamperLayers(
                "lt-v2-multi.torrent", l -> withKey(l, root(7), concat(root(1), root(2)))));
    assertThat(t.pieceLayer(new MerkleRoot(root(7)))).isPresent();
  }

  private static byte[] tamperLayers(String golden, UnaryOperator<BencodeDictionary> change) {
    BencodeDictionary root = decode(Golden.named(golden).bytes());
    return encode(with(root, "piece layers", change.apply(dictAt(root, "piece layers"))));
  }

  private static BencodeDictionary without(BencodeDictionary d, BencodeString key) {
    TreeMap<BencodeString, BencodeValue> entries = new TreeMap<>(d.entries());
    entries.remove(key);
    return new BencodeDictionary(entries);
  }

  private static BencodeDictionary withKey(BencodeDictionary d, byte[] key, byte[] value) {
    TreeMap<BencodeString, BencodeValue> entries = new TreeMap<>(d.entries());
    entries.put(BencodeString.of(key), BencodeString.of(value));
    return new BencodeDictionary(entries);
  }

  private static BencodeDictionary mapLayers(BencodeDictionary d, UnaryOperator<byte[]> change) {
    TreeMap<BencodeString, BencodeValue> entries = new TreeMap<>();
    d.entries()
        .forEach(
            (k, v) -> entries.put(k, BencodeString.of(change.apply(((BencodeString) v).bytes()))));
    return new BencodeDictionary(entries);
  }

  private static BencodeDictionary mapLayersTo(BencodeDictionary d, BencodeValue value) {
    TreeMap<BencodeString, BencodeValue> entries = new TreeMap<>();
    d.entries().keySet().forEach(k -> entries.put(k, value));
    return new BencodeDictionary(entries);
  }

  private static byte[] slice(byte[] b, int dropFromEnd) {
    return Arrays.copyOf(b, b.length - dropFromEnd);
  }

  static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] p : parts) {
      length += p.length;
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  private static byte[] sha256(MessageDigest sha, byte[] left, byte[] right) {
    sha.update(left);
    sha.update(right);
    return sha.digest();
  }

  /** A v2 info dictionary from a magnet link, completed with layers fetched from peers. */
  @Test
  void piecesLayersAddedToAnInfoDictionaryMakeAWholeTorrent(@TempDir Path dir) throws Exception {
    Path payload = Files.createDirectories(dir.resolve("p"));
    byte[] big = new byte[5 * 32 * 1024 + 7];
    new Random(1).nextBytes(big);
    Files.write(payload.resolve("big"), big);
    Files.write(payload.resolve("small"), new byte[] {1, 2, 3});
    Torrent full =
        TorrentBuilder.create(payload).version(TorrentVersion.V2).pieceLength(32 * 1024).build();
    Torrent bare = Torrent.parseInfo(full.infoBytes());
    assertThat(bare.hasAllPieceLayers()).isFalse();
    MerkleRoot bigRoot =
        full.files().stream()
            .filter(f -> f.length() == big.length)
            .findFirst()
            .orElseThrow()
            .piecesRoot()
            .orElseThrow();
    byte[] layer = full.pieceLayer(bigRoot).orElseThrow();

    Torrent whole = bare.withPieceLayers(Map.of(bigRoot, layer));
    assertThat(whole.hasAllPieceLayers()).isTrue();
    assertThat(whole.infoHashes()).isEqualTo(full.infoHashes());
    Torrent reread = Torrent.parse(whole.toBytes());
    assertThat(reread.pieceLayer(bigRoot).orElseThrow()).isEqualTo(layer);

    byte[] wrong = layer.clone();
    wrong[0] ^= 1;
    assertThatThrownBy(() -> bare.withPieceLayers(Map.of(bigRoot, wrong)))
        .isInstanceOf(MetainfoException.class);
    assertThatThrownBy(() -> bare.withPieceLayers(Map.of(new MerkleRoot(new byte[32]), layer)))
        .isInstanceOf(MetainfoException.class);
  }
}
