package dev.bitwright.metainfo;

import static dev.bitwright.metainfo.TestTorrents.decode;
import static dev.bitwright.metainfo.TestTorrents.dict;
import static dev.bitwright.metainfo.TestTorrents.dictAt;
import static dev.bitwright.metainfo.TestTorrents.encode;
import static dev.bitwright.metainfo.TestTorrents.file;
import static dev.bitwright.metainfo.TestTorrents.list;
import static dev.bitwright.metainfo.TestTorrents.multiInfo;
import static dev.bitwright.metainfo.TestTorrents.parse;
import static dev.bitwright.metainfo.TestTorrents.singleInfo;
import static dev.bitwright.metainfo.TestTorrents.torrent;
import static dev.bitwright.metainfo.TestTorrents.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeString;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@link Torrent#parse} accepts and how it reads the optional and lenient fields. */
class TorrentReadingTest {

  @Test
  void keepsUnknownKeysAndReproducesTheBytes() throws Exception {
    BencodeDictionary info = with(singleInfo(), "x-unknown", dict("nested", list(1, "two")));
    byte[] bytes = encode(dict("info", info, "z-top", list("keep"), "a-top", 7));
    Torrent t = parse(bytes);
    assertThat(t.dictionary().containsKey("z-top")).isTrue();
    assertThat(t.dictionary().containsKey("a-top")).isTrue();
    assertThat(dictAt(t.dictionary(), "info").containsKey("x-unknown")).isTrue();
    assertThat(t.toBytes()).isEqualTo(bytes);
    assertThat(t.infoBytes()).isEqualTo(encode(info));
    byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(encode(info));
    assertThat(t.infoHashes().v1()).contains(new InfoHash(sha1));
    assertThat(t.infoHashes()).isNotEqualTo(parse(torrent(singleInfo())).infoHashes());
  }

  @Test
  void hashesTheRawBytesOfANonCanonicalInfoDictionary() throws Exception {
    String rawInfo =
        "d4:name8:file.bin6:lengthi20000e6:pieces40:" + "x".repeat(40) + "12:piece lengthi16384ee";
    byte[] bytes =
        ("d4:info" + rawInfo + "8:announce9:http://t/e").getBytes(StandardCharsets.US_ASCII);
    Torrent t = parse(bytes);
    byte[] raw = rawInfo.getBytes(StandardCharsets.US_ASCII);
    byte[] canonical = encode(dictAt(decode(bytes), "info"));
    assertThat(canonical).isNotEqualTo(raw);
    MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
    assertThat(t.infoHashes().v1().orElseThrow().bytes()).isEqualTo(sha1.digest(raw));
    assertThat(t.infoHashes().v1().orElseThrow().bytes()).isNotEqualTo(sha1.digest(canonical));
    assertThat(t.infoBytes()).isEqualTo(raw);
    assertThat(t.trackers()).containsExactly(List.of("http://t/"));
    byte[] rewritten = t.toBytes();
    assertThat(rewritten).isNotEqualTo(bytes);
    assertThat(parse(rewritten).infoHashes()).isEqualTo(t.infoHashes());
    assertThat(Torrent.parseInfo(raw).infoHashes()).isEqualTo(t.infoHashes());
  }

  @ParameterizedTest
  @ValueSource(longs = {Long.MAX_VALUE, Long.MIN_VALUE, 31_556_889_864_403_200L})
  void ignoresACreationDateThatIsNoInstant(long date) {
    assertThat(parse(encode(dict("info", singleInfo(), "creation date", date))).creationDate())
        .isEmpty();
  }

  @Test
  void readsValidCreationDatesAndIgnoresMistypedOnes() {
    assertThat(
            parse(encode(dict("info", singleInfo(), "creation date", 1_700_000_000)))
                .creationDate())
        .contains(Instant.ofEpochSecond(1_700_000_000));
    assertThat(parse(encode(dict("info", singleInfo(), "creation date", -1))).creationDate())
        .contains(Instant.ofEpochSecond(-1));
    assertThat(parse(encode(dict("info", singleInfo(), "creation date", "2024"))).creationDate())
        .isEmpty();
    assertThat(parse(torrent(singleInfo())).creationDate()).isEmpty();
  }

