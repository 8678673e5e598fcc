package dev.bitwright.tracker;

import static dev.bitwright.tracker.TestData.ascii;
import static dev.bitwright.tracker.TestData.counting;
import static dev.bitwright.tracker.TestData.filled;
import static dev.bitwright.tracker.TestData.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Announce and scrape URLs (BEP 3, 7, 48). */
class HttpTrackerTest {
  /** Bytes 0x00..0x13: every one is percent-encoded. */
  static final byte[] HASH = counting(0, 20);

  static final String HASH_ENCODED = "%00%01%02%03%04%05%06%07%08%09%0A%0B%0C%0D%0E%0F%10%11%12%13";

  /** Unreserved characters stay literal; the rest are encoded. */
  static final byte[] PEER_ID = ascii("-BW0100-ab.XY_~ !/%&");

  static final String PEER_ID_ENCODED = "-BW0100-ab.XY_~%20%21%2F%25%26";

  @Test
  void announceUriGolden() throws Exception {
    AnnounceRequest r =
        new AnnounceRequest(
            HASH,
            PEER_ID,
            6881,
            1,
            2,
            3,
            AnnounceEvent.STARTED,
            50,
            0xBEEF,
            Optional.of("abc def"),
            true,
            true);
    URI uri = HttpTracker.announceUri("http://t.example:6969/announce", r);
    assertThat(uri.toString())
        .isEqualTo(
            "http://t.example:6969/announce?info_hash="
                + HASH_ENCODED
                + "&peer_id="
                + PEER_ID_ENCODED
                + "&port=6881&uploaded=1&downloaded=2&left=3&compact=1&event=started"
                + "&numwant=50&key=0000BEEF&trackerid=abc%20def&supportcrypto=1&requirecrypto=1");
    assertThat(uri.getScheme()).isEqualTo("http");
    assertThat(uri.getHost()).isEqualTo("t.example");
    assertThat(uri.getPort()).isEqualTo(6969);
    assertThat(uri.getRawPath()).isEqualTo("/announce");
  }

  @Test
  void unreservedBytesStayLiteral() throws Exception {
    byte[] hash = ascii("AZaz09-._~AZaz09-._~");
    URI uri =
        HttpTracker.announceUri(
            "https://t.example/announce", request(hash, PEER_ID, AnnounceEvent.NONE));
    assertThat(params(uri)).contains("info_hash=AZaz09-._~AZaz09-._~");
    byte[] high = filled(0xff, 20);
    assertThat(
            params(
                HttpTracker.announceUri(
                    "http://t/announce", request(high, high, AnnounceEvent.NONE))))
        .contains("info_hash=" + "%FF".repeat(20), "peer_id=" + "%FF".repeat(20));
  }

  @Test
  void regularAnnounceHasNoEventAndOptionalParametersAreOmitted() throws Exception {
    AnnounceRequest r =
        new AnnounceRequest(
            HASH, PEER_ID, 1, 0, 0, 0, AnnounceEvent.NONE, -1, -1, Optional.empty(), false, false);
    List<String> params = params(HttpTracker.announceUri("http://t/announce", r));
    assertThat(params)
        .containsExactly(
            "info_hash=" + HASH_ENCODED,
            "peer_id=" + PEER_ID_ENCODED,
            "port=1",
            "uploaded=0",
            "downloaded=0",
            "left=0",
            "compact=1",
            "key=FFFFFFFF");
  }

  @ParameterizedTest
  @EnumSource(
      value = AnnounceEvent.class,
      names = {"STARTED", "COMPLETED", "STOPPED"})
  void eventsAreNamed(AnnounceEvent event) throws Exception {
    List<String> params =
        params(HttpTracker.announceUri("http://t/announce", request(HASH, PEER_ID, event)));
    assertThat(params).contains("event=" + event.name().toLowerCase(java.util.Locale.ROOT));
    assertThat(params.stream().filter(p -> p.startsWith("event="))).hasSize(1);
  }

  @Test
  void largeCountersAreWrittenInFull() throws Exception {
    AnnounceRequest r =
        new AnnounceRequest(
            HASH,
            PEER_ID,
            65535,
            Long.MAX_VALUE,
            1L << 40,
            5_000_000_000L,
            AnnounceEvent.NONE,
            0,
            0,
            Optional.empty(),
            false,
            false);
    assertThat(params(HttpTracker.announceUri("http://t/announce", r)))
        .contains(
            "port=65535",
            "uploaded=" + Long.MAX_VALUE,
            "downloaded=1099511627776",
            "left=5000000000",
            "numwant=0",
            "key=00000000");
  }

