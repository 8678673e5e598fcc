package dev.bitwright.session.internal.torrent;

import dev.bitwright.session.internal.peer.PeerConnection;
import dev.bitwright.session.internal.peer.PeerState;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Tit-for-tat choking: every 10 seconds the interested peers that gave us the most (while
 * downloading; the ones we upload to fastest while seeding) get the {@value #REGULAR_SLOTS} regular
 * slots, and every 30 seconds one more interested peer, chosen at random with new peers three times
 * as likely, gets the optimistic slot. Everyone else is choked. Among peers of equal rate (all of
 * them, when none takes anything), peers of addresses with fewer peers go first, then the one
 * unchoked longest ago: slots go round, and many connections from one address do not crowd out the
 * others.
 *
 * <p>A slot is for peers that take data. A peer {@linkplain #wastesSlot wastes its slot} when
 * blocks wait for it and its socket took nothing for {@value #STALL_MILLIS} ms (it does not read
 * what we send: a cheap attack holds slots that way), or when it took no block at all for {@value
 * #SLOT_IDLE_SECONDS} seconds after it was unchoked; it gives way to a peer that waits, at once
 * rather than at the next round, and one that did not read is not unchoked again for a minute.
 */
final class Choker {
  static final int REGULAR_SLOTS = 4;
  static final long ROUND_NANOS = 10_000_000_000L;
  static final long OPTIMISTIC_NANOS = 30_000_000_000L;
  private static final long NEW_PEER_NANOS = 60_000_000_000L;
  static final int SLOT_IDLE_SECONDS = 3;
  static final long SLOT_IDLE_NANOS = SLOT_IDLE_SECONDS * 1_000_000_000L;
  static final int STALL_MILLIS = 1500;
  static final long STALL_NANOS = STALL_MILLIS * 1_000_000L;
  static final long NOT_READING_PENALTY_NANOS = 60_000_000_000L;

  private final RandomGenerator random;
  private PeerConnection optimistic;
  private long lastOptimistic = Long.MIN_VALUE;

  Choker(RandomGenerator random) {
    this.random = random;
  }

  /** Returns the peers to unchoke now; the caller chokes the rest. */
  List<PeerConnection> unchoked(List<PeerConnection> peers, boolean seeding, long now) {
    List<PeerConnection> interested = new ArrayList<>();
    for (PeerConnection p : peers) {
      if (mayBeUnchoked(p, now)) {
        interested.add(p);
      }
    }
    Comparator<PeerConnection> byRate =
        seeding
            ? Comparator.comparingLong((PeerConnection p) -> p.activity().uploadRate(now))
            : Comparator.comparingLong((PeerConnection p) -> p.activity().downloadRate(now));
    // Equal rates: peers of addresses with fewer peers first (twenty connections from one address
    // must not outrank a peer from another), then the one unchoked longest ago.
    Map<InetAddress, Integer> perAddress = new HashMap<>();
    interested.forEach(p -> perAddress.merge(p.address().getAddress(), 1, Integer::sum));
    interested.sort(
        byRate
            .reversed()
            .thenComparingInt((PeerConnection p) -> perAddress.get(p.address().getAddress()))
            .thenComparingLong(p -> -p.activity().unchokedFor(now)));
    List<PeerConnection> chosen =
        new ArrayList<>(interested.subList(0, Math.min(REGULAR_SLOTS, interested.size())));
    if (optimistic == null
        || !interested.contains(optimistic)
        || now - lastOptimistic >= OPTIMISTIC_NANOS) {
      optimistic = pickOptimistic(interested, chosen, now);
      lastOptimistic = now;
    }
    if (optimistic != null && !chosen.contains(optimistic)) {
      chosen.add(optimistic);
    }
    return chosen;
  }

  /** Returns whether {@code p} wants a slot and may have one: interested, not a seed, reading. */
  static boolean mayBeUnchoked(PeerConnection p, long now) {
    PeerState s = p.state();
    return s.peerInterested() && !s.isSeed() && !p.activity().notReading(now);
  }

  /** Returns whether {@code p} holds a slot without taking anything in it (see the class doc). */
  static boolean wastesSlot(PeerConnection p, long now) {
    if (p.state().amChoking()) {
      return false;
    }
    if (p.uploadsWaiting()) {
      return p.activity().stalledFor(now) >= STALL_NANOS;
    }
    return p.activity().idleFor(now) >= SLOT_IDLE_NANOS;
  }

  /** Notes that {@code p}, choked for wasting its slot, did not read what waited for it. */
  static void penalizeIfNotReading(PeerConnection p, long now) {
    if (p.uploadsWaiting()) {
      p.activity().barUntil(now + NOT_READING_PENALTY_NANOS);
    }
  }

  private PeerConnection pickOptimistic(
      List<PeerConnection> interested, List<PeerConnection> chosen, long now) {
    List<PeerConnection> candidates = new ArrayList<>();
    for (PeerConnection p : interested) {
      if (!chosen.contains(p)) {
        int weight = p.activity().connectedFor(now) < NEW_PEER_NANOS ? 3 : 1;
        for (int i = 0; i < weight; i++) {
          candidates.add(p);
        }
      }
    }
    return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
  }
}