  @Test
  void anAnnounceUrlAloneIsOneTier() {
    assertThat(parse(encode(dict("info", singleInfo(), "announce", " http://t/a "))).trackers())
        .containsExactly(List.of("http://t/a"));
    assertThat(parse(encode(dict("info", singleInfo(), "announce", "  "))).trackers()).isEmpty();
    assertThat(parse(encode(dict("info", singleInfo(), "announce", 5))).trackers()).isEmpty();
    assertThat(parse(torrent(singleInfo())).trackers()).isEmpty();
  }

  @Test
  void skipsEmptyTiersAndEntriesThatAreNotUrls() {
    BencodeDictionary root =
        dict(
            "info", singleInfo(),
            "announce", "http://ignored",
            "announce-list",
                list(
                    list(),
                    list(5, "http://a", "  ", list("x")),
                    "not a tier",
                    dict("k", "v"),
                    list("http://b", " http://c ")));
    assertThat(parse(encode(root)).trackers())
        .containsExactly(List.of("http://a"), List.of("http://b", "http://c"));
  }

  @Test
  void fallsBackToAnnounceWhenTheAnnounceListHasNoUrls() {
    BencodeDictionary empty =
        dict(
            "info", singleInfo(), "announce", "http://a", "announce-list", list(list(), list(" ")));
    assertThat(parse(encode(empty)).trackers()).containsExactly(List.of("http://a"));
    BencodeDictionary mistyped =
        dict("info", singleInfo(), "announce", "http://a", "announce-list", "http://b");
    assertThat(parse(encode(mistyped)).trackers()).containsExactly(List.of("http://a"));
  }

  @Test
  void readsWebSeedsAsOneUrlOrAList() throws Exception {
    assertThat(parse(encode(dict("info", singleInfo(), "url-list", " http://w/ "))).webSeeds())
        .containsExactly("http://w/");
    BencodeDictionary several =
        dict("info", singleInfo(), "url-list", list("http://w1/", 3, " ", "http://w2/"));
    assertThat(parse(encode(several)).webSeeds()).containsExactly("http://w1/", "http://w2/");
    assertThat(parse(encode(dict("info", singleInfo(), "url-list", 3))).webSeeds()).isEmpty();
    assertThat(parse(encode(dict("info", singleInfo(), "url-list", ""))).webSeeds()).isEmpty();
    assertThat(Torrent.parse(Golden.named("mk-multi.torrent").bytes()).webSeeds())
        .containsExactly("http://ws.example/files/");
  }

  @Test
  void detectsLegacyBitCometPaddingFiles() {
    Torrent t =
        parse(
            torrent(
                multiInfo(
                    file(1, "a"),
                    file(16383, "_____padding_file_0_if you see this"),
                    file(5, "dir", "_____padding_file_1"),
                    file(1, "x_____padding_file_"))));
    assertThat(t.files())
        .extracting(FileEntry::isPadding)
        .containsExactly(false, true, true, false);
    assertThat(t.files().get(1).attributes()).containsExactly(FileAttribute.PADDING);
  }

  @Test
  void readsFileAttributesAndSymlinkTargets() {
    BencodeDictionary exec = dict("attr", "x", "length", 1, "path", list("run.sh"));
    BencodeDictionary hidden = dict("attr", "h?z", "length", 1, "path", list(".h"));
    BencodeDictionary link =
        dict("attr", "l", "length", 0, "path", list("ln"), "symlink path", list("dir", "t"));
    BencodeDictionary pad = dict("attr", "p", "length", 3, "path", list(".pad", "3"));
    Torrent t = parse(torrent(multiInfo(exec, hidden, link, pad, file(1, "dir", "t"))));
    List<FileEntry> files = t.files();
    assertThat(files.get(0).attributes()).containsExactly(FileAttribute.EXECUTABLE);
    assertThat(files.get(1).attributes()).containsExactly(FileAttribute.HIDDEN);
    assertThat(files.get(2).attributes()).containsExactly(FileAttribute.SYMLINK);
    assertThat(files.get(2).symlinkTarget()).containsExactly("dir", "t");
    assertThat(files.get(0).symlinkTarget()).isEmpty();
    assertThat(files.get(3).isPadding()).isTrue();
    assertThat(parse(torrent(with(singleInfo(), "attr", "xh"))).files().get(0).attributes())
        .containsExactlyInAnyOrder(FileAttribute.EXECUTABLE, FileAttribute.HIDDEN);
    TestTorrents.rejected(torrent(with(singleInfo(), "attr", 1)), "info.attr");
  }

