package dev.bitwright.tracker;

import static dev.bitwright.tracker.ScriptedUdpTracker.announceReply;
import static dev.bitwright.tracker.ScriptedUdpTracker.array;
import static dev.bitwright.tracker.ScriptedUdpTracker.connect;
import static dev.bitwright.tracker.ScriptedUdpTracker.connectReply;
import static dev.bitwright.tracker.ScriptedUdpTracker.drain;
import static dev.bitwright.tracker.ScriptedUdpTracker.parse;
import static dev.bitwright.tracker.ScriptedUdpTracker.single;
import static dev.bitwright.tracker.ScriptedUdpTracker.singleConnect;
import static dev.bitwright.tracker.TestData.bytes;
import static dev.bitwright.tracker.TestData.compact4;
import static dev.bitwright.tracker.TestData.compact6;
import static dev.bitwright.tracker.TestData.counting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.tracker.ScriptedUdpTracker.Packet;
import dev.bitwright.tracker.UdpTrackerConnection.Timing;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Connect and announce packets and replies (BEP 15, BEP 41), byte by byte. */
class UdpTrackerConnectionTest {
  static final InetSocketAddress V4_TRACKER = new InetSocketAddress("127.0.0.1", 6969);
  static final byte[] HASH = counting(0xa0, 20);
  static final byte[] PEER = TestData.ascii("-BW0100-123456789012");
  static final long CONNECTION_ID = 0x1122334455667788L;

  final FakeClock clock = new FakeClock(-5_000_000_000L);

  static AnnounceRequest golden(AnnounceEvent event) {
    return new AnnounceRequest(
        HASH,
        PEER,
        51413,
        0x2122232425262728L,
        0x0102030405060708L,
        0x1112131415161718L,
        event,
        50,
        0xCAFEBABE,
        Optional.of("ignored over UDP"),
        true,
        false);
  }

  static UdpTrackerConnection connection(InetSocketAddress tracker, String urlData) {
    return new UdpTrackerConnection(tracker, urlData, new Random(7), Timing.DEFAULT);
  }

  @Test
  void connectRequestGolden() {
    UdpTrackerConnection c = connection(V4_TRACKER, "");
    assertThat(c.tracker()).isEqualTo(V4_TRACKER);
    assertThat(c.nextDeadlineNanos()).isEqualTo(Long.MAX_VALUE);
    c.announce(golden(AnnounceEvent.STARTED), clock.now());
    List<ByteBuffer> out = drain(c);
    assertThat(out).hasSize(1);
    byte[] raw = array(out.get(0));
    assertThat(raw).hasSize(16);
    assertThat(java.util.Arrays.copyOfRange(raw, 0, 12))
        .containsExactly(0x00, 0x00, 0x04, 0x17, 0x27, 0x10, 0x19, 0x80, 0, 0, 0, 0);
    assertThat(c.poll()).as("taken once").isNull();
    assertThat(c.pendingRequests()).isEqualTo(1);
  }

  @Test
  void connectThenAnnounceGolden() throws Exception {
    UdpTrackerConnection c = connection(V4_TRACKER, "");
    CompletableFuture<AnnounceResponse> f = c.announce(golden(AnnounceEvent.STARTED), clock.now());
    Packet connect = singleConnect(c);
    c.receive(connectReply(connect.transactionId(), CONNECTION_ID), clock.now());
    List<ByteBuffer> out = drain(c);
    assertThat(out).hasSize(1);
    byte[] raw = array(out.get(0));
    int tx = ByteBuffer.wrap(raw).getInt(12);
    ByteBuffer expected = ByteBuffer.allocate(98);
    expected.putLong(0, CONNECTION_ID);
    expected.putInt(8, 1);
    expected.putInt(12, tx);
    expected.put(16, HASH);
    expected.put(36, PEER);
    expected.putLong(56, 0x0102030405060708L);
    expected.putLong(64, 0x1112131415161718L);
    expected.putLong(72, 0x2122232425262728L);
    expected.putInt(80, 2);
    expected.putInt(84, 0);
    expected.putInt(88, 0xCAFEBABE);
    expected.putInt(92, 50);
    expected.put(96, (byte) 0xC8).put(97, (byte) 0xD5);
    assertThat(raw).isEqualTo(expected.array());
    assertThat(f).isNotDone();

    byte[] peers = bytes(compact4(1, 2, 3, 4, 6881), compact4(10, 0, 0, 1, 65535));
    c.receive(announceReply(tx, 1800, 5, 7, peers), clock.now());
    AnnounceResponse r = f.getNow(null);
    assertThat(r.interval()).isEqualTo(Duration.ofSeconds(1800));
    assertThat(r.leechers()).hasValue(5);
    assertThat(r.seeders()).hasValue(7);
    assertThat(r.peers())
        .containsExactly(
            new InetSocketAddress(InetAddress.getByName("1.2.3.4"), 6881),
            new InetSocketAddress(InetAddress.getByName("10.0.0.1"), 65535));
    assertThat(r.minInterval()).isEmpty();
    assertThat(r.trackerId()).isEmpty();
    assertThat(r.warning()).isEmpty();
    assertThat(r.externalIp()).isEmpty();
    assertThat(c.pendingRequests()).isZero();
    assertThat(c.nextDeadlineNanos()).isEqualTo(Long.MAX_VALUE);
  }

