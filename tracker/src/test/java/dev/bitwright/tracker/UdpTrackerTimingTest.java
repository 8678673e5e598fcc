package dev.bitwright.tracker;

import static dev.bitwright.tracker.ScriptedUdpTracker.announceReply;
import static dev.bitwright.tracker.ScriptedUdpTracker.connect;
import static dev.bitwright.tracker.ScriptedUdpTracker.connectReply;
import static dev.bitwright.tracker.ScriptedUdpTracker.drain;
import static dev.bitwright.tracker.ScriptedUdpTracker.parse;
import static dev.bitwright.tracker.ScriptedUdpTracker.single;
import static dev.bitwright.tracker.TestData.failure;
import static dev.bitwright.tracker.UdpTrackerConnectionTest.CONNECTION_ID;
import static dev.bitwright.tracker.UdpTrackerConnectionTest.V4_TRACKER;
import static dev.bitwright.tracker.UdpTrackerConnectionTest.golden;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.tracker.ScriptedUdpTracker.Packet;
import dev.bitwright.tracker.UdpTrackerConnection.Timing;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Retransmission, time-outs, connection id expiry and close() with a fake clock (BEP 15). */
class UdpTrackerTimingTest {
  static final Timing TIMING = new Timing(Duration.ofSeconds(15), 4, Duration.ofSeconds(60));
  static final long[] RESENDS = {15, 45, 105, 225};
  static final long GIVE_UP = 465;

  final long origin = 123_456_789_000L;

  static long at(long origin, long seconds) {
    return origin + Duration.ofSeconds(seconds).toNanos();
  }

  UdpTrackerConnection connection() {
    return new UdpTrackerConnection(V4_TRACKER, "", new Random(11), TIMING);
  }

  @Test
  void defaultTimingIsTheBeps() {
    assertThat(Timing.DEFAULT).isEqualTo(TIMING);
  }

  @Test
  void unansweredConnectIsResentAt15_45_105_225AndFailsAt465() {
    UdpTrackerConnection c = connection();
    CompletableFuture<AnnounceResponse> f = c.announce(golden(AnnounceEvent.STARTED), origin);
    assertThat(single(c).isConnect()).isTrue();
    assertThat(c.nextDeadlineNanos()).isEqualTo(at(origin, 15));
    long previous = 0;
    for (int i = 0; i < RESENDS.length; i++) {
      long due = RESENDS[i];
      c.advance(at(origin, due) - 1);
      assertThat(c.poll()).as("nothing before %d s", due).isNull();
      c.advance(at(origin, due));
      Packet p = single(c);
      assertThat(p.isConnect()).isTrue();
      long next = i + 1 < RESENDS.length ? RESENDS[i + 1] : GIVE_UP;
      assertThat(next - due).isEqualTo(15L << (i + 1));
      assertThat(c.nextDeadlineNanos()).isEqualTo(at(origin, next));
      assertThat(due).isGreaterThan(previous);
      previous = due;
    }
    c.advance(at(origin, GIVE_UP) - 1);
    assertThat(f).isNotDone();
    assertThat(c.poll()).isNull();
    c.advance(at(origin, GIVE_UP));
    assertThat(failure(f))
        .isInstanceOfSatisfying(
            TrackerException.class, e -> assertThat(e.trackerSaidSo()).isFalse());
    assertThat(c.poll()).isNull();
    assertThat(c.nextDeadlineNanos()).isEqualTo(Long.MAX_VALUE);
    assertThat(c.pendingRequests()).isZero();
  }

