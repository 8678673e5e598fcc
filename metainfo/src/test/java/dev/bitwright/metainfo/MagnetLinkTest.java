package dev.bitwright.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bitwright.metainfo.MagnetLink.FileRange;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MagnetLinkTest {
  static final String V1 = "40f2245499deb2b9bfe74b0f9cc6aac7f62e7f48";
  static final String V1_BASE32 = "IDZCIVEZ32ZLTP7HJMHZZRVKY73C472I";
  static final String V2 = "15e4d228b0d8cf6234b899ee95d7c321eec075f6278529a617b0a699d781de13";
  static final String BTIH = "magnet:?xt=urn:btih:" + V1;
  static final String BTMH = "magnet:?xt=urn:btmh:1220" + V2;

  static MagnetLink parse(String uri) {
    try {
      return MagnetLink.parse(uri);
    } catch (MetainfoException e) {
      throw new AssertionError("expected a valid magnet link: " + uri, e);
    }
  }

  static MetainfoException rejected(String uri, String field) {
    MetainfoException e =
        catchThrowableOfType(MetainfoException.class, () -> MagnetLink.parse(uri));
    assertThat(e).as("MagnetLink.parse should reject %s", uri).isNotNull();
    assertThat(e.field()).contains(field);
    return e;
  }

  @Test
  void parsesAHexInfoHashInEitherCase() {
    MagnetLink lower = parse(BTIH);
    assertThat(lower.infoHashes()).isEqualTo(InfoHashes.ofV1(InfoHash.fromHex(V1)));
    MagnetLink upper = parse("magnet:?xt=urn:btih:" + V1.toUpperCase(Locale.ROOT));
    assertThat(upper).isEqualTo(lower);
    assertThat(parse("MAGNET:?XT=URN:BTIH:" + V1.toUpperCase(Locale.ROOT))).isEqualTo(lower);
    assertThat(lower.displayName()).isEmpty();
    assertThat(lower.trackers()).isEmpty();
    assertThat(lower).isEqualTo(MagnetLink.of(lower.infoHashes()));
  }

  @Test
  void parsesABase32InfoHashInEitherCase() {
    MagnetLink link = parse("magnet:?xt=urn:btih:" + V1_BASE32);
    assertThat(link.infoHashes().v1().orElseThrow().hex()).isEqualTo(V1);
    MagnetLink lower = parse("magnet:?xt=urn:btih:" + V1_BASE32.toLowerCase(Locale.ROOT));
    assertThat(lower).isEqualTo(link);
  }

  @Test
  void parsesAV2MultihashAndAHybridLink() {
    MagnetLink v2 = parse(BTMH);
    assertThat(v2.infoHashes()).isEqualTo(InfoHashes.ofV2(InfoHash.fromHex(V2)));
    assertThat(parse("magnet:?xt=urn:btmh:1220" + V2.toUpperCase(Locale.ROOT))).isEqualTo(v2);
    MagnetLink hybrid = parse(BTIH + "&xt=urn:btmh:1220" + V2);
    assertThat(hybrid.infoHashes().isHybrid()).isTrue();
    assertThat(hybrid.infoHashes().best().hex()).isEqualTo(V2);
    assertThat(parse(BTMH + "&xt.1=urn:btih:" + V1)).isEqualTo(hybrid);
  }

  @Test
  void acceptsTheSameInfoHashTwiceInDifferentForms() {
    MagnetLink twice = parse(BTIH + "&xt=urn:btih:" + V1_BASE32 + "&xt=urn:btih:" + V1);
    assertThat(twice).isEqualTo(parse(BTIH));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "My%20Torrent|My Torrent",
        "My+Torrent|My Torrent",
        "a%2Bb|a+b",
        "caf%C3%A9|café",
        "%E6%97%A5%E6%9C%AC|日本",
        "a%26b%3Dc|a&b=c",
        "100%25|100%",
        "plain|plain"
      })
  void decodesTheDisplayName(String raw, String name) {
    assertThat(parse(BTIH + "&dn=" + raw).displayName()).contains(name);
  }

  @Test
  void anEmptyDisplayNameIsKept() {
    assertThat(parse(BTIH + "&dn=").displayName()).contains("");
    assertThat(parse(BTIH + "&dn").displayName()).contains("");
  }

  @Test
  void collectsTrackersInOrderWithoutDuplicates() {
    MagnetLink link =
        parse(
            BTIH
                + "&tr=http%3A%2F%2Fa%2Fannounce&tr.1=udp://b:80&tr=http://a/announce"
                + "&tr.2=%20udp://b:80%20&tr=&TR=http://c/");
    assertThat(link.trackers()).containsExactly("http://a/announce", "udp://b:80", "http://c/");
  }

  @Test
  void collectsWebSeeds() {
    MagnetLink link = parse(BTIH + "&ws=http%3A%2F%2Fw%2Ff&ws.1=http://x/&ws=http://w/f");
    assertThat(link.webSeeds()).containsExactly("http://w/f", "http://x/");
  }

  @Test
  void parsesPeerAddresses() {
    MagnetLink link =
        parse(
            BTIH
                + "&x.pe=10.0.0.1:6881&x.pe=[::1]:6881&x.pe=%5B2001%3Adb8%3A%3A1%5D%3A80"
                + "&x.pe=peer.example:1");
    assertThat(link.peers())
        .containsExactly(
            InetSocketAddress.createUnresolved("10.0.0.1", 6881),
            InetSocketAddress.createUnresolved("::1", 6881),
            InetSocketAddress.createUnresolved("2001:db8::1", 80),
            InetSocketAddress.createUnresolved("peer.example", 1));
    assertThat(link.peers()).allMatch(InetSocketAddress::isUnresolved);
  }

  @Test
  void parsesSelectOnlyRanges() {
    assertThat(parse(BTIH + "&so=0,2,4-6").selectOnly())
        .containsExactly(new FileRange(0, 0), new FileRange(2, 2), new FileRange(4, 6));
    assertThat(parse(BTIH + "&so=%201%20,3-3").selectOnly())
        .containsExactly(new FileRange(1, 1), new FileRange(3, 3));
    assertThat(parse(BTIH + "&so=7&so=8-9").selectOnly())
        .containsExactly(new FileRange(7, 7), new FileRange(8, 9));
  }

  @Test
  void ignoresUnknownAndEmptyParameters() {
    MagnetLink link =
        parse(BTIH + "&xl=12345&as=http://x&kt=a+b&mt=x&foo=%zz&&bare&xt=urn:sha1:abc&x.foo=1");
    assertThat(link).isEqualTo(MagnetLink.of(InfoHashes.ofV1(InfoHash.fromHex(V1))));
  }

  @Test
  void rejectsWhatIsNotAMagnetLink() {
    rejected("http://example.com/?xt=urn:btih:" + V1, "magnet");
    rejected("magnet:xt=urn:btih:" + V1, "magnet");
    rejected("", "magnet");
    rejected("magnet", "magnet");
  }

  @Test
  void rejectsALinkWithoutABitTorrentInfoHash() {
    rejected("magnet:?", "xt");
    rejected("magnet:?dn=x&tr=http://t/", "xt");
    rejected("magnet:?xt=urn:sha1:" + V1, "xt");
    rejected("magnet:?xt=" + V1, "xt");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "40f2245499deb2b9bfe74b0f9cc6aac7f62e7f4g",
        "40f2245499deb2b9bfe74b0f9cc6aac7f62e7f4 ",
        "40f2245499deb2b9bfe74b0f9cc6aac7f62e7f-8",
        "40f2245499deb2b9bfe74b0f9cc6aac7f62e7f4",
        "40f2245499deb2b9bfe74b0f9cc6aac7f62e7f488",
        "",
        "IDZCIVEZ32ZLTP7HJMHZZRVKY73C4721",
        "IDZCIVEZ32ZLTP7HJMHZZRVKY73C472",
        "IDZCIVEZ32ZLTP7HJMHZZRVKY73C47=="
      })
  void rejectsAMalformedBtih(String hash) {
    rejected("magnet:?xt=urn:btih:" + hash, "xt");
  }

  @Test
  void rejectsTwoDifferentInfoHashesOfOneVersion() {
    String otherV1 = "0".repeat(40);
    assertThat(rejected(BTIH + "&xt=urn:btih:" + otherV1, "xt").getMessage()).contains("two");
    rejected(BTMH + "&xt=urn:btmh:1220" + "0".repeat(64), "xt");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1114" + "00000000000000000000000000000000000000000000000000000000",
        "1320" + V2,
        "1220000000000000000000000000000000000000000000000000000000000000000",
        "122000000000000000000000000000000000000000000000000000000000000000000",
        "1220000000000000000000000000000000000000000000000000000000000000000g",
        V2,
        "1220"
      })
  void rejectsABtmhThatIsNotASha256Multihash(String multihash) {
    rejected("magnet:?xt=urn:btmh:" + multihash, "xt");
  }

  @ParameterizedTest
  @CsvSource({
    "dn, %zz",
    "dn, %4",
    "dn, abc%",
    "dn, %C3",
    "dn, %FF%FE",
    "tr, %g0",
    "ws, %",
    "so, %"
  })
  void rejectsBadPercentEscapes(String key, String value) {
    MetainfoException e = rejected(BTIH + "&" + key + "=" + value, key);
    assertThat(e.getMessage()).contains("percent-encoding");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.1",
        "10.0.0.1:",
        ":6881",
        "10.0.0.1:0",
        "10.0.0.1:70000",
        "10.0.0.1:-1",
        "10.0.0.1:port",
        "::1:6881",
        "2001:db8::1:80",
        "[]:6881",
        "[::1]",
        "10.0.0.1:99999999999"
      })
  void rejectsMalformedPeers(String peer) {
    rejected(BTIH + "&x.pe=" + peer, "x.pe");
  }

  @ParameterizedTest
  @ValueSource(strings = {"3-1", "a", "", "1-", "-1", "1-2-3", "1,,2", "2147483648", "1.5"})
  void rejectsMalformedSelectOnly(String so) {
    rejected(BTIH + "&so=" + so, "so");
  }

  @Test
  void rejectsLinksLongerThanTheLimit() {
    String base = BTIH + "&dn=";
    String longest = base + "a".repeat(MagnetLink.MAX_LENGTH - base.length());
    assertThat(parse(longest).displayName().orElseThrow())
        .hasSize(longest.length() - base.length());
    MetainfoException e = rejected(longest + "a", "magnet");
    assertThat(e.getMessage()).contains("longer than " + MagnetLink.MAX_LENGTH);
  }

  @Test
  void writesAUriWithEveryValuePercentEncoded() {
    MagnetLink link =
        new MagnetLink(
            InfoHashes.ofHybrid(InfoHash.fromHex(V1), InfoHash.fromHex(V2)),
            Optional.of("a b&c=d+é"),
            List.of("http://t/a?x=1&y=2"),
            List.of("http://w/"),
            List.of(
                InetSocketAddress.createUnresolved("10.0.0.1", 6881),
                InetSocketAddress.createUnresolved("::1", 80)),
            List.of(new FileRange(0, 0), new FileRange(2, 5)));
    assertThat(link.toUri())
        .isEqualTo(
            "magnet:?xt=urn:btih:"
                + V1
                + "&xt=urn:btmh:1220"
                + V2
                + "&dn=a%20b%26c%3Dd%2B%C3%A9"
                + "&tr=http%3A%2F%2Ft%2Fa%3Fx%3D1%26y%3D2"
                + "&ws=http%3A%2F%2Fw%2F"
                + "&x.pe=10.0.0.1%3A6881&x.pe=%5B%3A%3A1%5D%3A80"
                + "&so=0,2-5");
    assertThat(link.toString()).isEqualTo(link.toUri());
    assertThat(parse(link.toUri())).isEqualTo(link);
  }

  @Test
  void roundTripsMinimalLinks() {
    for (String uri : List.of(BTIH, BTMH, BTIH + "&xt=urn:btmh:1220" + V2)) {
      MagnetLink link = parse(uri);
      assertThat(link.toUri()).isEqualTo(uri);
      assertThat(parse(link.toUri())).isEqualTo(link);
    }
  }

  @Test
  void copiesItsLists() {
    List<String> trackers = new ArrayList<>(List.of("http://t/"));
    MagnetLink link =
        new MagnetLink(
            InfoHashes.ofV1(InfoHash.fromHex(V1)),
            Optional.empty(),
            trackers,
            List.of(),
            List.of(),
            List.of());
    trackers.add("http://other/");
    assertThat(link.trackers()).containsExactly("http://t/");
    assertThatThrownBy(() -> link.trackers().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void fileRangesContainTheirBoundsOnly() {
    FileRange range = new FileRange(4, 6);
    assertThat(range.contains(3)).isFalse();
    assertThat(range.contains(4)).isTrue();
    assertThat(range.contains(5)).isTrue();
    assertThat(range.contains(6)).isTrue();
    assertThat(range.contains(7)).isFalse();
    assertThat(new FileRange(0, 0).contains(0)).isTrue();
    assertThat(new FileRange(0, 0).contains(-1)).isFalse();
    assertThat(range).hasToString("4-6");
    assertThat(new FileRange(3, 3)).hasToString("3");
    assertThatThrownBy(() -> new FileRange(-1, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FileRange(3, 2)).isInstanceOf(IllegalArgumentException.class);
  }

  /** Character.digit accepts Arabic-Indic and fullwidth digits; an info-hash does not. */
  @ParameterizedTest
  @ValueSource(strings = {"\u0663", "\uFF13", "\uFF21", "%D9%A3"})
  void rejectsNonAsciiDigitsInAHexInfoHashWithAMetainfoException(String digit) {
    rejected("magnet:?xt=urn:btih:" + V1.substring(0, 39) + digit, "xt");
    rejected("magnet:?xt=urn:btmh:1220" + V2.substring(0, 63) + digit, "xt");
  }

  @Test
  void roundTripsLargeFileIndices() {
    MagnetLink link =
        new MagnetLink(
            InfoHashes.ofV1(InfoHash.fromHex(V1)),
            Optional.empty(),
            List.of(),
            List.of(),
            List.of(),
            List.of(new FileRange(1_000_000_000, Integer.MAX_VALUE)));
    assertThat(parse(link.toUri())).isEqualTo(link);
  }
}
