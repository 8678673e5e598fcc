package dev.bitwright.tracker;

import static dev.bitwright.tracker.TestData.ascii;
import static dev.bitwright.tracker.TestData.bytes;
import static dev.bitwright.tracker.TestData.compact4;
import static dev.bitwright.tracker.TestData.compact6;
import static dev.bitwright.tracker.TestData.counting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.metainfo.InfoHash;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Announce and scrape replies written as bencode by hand (BEP 3, 7, 23, 24, 48). */
class HttpTrackerParseTest {
  static final byte[] V6_LOOPBACK = bytes(new byte[15], 1);
  static final byte[] V6_DOC = bytes(0x20, 0x01, 0x0d, 0xb8, new byte[11], 0x01);

  static InetSocketAddress peer(String ip, int port) throws Exception {
    return new InetSocketAddress(InetAddress.getByName(ip), port);
  }

  @Test
  void compactPeers() throws Exception {
    byte[] peers = bytes(compact4(1, 2, 3, 4, 6881), compact4(10, 0, 0, 1, 80));
    AnnounceResponse r =
        HttpTracker.parseAnnounce(bytes("d8:intervali1800e5:peers12:", peers, "e"));
    assertThat(r.peers()).containsExactly(peer("1.2.3.4", 6881), peer("10.0.0.1", 80));
    assertThat(r.interval()).isEqualTo(Duration.ofMinutes(30));
    assertThat(r.minInterval()).isEmpty();
    assertThat(r.seeders()).isEmpty();
    assertThat(r.leechers()).isEmpty();
    assertThat(r.trackerId()).isEmpty();
    assertThat(r.warning()).isEmpty();
    assertThat(r.externalIp()).isEmpty();
  }

  @Test
  void fullReplyWithEveryField() throws Exception {
    byte[] reply =
        bytes(
            "d8:completei7e10:incompletei3e8:intervali900e12:min intervali300e",
            "5:peers6:",
            compact4(192, 168, 1, 9, 51413),
            "6:peers618:",
            compact6(V6_DOC, 443),
            "10:tracker id5:abc12",
            "15:warning message13:slow down pls",
            "e");
    AnnounceResponse r = HttpTracker.parseAnnounce(reply);
    assertThat(r.seeders()).hasValue(7);
    assertThat(r.leechers()).hasValue(3);
    assertThat(r.interval()).isEqualTo(Duration.ofSeconds(900));
    assertThat(r.minInterval()).hasValue(Duration.ofSeconds(300));
    assertThat(r.peers()).containsExactly(peer("192.168.1.9", 51413), peer("2001:db8::1", 443));
    assertThat(r.trackerId()).hasValue("abc12");
    assertThat(r.warning()).hasValue("slow down pls");
  }

  @Test
  void dictionaryPeers() throws Exception {
    byte[] reply =
        bytes(
            "d8:intervali60e5:peersl",
            "d2:ip7:1.2.3.47:peer id20:",
            counting(0x41, 20),
            "4:porti6881ee",
            "d2:ip11:example.com7:peer id20:xxxxxxxxxxxxxxxxxxxx4:porti80ee",
            "d2:ip3:::14:porti6882ee",
            "d4:porti6883e2:ip8:10.0.0.7e",
            "d2:ip7:5.6.7.84:porti0ee",
            "d2:ip7:5.6.7.84:porti70000ee",
            "d2:ip7:5.6.7.84:porti-1ee",
            "d2:ip7:5.6.7.8e",
            "d4:porti1ee",
            "i42e",
            "ee");
    AnnounceResponse r = HttpTracker.parseAnnounce(reply);
    assertThat(r.peers())
        .containsExactly(peer("1.2.3.4", 6881), peer("::1", 6882), peer("10.0.0.7", 6883));
  }

  @Test
  void peers6Only() throws Exception {
    byte[] six = bytes(compact6(V6_LOOPBACK, 6881), compact6(V6_DOC, 1));
    AnnounceResponse r = HttpTracker.parseAnnounce(bytes("d8:intervali60e6:peers636:", six, "e"));
    assertThat(r.peers()).containsExactly(peer("::1", 6881), peer("2001:db8::1", 1));
  }

  @Test
  void compactAndDictionaryPeersWithPeers6() throws Exception {
    byte[] reply =
        bytes("d5:peersld2:ip7:1.2.3.44:porti1eee6:peers618:", compact6(V6_LOOPBACK, 2), "e");
    assertThat(HttpTracker.parseAnnounce(reply).peers())
        .containsExactly(peer("1.2.3.4", 1), peer("::1", 2));
  }