  @Test
  void unansweredAnnounceIsResentOnTheSameScheduleReconnectingWhenTheIdExpires() {
    UdpTrackerConnection c = connection();
    CompletableFuture<AnnounceResponse> f = c.announce(golden(AnnounceEvent.STARTED), origin);
    List<ByteBuffer> first = connect(c, CONNECTION_ID, origin);
    assertThat(parse(first.get(0)).action()).isEqualTo(ScriptedUdpTracker.ANNOUNCE);
    assertThat(c.nextDeadlineNanos()).isEqualTo(at(origin, 15));
    long connectionId = CONNECTION_ID;
    for (int i = 0; i < RESENDS.length; i++) {
      long now = at(origin, RESENDS[i]);
      c.advance(now);
      Packet p = single(c);
      if (p.isConnect()) {
        // The id from the last connect is older than 60 s: a new one first, then the announce.
        connectionId++;
        c.receive(connectReply(p.transactionId(), connectionId), now);
        p = single(c);
      }
      assertThat(p.action()).isEqualTo(ScriptedUdpTracker.ANNOUNCE);
      assertThat(p.connectionId()).isEqualTo(connectionId);
      long next = i + 1 < RESENDS.length ? RESENDS[i + 1] : GIVE_UP;
      assertThat(c.nextDeadlineNanos()).isEqualTo(at(origin, next));
    }
    assertThat(connectionId).as("reconnected at 105 s and 225 s").isEqualTo(CONNECTION_ID + 2);
    c.advance(at(origin, GIVE_UP) - 1);
    assertThat(f).isNotDone();
    c.advance(at(origin, GIVE_UP));
    assertThat(failure(f)).isInstanceOf(TrackerException.class);
    assertThat(c.poll()).isNull();
  }

