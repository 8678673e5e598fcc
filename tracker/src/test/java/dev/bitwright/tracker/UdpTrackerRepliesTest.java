package dev.bitwright.tracker;

import static dev.bitwright.tracker.ScriptedUdpTracker.announceReply;
import static dev.bitwright.tracker.ScriptedUdpTracker.connect;
import static dev.bitwright.tracker.ScriptedUdpTracker.errorReply;
import static dev.bitwright.tracker.ScriptedUdpTracker.parse;
import static dev.bitwright.tracker.ScriptedUdpTracker.reply;
import static dev.bitwright.tracker.ScriptedUdpTracker.scrapeReply;
import static dev.bitwright.tracker.ScriptedUdpTracker.single;
import static dev.bitwright.tracker.ScriptedUdpTracker.singleConnect;
import static dev.bitwright.tracker.TestData.counting;
import static dev.bitwright.tracker.TestData.failure;
import static dev.bitwright.tracker.UdpTrackerConnectionTest.CONNECTION_ID;
import static dev.bitwright.tracker.UdpTrackerConnectionTest.V4_TRACKER;
import static dev.bitwright.tracker.UdpTrackerConnectionTest.golden;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.metainfo.InfoHash;
import dev.bitwright.tracker.ScriptedUdpTracker.Packet;
import dev.bitwright.tracker.UdpTrackerConnection.Timing;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Scrapes, errors and replies that do not fit (BEP 15). */
class UdpTrackerRepliesTest {
  final long now = 42L;

  static UdpTrackerConnection connection() {
    return new UdpTrackerConnection(V4_TRACKER, "", new Random(3), Timing.DEFAULT);
  }

  /** Starts an announce and answers the connect; returns the announce packet. */
  static Packet announce(UdpTrackerConnection c, List<CompletableFuture<AnnounceResponse>> into) {
    into.add(c.announce(golden(AnnounceEvent.NONE), 42L));
    return parse(connect(c, CONNECTION_ID, 42L).get(0));
  }