  @Test
  void portZeroEntriesAreSkippedAndATrailingPartialEntryIgnored() throws Exception {
    byte[] peers =
        bytes(compact4(1, 1, 1, 1, 0), compact4(2, 2, 2, 2, 2), new byte[] {3, 3, 3, 3, 0});
    AnnounceResponse r = HttpTracker.parseAnnounce(bytes("d5:peers17:", peers, "e"));
    assertThat(r.peers()).containsExactly(peer("2.2.2.2", 2));
    byte[] six = bytes(compact6(V6_LOOPBACK, 0), compact6(V6_DOC, 7), new byte[17]);
    r = HttpTracker.parseAnnounce(bytes("d6:peers653:", six, "e"));
    assertThat(r.peers()).containsExactly(peer("2001:db8::1", 7));
  }

  @Test
  void unsortedKeysAreAccepted() throws Exception {
    byte[] reply =
        bytes(
            "d5:peers6:",
            compact4(9, 9, 9, 9, 9),
            "8:intervali120e10:incompletei1e8:completei2e12:min intervali60ee");
    AnnounceResponse r = HttpTracker.parseAnnounce(reply);
    assertThat(r.interval()).isEqualTo(Duration.ofSeconds(120));
    assertThat(r.minInterval()).hasValue(Duration.ofSeconds(60));
    assertThat(r.seeders()).hasValue(2);
    assertThat(r.leechers()).hasValue(1);
    assertThat(r.peers()).containsExactly(peer("9.9.9.9", 9));
  }

  @Test
  void intervals() throws Exception {
    assertThat(HttpTracker.parseAnnounce(ascii("d5:peers0:e")).interval())
        .isEqualTo(HttpTracker.DEFAULT_INTERVAL);
    assertThat(HttpTracker.parseAnnounce(ascii("d8:intervali0e5:peers0:e")).interval())
        .isEqualTo(HttpTracker.DEFAULT_INTERVAL);
    assertThat(HttpTracker.parseAnnounce(ascii("d8:intervali-5e5:peers0:e")).interval())
        .isEqualTo(HttpTracker.DEFAULT_INTERVAL);
    assertThat(HttpTracker.parseAnnounce(ascii("d8:interval2:60e")).interval())
        .isEqualTo(HttpTracker.DEFAULT_INTERVAL);
    assertThat(HttpTracker.parseAnnounce(ascii("d8:intervali5e5:peers0:e")).interval())
        .isEqualTo(HttpTracker.SHORTEST_INTERVAL);
    assertThat(HttpTracker.parseAnnounce(ascii("d8:intervali59e5:peers0:e")).interval())
        .isEqualTo(HttpTracker.SHORTEST_INTERVAL);
    assertThat(HttpTracker.parseAnnounce(ascii("d8:intervali61e5:peers0:e")).interval())
        .isEqualTo(Duration.ofSeconds(61));
    assertThat(HttpTracker.parseAnnounce(ascii("d8:intervali99999999999999e5:peers0:e")).interval())
        .isEqualTo(Duration.ofSeconds(Integer.MAX_VALUE));
    assertThat(HttpTracker.parseAnnounce(ascii("d12:min intervali-1ee")).minInterval()).isEmpty();
  }

  @Test
  void countsOutOfRangeAreAbsent() throws Exception {
    AnnounceResponse r =
        HttpTracker.parseAnnounce(ascii("d8:completei-1e10:incompletei99999999999ee"));
    assertThat(r.seeders()).isEmpty();
    assertThat(r.leechers()).isEmpty();
    assertThat(r.peers()).isEmpty();
  }

  @Test
  void externalIp() throws Exception {
    assertThat(
            HttpTracker.parseAnnounce(bytes("d11:external ip4:", new byte[] {1, 2, 3, 4}, "e"))
                .externalIp())
        .hasValue(InetAddress.getByName("1.2.3.4"));
    assertThat(HttpTracker.parseAnnounce(bytes("d11:external ip16:", V6_DOC, "e")).externalIp())
        .hasValue(InetAddress.getByName("2001:db8::1"));
    assertThat(HttpTracker.parseAnnounce(ascii("d11:external ip5:12345e")).externalIp()).isEmpty();
    assertThat(HttpTracker.parseAnnounce(ascii("d11:external ipi4ee")).externalIp()).isEmpty();
  }