  @ParameterizedTest
  @CsvSource({"NONE, 0", "COMPLETED, 1", "STARTED, 2", "STOPPED, 3"})
  void eventCodes(AnnounceEvent event, int code) {
    assertThat(event.udpCode()).isEqualTo(code);
    UdpTrackerConnection c = connection(V4_TRACKER, "");
    c.announce(golden(event), clock.now());
    Packet announce = parse(connect(c, CONNECTION_ID, clock.now()).get(0));
    assertThat(ByteBuffer.wrap(announce.raw()).getInt(80)).isEqualTo(code);
  }

  @Test
  void defaultNumWantAndPortZeroAndKeyMinusOne() {
    UdpTrackerConnection c = connection(V4_TRACKER, "");
    c.announce(
        new AnnounceRequest(
            HASH, PEER, 0, 0, 0, 0, AnnounceEvent.NONE, -1, -1, Optional.empty(), false, false),
        clock.now());
    ByteBuffer raw = ByteBuffer.wrap(parse(connect(c, CONNECTION_ID, clock.now()).get(0)).raw());
    assertThat(raw.getInt(88)).isEqualTo(-1);
    assertThat(raw.getInt(92)).isEqualTo(-1);
    assertThat(raw.getShort(96)).isZero();
    assertThat(raw.getLong(56)).isZero();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 9, 254, 255, 256, 300, 510, 511, 1000})
  void urlDataOptionsInChunksOf255(int length) {
    StringBuilder path = new StringBuilder("/announce?k=");
    while (path.length() < length) {
      path.append((char) ('a' + path.length() % 26));
    }
    String url = length < 12 ? path.substring(0, length) : path.toString();
    byte[] data = url.getBytes(StandardCharsets.UTF_8);
    UdpTrackerConnection c = connection(V4_TRACKER, url);
    c.announce(golden(AnnounceEvent.NONE), clock.now());
    byte[] raw = parse(connect(c, CONNECTION_ID, clock.now()).get(0)).raw();
    java.io.ByteArrayOutputStream options = new java.io.ByteArrayOutputStream();
    for (int from = 0; from < data.length; from += 255) {
      int n = Math.min(255, data.length - from);
      options.write(2);
      options.write(n);
      options.write(data, from, n);
    }
    assertThat(raw).hasSize(98 + options.size());
    assertThat(java.util.Arrays.copyOfRange(raw, 98, raw.length)).isEqualTo(options.toByteArray());
    assertThat(ByteBuffer.wrap(raw).getInt(92)).isEqualTo(50);
  }

  @Test
  void urlDataGolden() {
    UdpTrackerConnection c = connection(V4_TRACKER, "/dir?a=b&c=d");
    c.announce(golden(AnnounceEvent.NONE), clock.now());
    byte[] raw = parse(connect(c, CONNECTION_ID, clock.now()).get(0)).raw();
    assertThat(java.util.Arrays.copyOfRange(raw, 98, raw.length))
        .isEqualTo(bytes(2, 12, "/dir?a=b&c=d"));
  }

  @Test
  void urlDataIsNotSentWithConnectOrScrape() {
    UdpTrackerConnection c = connection(V4_TRACKER, "/announce");
    c.scrape(List.of(HASH), clock.now());
    Packet scrape = parse(connect(c, CONNECTION_ID, clock.now()).get(0));
    assertThat(scrape.raw()).hasSize(36);
  }

  @Test
  void ipv6TrackerRepliesCarry18BytePeers() throws Exception {
    InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 6969);
    UdpTrackerConnection c = connection(v6, "");
    CompletableFuture<AnnounceResponse> f = c.announce(golden(AnnounceEvent.NONE), clock.now());
    Packet announce = parse(connect(c, CONNECTION_ID, clock.now()).get(0));
    byte[] a = counting(0x20, 16);
    byte[] peers =
        bytes(compact6(a, 6881), compact6(HttpTrackerParseTest.V6_LOOPBACK, 0), new byte[17]);
    c.receive(announceReply(announce.transactionId(), 60, 0, 1, peers), clock.now());
    assertThat(f.getNow(null).peers())
        .containsExactly(new InetSocketAddress(InetAddress.getByAddress(a), 6881));
  }

  @Test
  void ipv4RepliesSkipPortZeroAndTrailingBytes() throws Exception {
    UdpTrackerConnection c = connection(V4_TRACKER, "");
    CompletableFuture<AnnounceResponse> f = c.announce(golden(AnnounceEvent.NONE), clock.now());
    Packet announce = parse(connect(c, CONNECTION_ID, clock.now()).get(0));
    byte[] peers = bytes(compact4(1, 1, 1, 1, 0), compact4(2, 2, 2, 2, 2), 3, 3, 3, 3, 3);
    c.receive(announceReply(announce.transactionId(), 60, 0, 0, peers), clock.now());
    assertThat(f.getNow(null).peers())
        .containsExactly(new InetSocketAddress(InetAddress.getByName("2.2.2.2"), 2));
  }

  @ParameterizedTest
  @CsvSource({"0, 1800", "1, 60", "59, 60", "60, 60", "3600, 3600", "-1, 4294967295"})
  void intervals(int sent, long seconds) {
    UdpTrackerConnection c = connection(V4_TRACKER, "");
    CompletableFuture<AnnounceResponse> f = c.announce(golden(AnnounceEvent.NONE), clock.now());
    Packet announce = parse(connect(c, CONNECTION_ID, clock.now()).get(0));
    c.receive(announceReply(announce.transactionId(), sent, -1, -2, new byte[0]), clock.now());
    AnnounceResponse r = f.getNow(null);
    assertThat(r.interval()).isEqualTo(Duration.ofSeconds(seconds));
    assertThat(r.seeders()).isEmpty();
    assertThat(r.leechers()).isEmpty();
    assertThat(r.peers()).isEmpty();
  }

  @Test
  void connectionIdIsReusedFor60Seconds() {
    long origin = clock.now();
    UdpTrackerConnection c = connection(V4_TRACKER, "");
    CompletableFuture<AnnounceResponse> first = c.announce(golden(AnnounceEvent.STARTED), origin);
    Packet a1 = parse(connect(c, CONNECTION_ID, origin).get(0));
    c.receive(announceReply(a1.transactionId(), 60, 0, 0, new byte[0]), origin);
    assertThat(first).isCompleted();

    for (double t : new double[] {1, 30, 59.999}) {
      long now = FakeClock.at(origin, t);
      CompletableFuture<AnnounceResponse> f = c.announce(golden(AnnounceEvent.NONE), now);
      Packet p = single(c);
      assertThat(p.isConnect()).as("no connect at %s s", t).isFalse();
      assertThat(p.connectionId()).isEqualTo(CONNECTION_ID);
      assertThat(p.action()).isEqualTo(ScriptedUdpTracker.ANNOUNCE);
      c.receive(announceReply(p.transactionId(), 60, 0, 0, new byte[0]), now);
      assertThat(f).isCompleted();
    }

    long expired = FakeClock.at(origin, 60);
    CompletableFuture<AnnounceResponse> late = c.announce(golden(AnnounceEvent.NONE), expired);
    Packet p = parse(connect(c, 0x0A0B0C0D0E0F0102L, expired).get(0));
    assertThat(p.connectionId()).isEqualTo(0x0A0B0C0D0E0F0102L);
    c.receive(announceReply(p.transactionId(), 60, 0, 0, new byte[0]), expired);
    assertThat(late).isCompleted();
  }

  @Test
  void requestsWaitingForAConnectionIdShareOneConnect() {
    UdpTrackerConnection c = connection(V4_TRACKER, "");
    CompletableFuture<AnnounceResponse> a = c.announce(golden(AnnounceEvent.STARTED), clock.now());
    var s = c.scrape(List.of(HASH), clock.now());
    CompletableFuture<AnnounceResponse> b = c.announce(golden(AnnounceEvent.NONE), clock.now());
    assertThat(c.pendingRequests()).isEqualTo(3);
    List<ByteBuffer> out = connect(c, CONNECTION_ID, clock.now());
    assertThat(out).hasSize(3);
    List<Packet> packets = out.stream().map(ScriptedUdpTracker::parse).toList();
    assertThat(packets)
        .extracting(Packet::action)
        .containsExactly(
            ScriptedUdpTracker.ANNOUNCE, ScriptedUdpTracker.SCRAPE, ScriptedUdpTracker.ANNOUNCE);
    assertThat(packets).allSatisfy(p -> assertThat(p.connectionId()).isEqualTo(CONNECTION_ID));
    assertThat(packets).extracting(Packet::transactionId).doesNotHaveDuplicates();
    c.receive(announceReply(packets.get(2).transactionId(), 60, 0, 0, new byte[0]), clock.now());
    assertThat(b).isCompleted();
    assertThat(a).isNotDone();
    assertThat(s).isNotDone();
    assertThat(c.pendingRequests()).isEqualTo(2);
  }
}