  static List<byte[]> hashes(int n) {
    List<byte[]> hashes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] h = counting(i * 20, 20);
      h[0] = (byte) i;
      hashes.add(h);
    }
    return hashes;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 37, 74})
  void scrapeRequestAndReply(int n) {
    UdpTrackerConnection c = connection();
    List<byte[]> hashes = hashes(n);
    CompletableFuture<Map<InfoHash, ScrapeStats>> f = c.scrape(hashes, now);
    Packet p = parse(connect(c, CONNECTION_ID, now).get(0));
    assertThat(p.connectionId()).isEqualTo(CONNECTION_ID);
    assertThat(p.action()).isEqualTo(ScriptedUdpTracker.SCRAPE);
    assertThat(p.raw()).hasSize(16 + 20 * n);
    ByteBuffer expected = ByteBuffer.allocate(20 * n);
    hashes.forEach(expected::put);
    assertThat(p.body()).isEqualTo(expected.array());

    int[][] stats = new int[n][];
    for (int i = 0; i < n; i++) {
      stats[i] = new int[] {i, 1000 + i, 2 * i};
    }
    stats[0] = new int[] {-1, Integer.MAX_VALUE, 0};
    c.receive(scrapeReply(p.transactionId(), stats), now);
    Map<InfoHash, ScrapeStats> result = f.getNow(null);
    assertThat(result).hasSize(n);
    assertThat(new ArrayList<>(result.keySet()))
        .isEqualTo(hashes.stream().map(InfoHash::new).toList());
    assertThat(result.get(new InfoHash(hashes.get(0))))
        .isEqualTo(new ScrapeStats(0, Integer.MAX_VALUE, 0));
    for (int i = 1; i < n; i++) {
      assertThat(result.get(new InfoHash(hashes.get(i))))
          .isEqualTo(new ScrapeStats(i, 1000 + i, 2 * i));
    }
  }

  @Test
  void scrapeSizeAndHashLengthAreChecked() {
    UdpTrackerConnection c = connection();
    assertThatThrownBy(() -> c.scrape(hashes(75), now))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> c.scrape(List.of(), now)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> c.scrape(List.of(new byte[19]), now))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(UdpTrackerConnection.MAX_SCRAPE_HASHES).isEqualTo(74);
    assertThat(c.pendingRequests()).isZero();
    assertThat(c.poll()).isNull();
  }

  @Test
  void replyWithAnotherTransactionIdIsIgnored() {
    UdpTrackerConnection c = connection();
    List<CompletableFuture<AnnounceResponse>> f = new ArrayList<>();
    Packet p = announce(c, f);
    c.receive(announceReply(p.transactionId() + 1, 60, 0, 0, new byte[0]), now);
    c.receive(errorReply(p.transactionId() ^ 0x80000000, "not you"), now);
    c.receive(ByteBuffer.wrap(new byte[] {0, 0, 0, 1, 0, 0, 0}), now);
    assertThat(f.get(0)).isNotDone();
    assertThat(c.pendingRequests()).isEqualTo(1);
    c.receive(announceReply(p.transactionId(), 60, 0, 9, new byte[0]), now);
    assertThat(f.get(0).getNow(null).seeders()).hasValue(9);
    c.receive(announceReply(p.transactionId(), 60, 0, 1, new byte[0]), now);
    assertThat(f.get(0).getNow(null).seeders()).as("a duplicate reply changes nothing").hasValue(9);
  }

  @Test
  void replyWithTheWrongActionFailsTheRequest() {
    UdpTrackerConnection c = connection();
    List<CompletableFuture<AnnounceResponse>> f = new ArrayList<>();
    Packet p = announce(c, f);
    c.receive(scrapeReply(p.transactionId(), new int[] {1, 2, 3}), now);
    assertThat(failure(f.get(0)))
        .isInstanceOfSatisfying(
            TrackerException.class, e -> assertThat(e.trackerSaidSo()).isFalse());
    assertThat(c.pendingRequests()).isZero();

    var scrape = c.scrape(hashes(1), now);
    Packet s = single(c);
    c.receive(announceReply(s.transactionId(), 60, 0, 0, new byte[0]), now);
    assertThat(failure(scrape)).isInstanceOf(TrackerException.class);
  }

  @Test
  void connectReplyWithTheWrongActionOrTooShortFailsWaitingRequests() {
    UdpTrackerConnection c = connection();
    CompletableFuture<AnnounceResponse> f = c.announce(golden(AnnounceEvent.NONE), now);
    Packet connect = singleConnect(c);
    c.receive(reply(ScriptedUdpTracker.ANNOUNCE, connect.transactionId(), new byte[12]), now);
    assertThat(failure(f)).isInstanceOf(TrackerException.class);
    assertThat(c.nextDeadlineNanos()).isEqualTo(Long.MAX_VALUE);

    CompletableFuture<AnnounceResponse> g = c.announce(golden(AnnounceEvent.NONE), now);
    connect = singleConnect(c);
    c.receive(reply(ScriptedUdpTracker.CONNECT, connect.transactionId(), new byte[7]), now);
    assertThat(failure(g)).isInstanceOf(TrackerException.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {8, 12, 19})
  void truncatedAnnounceRepliesFail(int length) {
    UdpTrackerConnection c = connection();
    List<CompletableFuture<AnnounceResponse>> f = new ArrayList<>();
    Packet p = announce(c, f);
    byte[] full = ScriptedUdpTracker.array(announceReply(p.transactionId(), 60, 1, 1, new byte[0]));
    c.receive(ByteBuffer.wrap(full, 0, length), now);
    assertThat(failure(f.get(0)))
        .isInstanceOfSatisfying(
            TrackerException.class, e -> assertThat(e.trackerSaidSo()).isFalse());
  }

  @Test
  void shortScrapeRepliesFail() {
    UdpTrackerConnection c = connection();
    var f = c.scrape(hashes(3), now);
    Packet p = parse(connect(c, CONNECTION_ID, now).get(0));
    ByteBuffer reply = scrapeReply(p.transactionId(), new int[] {1, 2, 3}, new int[] {4, 5, 6});
    c.receive(reply, now);
    assertThat(failure(f)).isInstanceOf(TrackerException.class);

    var g = c.scrape(hashes(1), now);
    Packet q = single(c);
    byte[] full = ScriptedUdpTracker.array(scrapeReply(q.transactionId(), new int[] {1, 2, 3}));
    c.receive(ByteBuffer.wrap(full, 0, 19), now);
    assertThat(failure(g)).isInstanceOf(TrackerException.class);
  }

  @Test
  void errorRepliesAreTheTrackersWord() {
    UdpTrackerConnection c = connection();
    List<CompletableFuture<AnnounceResponse>> f = new ArrayList<>();
    Packet p = announce(c, f);
    c.receive(errorReply(p.transactionId(), "torrent not registered\n"), now);
    assertThat(failure(f.get(0)))
        .isInstanceOfSatisfying(
            TrackerException.class,
            e -> {
              assertThat(e.trackerSaidSo()).isTrue();
              assertThat(e.getMessage()).contains("torrent not registered");
            });

    var scrape = c.scrape(hashes(2), now);
    Packet s = single(c);
    c.receive(errorReply(s.transactionId(), ""), now);
    assertThat(failure(scrape))
        .isInstanceOfSatisfying(
            TrackerException.class, e -> assertThat(e.trackerSaidSo()).isTrue());
  }

  @Test
  void errorReplyToTheConnectFailsEveryWaitingRequest() {
    UdpTrackerConnection c = connection();
    CompletableFuture<AnnounceResponse> a = c.announce(golden(AnnounceEvent.STARTED), now);
    var s = c.scrape(hashes(1), now);
    Packet connect = singleConnect(c);
    c.receive(errorReply(connect.transactionId(), "go away"), now);
    assertThat(failure(a))
        .isInstanceOfSatisfying(
            TrackerException.class,
            e -> {
              assertThat(e.trackerSaidSo()).isTrue();
              assertThat(e.getMessage()).contains("go away");
            });
    assertThat(failure(s)).isInstanceOf(TrackerException.class);
    assertThat(c.pendingRequests()).isZero();
  }

  @Test
  void aLongErrorMessageIsCut() {
    UdpTrackerConnection c = connection();
    List<CompletableFuture<AnnounceResponse>> f = new ArrayList<>();
    Packet p = announce(c, f);
    c.receive(errorReply(p.transactionId(), "x".repeat(60_000)), now);
    assertThat(failure(f.get(0)).getMessage().length()).isLessThan(2000);
  }

  @Test
  void theDatagramsPositionIsHonoured() {
    UdpTrackerConnection c = connection();
    List<CompletableFuture<AnnounceResponse>> f = new ArrayList<>();
    Packet p = announce(c, f);
    byte[] reply =
        ScriptedUdpTracker.array(announceReply(p.transactionId(), 60, 0, 4, new byte[0]));
    ByteBuffer inBigger = ByteBuffer.allocate(reply.length + 10);
    inBigger.position(5).put(reply).flip().position(5);
    c.receive(inBigger, now);
    assertThat(f.get(0).getNow(null).seeders()).hasValue(4);
  }
}