  @Test
  void failureReasonIsTheTrackersWord() {
    assertThatThrownBy(
            () ->
                HttpTracker.parseAnnounce(
                    ascii("d14:failure reason33:Requested download is not allowede")))
        .isInstanceOfSatisfying(
            TrackerException.class,
            e -> {
              assertThat(e.trackerSaidSo()).isTrue();
              assertThat(e.getMessage()).contains("Requested download is not allowed");
            });
    assertThatThrownBy(
            () -> HttpTracker.parseAnnounce(ascii("d14:failure reason3:bad8:intervali60ee")))
        .isInstanceOfSatisfying(
            TrackerException.class, e -> assertThat(e.trackerSaidSo()).isTrue());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "i42e", "le", "4:spam", "d", "d8:interval", "<html>502 Bad Gateway</html>"})
  void malformedRepliesAreTrackerExceptions(String body) {
    assertThatThrownBy(() -> HttpTracker.parseAnnounce(ascii(body)))
        .isInstanceOfSatisfying(
            TrackerException.class, e -> assertThat(e.trackerSaidSo()).isFalse());
    assertThatThrownBy(() -> HttpTracker.parseScrape(ascii(body)))
        .isInstanceOfSatisfying(
            TrackerException.class, e -> assertThat(e.trackerSaidSo()).isFalse());
  }

  @Test
  void replyOfExactlyTheLimitIsAcceptedAndOneByteMoreRejected() throws Exception {
    byte[] limit = TestData.paddedAnnounceReply(HttpTracker.MAX_RESPONSE_SIZE);
    assertThat(HttpTracker.parseAnnounce(limit).interval()).isEqualTo(Duration.ofMinutes(30));
    byte[] big = TestData.paddedAnnounceReply(HttpTracker.MAX_RESPONSE_SIZE + 1);
    assertThatThrownBy(() -> HttpTracker.parseAnnounce(big))
        .isInstanceOfSatisfying(
            TrackerException.class, e -> assertThat(e.trackerSaidSo()).isFalse());
  }

  @Test
  void scrapeBep48Example() throws Exception {
    byte[] reply =
        ascii(
            "d5:filesd20:xxxxxxxxxxxxxxxxxxxxd8:completei11e10:downloadedi13772e10:incompletei19e"
                + "e20:yyyyyyyyyyyyyyyyyyyyd8:completei21e10:downloadedi206e10:incompletei20eeee");
    Map<InfoHash, ScrapeStats> stats = HttpTracker.parseScrape(reply);
    assertThat(stats)
        .containsExactly(
            Map.entry(new InfoHash(ascii("xxxxxxxxxxxxxxxxxxxx")), new ScrapeStats(11, 13772, 19)),
            Map.entry(new InfoHash(ascii("yyyyyyyyyyyyyyyyyyyy")), new ScrapeStats(21, 206, 20)));
  }

  @Test
  void scrapeWithBinaryHashesMissingFieldsAndJunkEntries() throws Exception {
    byte[] hash = counting(0xf0, 20);
    byte[] reply =
        bytes(
            "d5:filesd",
            "3:abcd8:completei1ee",
            "20:",
            hash,
            "d8:completei4ee",
            "20:zzzzzzzzzzzzzzzzzzzzi5e",
            "e5:flagsd20:min_request_intervali3600eee");
    assertThat(HttpTracker.parseScrape(reply))
        .containsExactly(Map.entry(new InfoHash(hash), new ScrapeStats(4, 0, 0)));
    assertThat(HttpTracker.parseScrape(ascii("d5:filesdee"))).isEmpty();
  }

  @Test
  void scrapeFailures() {
    assertThatThrownBy(() -> HttpTracker.parseScrape(ascii("d14:failure reason9:no scrapee")))
        .isInstanceOfSatisfying(
            TrackerException.class,
            e -> {
              assertThat(e.trackerSaidSo()).isTrue();
              assertThat(e.getMessage()).contains("no scrape");
            });
    assertThatThrownBy(() -> HttpTracker.parseScrape(ascii("d5:filesle")))
        .isInstanceOfSatisfying(
            TrackerException.class, e -> assertThat(e.trackerSaidSo()).isFalse());
    assertThatThrownBy(() -> HttpTracker.parseScrape(ascii("de")))
        .isInstanceOf(TrackerException.class);
  }

  @Test
  void responsePeersAreImmutable() throws Exception {
    AnnounceResponse r =
        HttpTracker.parseAnnounce(bytes("d5:peers6:", compact4(1, 1, 1, 1, 1), "e"));
    assertThatThrownBy(() -> r.peers().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThat(r.trackerId()).isEqualTo(Optional.empty());
  }
}