  @Test
  void prefersNameUtf8OverName() {
    Torrent t = parse(torrent(with(singleInfo(), "name.utf-8", "ünïcode.bin")));
    assertThat(t.name()).isEqualTo("ünïcode.bin");
    assertThat(t.files().get(0).path()).containsExactly("ünïcode.bin");
    assertThat(parse(torrent(with(singleInfo(), "name.utf-8", 5))).name()).isEqualTo("file.bin");
  }

  @Test
  void isPrivateOnlyWhenThePrivateFlagIsOne() {
    assertThat(parse(torrent(with(singleInfo(), "private", 1))).isPrivate()).isTrue();
    assertThat(parse(torrent(with(singleInfo(), "private", 0))).isPrivate()).isFalse();
    assertThat(parse(torrent(with(singleInfo(), "private", 2))).isPrivate()).isFalse();
    assertThat(parse(torrent(with(singleInfo(), "private", "1"))).isPrivate()).isFalse();
    assertThat(parse(torrent(singleInfo())).isPrivate()).isFalse();
    Torrent withPrivate = parse(torrent(with(singleInfo(), "private", 1)));
    assertThat(withPrivate.infoHashes()).isNotEqualTo(parse(torrent(singleInfo())).infoHashes());
  }

  @Test
  void readsSourceCommentCreatorAndEncoding() {
    BencodeDictionary root =
        dict(
            "info", with(singleInfo(), "source", "TRACKER"),
            "comment", "plain",
            "comment.utf-8", "ütf",
            "created by", "me",
            "encoding", "UTF-8");
    Torrent t = parse(encode(root));
    assertThat(t.source()).contains("TRACKER");
    assertThat(t.comment()).contains("ütf");
    assertThat(t.createdBy()).contains("me");
    assertThat(t.encoding()).contains("UTF-8");
    Torrent bare = parse(torrent(singleInfo()));
    assertThat(List.of(bare.source(), bare.comment(), bare.createdBy(), bare.encoding()))
        .containsOnly(Optional.empty());
    assertThat(parse(encode(dict("info", singleInfo(), "comment", 5))).comment()).isEmpty();
  }

  @Test
  void parseInfoGivesTheSameTorrentForEveryGolden() throws Exception {
    for (Golden golden : Golden.all()) {
      Torrent full = Torrent.parse(golden.bytes());
      Torrent bare = Torrent.parseInfo(full.infoBytes());
      assertThat(bare.infoHashes()).as(golden.file()).isEqualTo(full.infoHashes());
      assertThat(bare.files()).as(golden.file()).isEqualTo(full.files());
      assertThat(bare.version()).isEqualTo(full.version());
      assertThat(bare.name()).isEqualTo(full.name());
      assertThat(bare.pieceCount()).isEqualTo(full.pieceCount());
      assertThat(bare.trackers()).isEmpty();
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      expected.writeBytes("d4:info".getBytes(StandardCharsets.US_ASCII));
      expected.writeBytes(full.infoBytes());
      expected.write('e');
      assertThat(bare.toBytes()).isEqualTo(expected.toByteArray());
    }
  }

  @Test
  void parseInfoRejectsWhatIsNotAnInfoDictionary() {
    MetainfoException list =
        catchThrowableOfType(
            MetainfoException.class,
            () -> Torrent.parseInfo("le".getBytes(StandardCharsets.UTF_8)));
    assertThat(list.field()).contains("info");
    MetainfoException truncated =
        catchThrowableOfType(
            MetainfoException.class,
            () -> Torrent.parseInfo("d4:name".getBytes(StandardCharsets.UTF_8)));
    assertThat(truncated.offset()).isPresent();
    assertThatThrownBy(() -> Torrent.parseInfo(encode(with(singleInfo(), "pieces", null))))
        .isInstanceOf(MetainfoException.class);
  }

