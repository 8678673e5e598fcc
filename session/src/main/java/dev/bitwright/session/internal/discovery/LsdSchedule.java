package dev.bitwright.session.internal.discovery;

import com.google.common.hash.HashCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * When each info-hash is announced by Local Service Discovery, on the times of an injected clock
 * (nanoseconds): a new one at once and a second copy {@link #REPEAT_NANOS} later (multicast is lost
 * without a trace, and the next announce is minutes away), then every {@link #INTERVAL_NANOS} (BEP
 * 14: every 5 minutes), never two announces of one info-hash within {@link #MIN_GAP_NANOS} beyond
 * that copy (a torrent stopped and started again waits), and at most one datagram every {@link
 * #DATAGRAM_GAP_NANOS} for the whole session, carrying up to {@link
 * LsdAnnounce#HASHES_PER_DATAGRAM} info-hashes due: a thousand torrents make 84 datagrams (first
 * announces and copies) a second apart, not 2,000 in a burst as one datagram per torrent would;
 * with that many, a copy waits behind the first announces due before it. BEP 14's "no more than 1
 * announce per minute" is read per torrent (its 5-minute interval and "round-robin" for many
 * torrents cannot hold with one per minute for the client); libtorrent sends each torrent's
 * announce three times, in a datagram each. Not thread-safe.
 */
final class LsdSchedule {
  static final long INTERVAL_NANOS = 5 * 60 * 1_000_000_000L;
  static final long REPEAT_NANOS = 2_000_000_000L;
  static final long MIN_GAP_NANOS = 60 * 1_000_000_000L;
  static final long DATAGRAM_GAP_NANOS = 1_000_000_000L;

  /** When an info-hash is due next, when it went out last, and whether the copy is still to go. */
  private static final class Entry {
    long due;
    long lastSent;
    boolean sent;
    boolean copyPending;

    Entry(long due, boolean copyPending) {
      this.due = due;
      this.copyPending = copyPending;
    }
  }

  // In the order added: the oldest due goes first among those due.
  private final Map<HashCode, Entry> tracked = new LinkedHashMap<>();
  // When each info-hash untracked lately was last announced, so that it waits its gap if it comes
  // back; dropped once the gap is over.
  private final Map<HashCode, Long> recent = new HashMap<>();
  private long lastDatagram;
  private boolean sentAny;

  /** Starts announcing {@code infoHash}: at once, or when its gap since the last announce ends. */
  void add(HashCode infoHash, long now) {
    if (tracked.containsKey(infoHash)) {
      return;
    }
    forgetOldGaps(now);
    Long last = recent.remove(infoHash);
    tracked.put(
        infoHash, last == null ? new Entry(now, true) : new Entry(last + MIN_GAP_NANOS, false));
  }

  /** Stops announcing {@code infoHash}. */
  void remove(HashCode infoHash, long now) {
    Entry entry = tracked.remove(infoHash);
    if (entry != null && entry.sent && now - entry.lastSent < MIN_GAP_NANOS) {
      recent.put(infoHash, entry.lastSent);
    }
  }

  /**
   * Returns the info-hashes to announce in one datagram now (empty when none is due or the last
   * datagram went out less than {@link #DATAGRAM_GAP_NANOS} ago) and schedules their next
   * announces.
   */
  List<HashCode> take(long now) {
    forgetOldGaps(now);
    List<HashCode> due = new ArrayList<>();
    if (sentAny && now - lastDatagram < DATAGRAM_GAP_NANOS) {
      return due;
    }
    List<Map.Entry<HashCode, Entry>> ready = new ArrayList<>();
    for (Map.Entry<HashCode, Entry> e : tracked.entrySet()) {
      if (e.getValue().due - now <= 0) {
        ready.add(e);
      }
    }
    ready.sort((a, b) -> Long.compare(a.getValue().due - b.getValue().due, 0));
    for (Map.Entry<HashCode, Entry> e : ready) {
      if (due.size() == LsdAnnounce.HASHES_PER_DATAGRAM) {
        break;
      }
      Entry entry = e.getValue();
      boolean firstOfTwo = entry.copyPending && !entry.sent;
      entry.copyPending = firstOfTwo;
      entry.due = now + (firstOfTwo ? REPEAT_NANOS : INTERVAL_NANOS);
      entry.sent = true;
      entry.lastSent = now;
      due.add(e.getKey());
    }
    if (!due.isEmpty()) {
      lastDatagram = now;
      sentAny = true;
    }
    return due;
  }

  /** Returns when {@link #take} has something to send next, if anything is tracked. */
  OptionalLong nextDue() {
    OptionalLong earliest = OptionalLong.empty();
    for (Entry e : tracked.values()) {
      if (earliest.isEmpty() || e.due - earliest.getAsLong() < 0) {
        earliest = OptionalLong.of(e.due);
      }
    }
    if (earliest.isPresent() && sentAny) {
      long open = lastDatagram + DATAGRAM_GAP_NANOS;
      return OptionalLong.of(open - earliest.getAsLong() > 0 ? open : earliest.getAsLong());
    }
    return earliest;
  }

  private void forgetOldGaps(long now) {
    for (Iterator<Long> it = recent.values().iterator(); it.hasNext(); ) {
      if (now - it.next() >= MIN_GAP_NANOS) {
        it.remove();
      }
    }
  }
}