  @Test
  void expiredConnectionIdDuringRetransmissionTriggersAReconnect() {
    UdpTrackerConnection c = connection();
    CompletableFuture<AnnounceResponse> f = c.announce(golden(AnnounceEvent.NONE), origin);
    Packet announce = parse(connect(c, CONNECTION_ID, origin).get(0));
    c.advance(at(origin, 15));
    Packet again = single(c);
    assertThat(again.isConnect()).isFalse();
    assertThat(again.connectionId()).isEqualTo(CONNECTION_ID);
    assertThat(again.body()).isEqualTo(announce.body());
    c.advance(at(origin, 45));
    assertThat(single(c).connectionId()).isEqualTo(CONNECTION_ID);
    c.advance(at(origin, 105));
    Packet reconnect = single(c);
    assertThat(reconnect.isConnect()).isTrue();
    c.receive(connectReply(reconnect.transactionId(), 77L), at(origin, 106));
    Packet resent = single(c);
    assertThat(resent.connectionId()).isEqualTo(77L);
    assertThat(resent.body()).isEqualTo(announce.body());
    c.receive(announceReply(resent.transactionId(), 60, 1, 2, new byte[0]), at(origin, 107));
    assertThat(f.getNow(null).seeders()).hasValue(2);
    assertThat(c.nextDeadlineNanos()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void aReplyToASupersededConnectIsIgnored() {
    UdpTrackerConnection c = connection();
    CompletableFuture<AnnounceResponse> f = c.announce(golden(AnnounceEvent.NONE), origin);
    Packet connect = single(c);
    c.advance(at(origin, 15));
    Packet connectAgain = single(c);
    assertThat(connectAgain.isConnect()).isTrue();
    c.receive(connectReply(connect.transactionId(), 1L), at(origin, 16));
    assertThat(c.poll()).as("a reply to a superseded connect").isNull();
    c.receive(connectReply(connectAgain.transactionId(), 2L), at(origin, 16));
    Packet announce = single(c);
    assertThat(announce.connectionId()).isEqualTo(2L);
    assertThat(c.nextDeadlineNanos()).isEqualTo(at(origin, 31));
    c.receive(announceReply(announce.transactionId(), 60, 0, 0, new byte[0]), at(origin, 17));
    assertThat(f).isCompleted();
  }

  @Test
  void closeFailsPendingRequests() {
    UdpTrackerConnection c = connection();
    CompletableFuture<AnnounceResponse> inFlight = c.announce(golden(AnnounceEvent.NONE), origin);
    connect(c, CONNECTION_ID, origin);
    c.advance(at(origin, 61));
    CompletableFuture<AnnounceResponse> waiting =
        c.announce(golden(AnnounceEvent.NONE), at(origin, 61));
    var scrape = c.scrape(List.of(new byte[20]), at(origin, 61));
    assertThat(single(c).isConnect()).isTrue();
    assertThat(c.pendingRequests()).isEqualTo(3);
    c.close();
    assertThat(failure(inFlight)).isInstanceOf(TrackerException.class);
    assertThat(failure(waiting)).isInstanceOf(TrackerException.class);
    assertThat(failure(scrape)).isInstanceOf(TrackerException.class);
    assertThat(c.pendingRequests()).isZero();
    assertThat(c.nextDeadlineNanos()).isEqualTo(Long.MAX_VALUE);
    c.advance(at(origin, 1000));
    assertThat(c.poll()).isNull();
  }

  @Test
  void zeroRetransmissionsFailAfterTheFirstTimeout() {
    UdpTrackerConnection c =
        new UdpTrackerConnection(
            V4_TRACKER,
            "",
            new Random(1),
            new Timing(Duration.ofSeconds(2), 0, Duration.ofMinutes(1)));
    CompletableFuture<AnnounceResponse> f = c.announce(golden(AnnounceEvent.NONE), origin);
    drain(c);
    assertThat(c.nextDeadlineNanos()).isEqualTo(at(origin, 2));
    c.advance(at(origin, 2));
    assertThat(failure(f)).isInstanceOf(TrackerException.class);
    assertThat(c.poll()).isNull();
  }

  @Test
  void timingIsValidated() {
    assertThatThrownBy(() -> new Timing(Duration.ZERO, 4, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Timing(Duration.ofSeconds(-1), 4, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Timing(Duration.ofSeconds(15), 9, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Timing(Duration.ofSeconds(15), -1, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Timing(Duration.ofSeconds(15), 4, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new Timing(Duration.ofSeconds(15), 8, Duration.ofMinutes(1)).maxRetransmissions())
        .isEqualTo(8);
  }

  @Test
  void zeroConnectionIdLifetimeIsRejected() {
    assertThatThrownBy(() -> new Timing(Duration.ofSeconds(15), 4, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void quickTimingGivesUpAfter21Seconds() {
    UdpTrackerConnection c = new UdpTrackerConnection(V4_TRACKER, "", new Random(12), Timing.QUICK);
    CompletableFuture<AnnounceResponse> f = c.announce(golden(AnnounceEvent.STARTED), origin);
    drain(c);
    for (long second = 1; second < 21; second++) {
      c.advance(at(origin, second));
      drain(c);
    }
    c.advance(at(origin, 21) - 1);
    assertThat(f).isNotDone();
    c.advance(at(origin, 21));
    assertThat(f).isCompletedExceptionally();
  }

  @Test
  void anUnreachableTrackerFailsEveryRequestAtOnce() {
    UdpTrackerConnection c = connection();
    CompletableFuture<AnnounceResponse> f = c.announce(golden(AnnounceEvent.STARTED), origin);
    drain(c);
    c.unreachable();
    assertThatThrownBy(f::join).hasCauseInstanceOf(TrackerException.class);
    assertThat(c.nextDeadlineNanos()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void datagramsNotYetPolledAreDroppedWhenEveryRequestFails() {
    UdpTrackerConnection c = connection();
    CompletableFuture<AnnounceResponse> f = c.announce(golden(AnnounceEvent.STARTED), origin);
    c.unreachable();
    assertThat(f).isCompletedExceptionally();
    assertThat(c.poll()).as("the connect asked for nothing any more").isNull();
  }

  @Test
  void deadlinesFollowTheClockAcrossItsWrapAround() {
    long beforeWrap = Long.MAX_VALUE - Duration.ofSeconds(5).toNanos();
    UdpTrackerConnection c = connection();
    c.announce(golden(AnnounceEvent.NONE), beforeWrap);
    drain(c);
    long first = at(beforeWrap, 15);
    assertThat(first).as("past the wrap").isNegative();
    assertThat(c.nextDeadlineNanos()).isEqualTo(first);
    c.advance(first - 1);
    assertThat(c.poll()).isNull();
    c.advance(first);
    assertThat(single(c).isConnect()).isTrue();
  }
}