  @Test
  void pieceHashesAreSlicesOfThePiecesField() {
    for (Golden golden : Golden.all()) {
      Torrent t = parse(golden.bytes());
      if (!t.version().hasV1()) {
        assertThatThrownBy(() -> t.pieceHash(0)).isInstanceOf(IllegalStateException.class);
        continue;
      }
      byte[] pieces =
          ((BencodeString) dictAt(decode(golden.bytes()), "info").get("pieces").orElseThrow())
              .bytes();
      assertThat(pieces).hasSize(20 * t.pieceCount());
      for (int i = 0; i < t.pieceCount(); i++) {
        assertThat(t.pieceHash(i)).isEqualTo(Arrays.copyOfRange(pieces, 20 * i, 20 * i + 20));
      }
      assertThatThrownBy(() -> t.pieceHash(-1)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> t.pieceHash(t.pieceCount()))
          .isInstanceOf(IndexOutOfBoundsException.class);
      t.pieceHash(0)[0] ^= 1;
      assertThat(t.pieceHash(0)).isEqualTo(Arrays.copyOf(pieces, 20));
    }
  }

  @Test
  void returnsCopiesOfItsByteArrays() {
    Torrent t = parse(Golden.named("lt-v2-multi.torrent").bytes());
    byte[] info = t.infoBytes();
    info[0] = 'x';
    assertThat(t.infoBytes()[0]).isEqualTo((byte) 'd');
    MerkleRoot root =
        t.files().stream()
            .filter(f -> f.length() > t.pieceLength())
            .findFirst()
            .orElseThrow()
            .piecesRoot()
            .orElseThrow();
    byte[] layer = t.pieceLayer(root).orElseThrow();
    byte[] original = layer.clone();
    layer[0] ^= 1;
    assertThat(t.pieceLayer(root).orElseThrow()).isEqualTo(original);
    assertThatThrownBy(() -> t.files().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> t.trackers().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void makesAMagnetLinkWithHashesNameTrackersAndWebSeeds() throws Exception {
    Torrent mk = parse(Golden.named("mk-multi.torrent").bytes());
    MagnetLink link = mk.toMagnetLink();
    assertThat(link.infoHashes()).isEqualTo(mk.infoHashes());
    assertThat(link.displayName()).contains("multi");
    assertThat(link.trackers())
        .containsExactly(
            "http://a.example/announce", "http://b.example/announce", "udp://c.example:80");
    assertThat(link.webSeeds()).containsExactly("http://ws.example/files/");
    assertThat(link.peers()).isEmpty();
    assertThat(link.selectOnly()).isEmpty();
    assertThat(MagnetLink.parse(link.toUri())).isEqualTo(link);

    Torrent hybrid = parse(Golden.named("lt-hybrid-multi.torrent").bytes());
    MagnetLink both = hybrid.toMagnetLink();
    assertThat(both.infoHashes().isHybrid()).isTrue();
    assertThat(both.toUri())
        .contains("xt=urn:btih:" + hybrid.infoHashes().v1().orElseThrow().hex())
        .contains("xt=urn:btmh:1220" + hybrid.infoHashes().v2().orElseThrow().hex());
    BencodeDictionary dup =
        dict(
            "info",
            singleInfo(),
            "announce-list",
            list(list("http://a", "http://b"), list("http://a")));
    assertThat(parse(encode(dup)).toMagnetLink().trackers())
        .containsExactly("http://a", "http://b");
  }

  @Test
  void downloadPathsPutMultiFileTorrentsInTheirFolder() {
    Torrent single = parse(torrent(singleInfo()));
    assertThat(single.downloadPath(single.files().get(0))).containsExactly("file.bin");
    Torrent multi = parse(torrent(multiInfo(file(1, "a", "b"))));
    assertThat(multi.downloadPath(multi.files().get(0))).containsExactly("folder", "a", "b");
    assertThat(multi.toString()).contains("folder").contains("V1").contains("v1=");
  }
}
