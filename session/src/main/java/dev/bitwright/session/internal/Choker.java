package dev.bitwright.session.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Tit-for-tat choking: every 10 seconds the interested peers that gave us the most (while
 * downloading; the ones we upload to fastest while seeding) get the {@value #REGULAR_SLOTS} regular
 * slots, and every 30 seconds one more interested peer, chosen at random with new peers three times
 * as likely, gets the optimistic slot. Everyone else is choked.
 */
final class Choker {
  static final int REGULAR_SLOTS = 4;
  static final long ROUND_NANOS = 10_000_000_000L;
  static final long OPTIMISTIC_NANOS = 30_000_000_000L;
  private static final long NEW_PEER_NANOS = 60_000_000_000L;

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
      if (p.peerInterested && !p.peerSeed) {
        interested.add(p);
      }
    }
    Comparator<PeerConnection> byRate =
        seeding
            ? Comparator.comparingLong((PeerConnection p) -> p.uploadRate.rate(now))
            : Comparator.comparingLong((PeerConnection p) -> p.downloadRate.rate(now));
    interested.sort(byRate.reversed());
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

  private PeerConnection pickOptimistic(
      List<PeerConnection> interested, List<PeerConnection> chosen, long now) {
    List<PeerConnection> candidates = new ArrayList<>();
    for (PeerConnection p : interested) {
      if (!chosen.contains(p)) {
        int weight = now - p.connectedAt < NEW_PEER_NANOS ? 3 : 1;
        for (int i = 0; i < weight; i++) {
          candidates.add(p);
        }
      }
    }
    return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
  }
}