  @Test
  void appendsWithAmpersandWhenTheUrlHasAQuery() throws Exception {
    URI uri =
        HttpTracker.announceUri(
            "http://t.example/announce.php?passkey=0123abcd",
            request(HASH, PEER_ID, AnnounceEvent.NONE));
    assertThat(uri.toString())
        .startsWith("http://t.example/announce.php?passkey=0123abcd&info_hash=" + HASH_ENCODED);
    assertThat(uri.toString()).doesNotContain("??").containsOnlyOnce("?");
  }

  @Test
  void surroundingWhitespaceIsStripped() throws Exception {
    URI uri =
        HttpTracker.announceUri(
            "  http://t/announce \n", request(HASH, PEER_ID, AnnounceEvent.NONE));
    assertThat(uri.toString()).startsWith("http://t/announce?info_hash=");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "udp://t.example:6969/announce",
        "ftp://t.example/announce",
        "wss://t.example/announce",
        "t.example/announce",
        "/announce",
        "http:///announce",
        "http://t example/announce",
        ""
      })
  void rejectsNonHttpUrls(String url) {
    assertThatThrownBy(
            () -> HttpTracker.announceUri(url, request(HASH, PEER_ID, AnnounceEvent.NONE)))
        .isInstanceOf(TrackerException.class)
        .satisfies(e -> assertThat(((TrackerException) e).trackerSaidSo()).isFalse());
    assertThatThrownBy(() -> HttpTracker.scrapeUri(url, List.of(HASH)))
        .isInstanceOf(TrackerException.class);
  }

  @Test
  void httpsAndUpperCaseSchemesAreAccepted() throws Exception {
    assertThat(
            HttpTracker.announceUri(
                    "HTTPS://t.example/announce", request(HASH, PEER_ID, AnnounceEvent.NONE))
                .getHost())
        .isEqualTo("t.example");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      value = {
        "http://example.com/announce | http://example.com/scrape",
        "http://example.com/x/announce | http://example.com/x/scrape",
        "http://example.com/announce.php | http://example.com/scrape.php",
        "http://example.com/a | ",
        "http://example.com/announce?x2%0644 | http://example.com/scrape?x2%0644",
        "http://example.com/announce?x=2/3 | http://example.com/scrape?x=2/3",
        "http://example.com/x%064announce | ",
        "http://example.com/announce/x | ",
        "http://example.com/ | ",
        "http://example.com:8080/tracker/announce | http://example.com:8080/tracker/scrape",
        "https://example.com/announce_v2?k=v | https://example.com/scrape_v2?k=v"
      },
      delimiter = '|')
  void scrapeUriPerBep48(String announce, String scrape) throws Exception {
    Optional<URI> uri = HttpTracker.scrapeUri(announce, List.of());
    if (scrape == null) {
      assertThat(uri).isEmpty();
    } else {
      assertThat(uri).hasValue(URI.create(scrape));
    }
  }

  @Test
  void scrapeUriAppendsEveryHash() throws Exception {
    byte[] other = ascii("yyyyyyyyyyyyyyyyyyyy");
    assertThat(HttpTracker.scrapeUri("http://example.com/announce", List.of(HASH, other)))
        .hasValue(
            URI.create(
                "http://example.com/scrape?info_hash="
                    + HASH_ENCODED
                    + "&info_hash=yyyyyyyyyyyyyyyyyyyy"));
    assertThat(HttpTracker.scrapeUri("http://example.com/announce?x2%0644", List.of(HASH)))
        .hasValue(URI.create("http://example.com/scrape?x2%0644&info_hash=" + HASH_ENCODED));
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://announce.example.com", "http://announce.example.com:6969"})
  void hostNamesAreNotRewritten(String announce) throws Exception {
    assertThat(HttpTracker.scrapeUri(announce, List.of(HASH))).isEmpty();
  }

  private static List<String> params(URI uri) {
    return Arrays.asList(uri.getRawQuery().split("&"));
  }
}
