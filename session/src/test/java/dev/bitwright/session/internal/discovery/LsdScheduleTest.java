package dev.bitwright.session.internal.discovery;

import static dev.bitwright.session.internal.discovery.LsdSchedule.DATAGRAM_GAP_NANOS;
import static dev.bitwright.session.internal.discovery.LsdSchedule.INTERVAL_NANOS;
import static dev.bitwright.session.internal.discovery.LsdSchedule.MIN_GAP_NANOS;
import static dev.bitwright.session.internal.discovery.LsdSchedule.REPEAT_NANOS;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.hash.HashCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When Local Service Discovery announces: per info-hash, and the session's datagram rate. */
class LsdScheduleTest {
  private static final long SECOND = 1_000_000_000L;
  // Far from 0, so that wrap-around arithmetic is exercised near Long.MAX_VALUE.
  private static final long T0 = Long.MAX_VALUE - 10 * SECOND;

  private static HashCode hash(int i) {
    byte[] b = new byte[20];
    b[0] = (byte) (i >> 8);
    b[1] = (byte) i;
    return HashCode.fromBytes(b);
  }

  /**
   * Runs the schedule from {@code from} to {@code to}, taking whenever it says; returns the sends.
   */
  private static Map<HashCode, List<Long>> run(LsdSchedule schedule, long from, long to) {
    Map<HashCode, List<Long>> sent = new HashMap<>();
    long now = from;
    while (to - now >= 0) {
      for (HashCode h : schedule.take(now)) {
        sent.computeIfAbsent(h, k -> new ArrayList<>()).add(now - from);
      }
      if (schedule.nextDue().isEmpty()) {
        break;
      }
      long next = schedule.nextDue().getAsLong();
      now = next - now > 0 ? next : now + 1;
    }
    return sent;
  }

  @Test
  void aNewTorrentGoesOutAtOnceThenACopyThenEveryFiveMinutes() {
    LsdSchedule s = new LsdSchedule();
    s.add(hash(1), T0);
    Map<HashCode, List<Long>> sent = run(s, T0, T0 + 11 * 60 * SECOND);
    assertThat(sent.get(hash(1)))
        .containsExactly(
            0L, REPEAT_NANOS, REPEAT_NANOS + INTERVAL_NANOS, REPEAT_NANOS + 2 * INTERVAL_NANOS);
  }

  @Test
  void oneDatagramASecondCarriesUpToTwentyFourInfoHashes() {
    LsdSchedule s = new LsdSchedule();
    for (int i = 0; i < 1000; i++) {
      s.add(hash(i), T0);
    }
    List<Long> datagrams = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    long now = T0;
    while (now - (T0 + INTERVAL_NANOS) < 0) {
      List<HashCode> due = s.take(now);
      if (!due.isEmpty()) {
        datagrams.add(now - T0);
        sizes.add(due.size());
      }
      now = s.nextDue().getAsLong();
    }
    for (int i = 1; i < datagrams.size(); i++) {
      assertThat(datagrams.get(i) - datagrams.get(i - 1))
          .isGreaterThanOrEqualTo(DATAGRAM_GAP_NANOS);
    }
    assertThat(sizes).allSatisfy(n -> assertThat(n).isBetween(1, LsdAnnounce.HASHES_PER_DATAGRAM));
    // 1,000 first announces and 1,000 copies within the interval: 84 datagrams, not 2,000.
    assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(2000);
    assertThat(datagrams).hasSize(84);
  }

  @Test
  void aTorrentStoppedAndStartedAgainWaitsForItsGap() {
    LsdSchedule s = new LsdSchedule();
    s.add(hash(1), T0);
    assertThat(s.take(T0)).containsExactly(hash(1));
    assertThat(s.take(T0 + REPEAT_NANOS)).containsExactly(hash(1));
    s.remove(hash(1), T0 + 10 * SECOND);
    s.add(hash(1), T0 + 11 * SECOND);
    assertThat(s.take(T0 + 12 * SECOND)).isEmpty();
    assertThat(s.nextDue()).hasValue(T0 + REPEAT_NANOS + MIN_GAP_NANOS);
    assertThat(s.take(T0 + REPEAT_NANOS + MIN_GAP_NANOS)).containsExactly(hash(1));
    // No copy this time: it is not new.
    assertThat(s.nextDue()).hasValue(T0 + REPEAT_NANOS + MIN_GAP_NANOS + INTERVAL_NANOS);
  }

  @Test
  void aTorrentBackAfterItsGapGoesOutAtOnce() {
    LsdSchedule s = new LsdSchedule();
    s.add(hash(1), T0);
    s.take(T0);
    s.remove(hash(1), T0 + SECOND);
    s.add(hash(1), T0 + MIN_GAP_NANOS + SECOND);
    assertThat(s.take(T0 + MIN_GAP_NANOS + SECOND)).containsExactly(hash(1));
  }

  @Test
  void aRemovedTorrentIsNotAnnounced() {
    LsdSchedule s = new LsdSchedule();
    s.add(hash(1), T0);
    s.add(hash(2), T0);
    s.remove(hash(1), T0);
    assertThat(s.take(T0)).containsExactly(hash(2));
    s.remove(hash(2), T0);
    assertThat(s.nextDue()).isEmpty();
  }

  @Test
  void addingTwiceChangesNothing() {
    LsdSchedule s = new LsdSchedule();
    s.add(hash(1), T0);
    s.take(T0);
    s.add(hash(1), T0 + SECOND);
    assertThat(s.nextDue()).hasValue(T0 + REPEAT_NANOS);
  }
}
