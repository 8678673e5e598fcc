package dev.bitwright.session.internal.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.session.internal.net.Connection;
import dev.bitwright.session.internal.peer.PeerConnection;
import dev.bitwright.session.internal.peer.PeerState;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ChokerTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long NOW = 1_000 * SECOND;

  /** A peer (no engine, no torrent: the choker reads only flags, rates and the connect time). */
  private static PeerConnection peer(long downloadRate, long uploadRate, boolean isNew) {
    return peer(
        new InetSocketAddress("10.0.0." + (++peers % 250), 6881), downloadRate, uploadRate, isNew);
  }

  private static PeerConnection peer(
      InetSocketAddress address, long downloadRate, long uploadRate, boolean isNew) {
    PeerConnection p = new PeerConnection(TestPeerEnvironment.at(NOW), null, false, false);
    p.onConnected(new AddressOnly(address));
    PeerState s = p.state();
    p.activity().connected(isNew ? NOW - 5 * SECOND : NOW - 600 * SECOND);
    s.setPeerInterested(true);
    s.pieceReceived((int) (downloadRate * 5), NOW - 4 * SECOND);
    if (uploadRate > 0) {
      p.activity().blockSent((int) (uploadRate * 5), NOW - 4 * SECOND);
    }
    return p;
  }

  private static int peers;

  /** A connection that only has an address: each test peer its own, as most peers have. */
  private record AddressOnly(InetSocketAddress remoteAddress) implements Connection {
    @Override
    public boolean outgoing() {
      return false;
    }

    @Override
    public int write(ByteBuffer data) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void wantWrite() {}

    @Override
    public void setReading(boolean reading) {}

    @Override
    public void ensureReadCapacity(int bytes) {}

    @Override
    public void close() {}

    @Override
    public boolean isOpen() {
      return true;
    }
  }

  private static List<PeerConnection> peers(int n) {
    List<PeerConnection> peers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      peers.add(peer(1000 * (i + 1), 1000 * (n - i), false));
    }
    return peers;
  }

  /** Peer {@code i} keeps sending {@code i + 1} KB a second. */
  private static void keepRates(List<PeerConnection> peers, long now) {
    for (int i = 0; i < peers.size(); i++) {
      peers.get(i).state().pieceReceived(1000 * (i + 1), now);
    }
  }

  @Test
  void theFourFastestUploadersToUsGetRegularSlotsAndOneMoreIsOptimistic() {
    List<PeerConnection> peers = peers(8);
    List<PeerConnection> unchoked = new Choker(new SplittableRandom(1)).unchoked(peers, false, NOW);
    assertThat(unchoked).hasSize(Choker.REGULAR_SLOTS + 1);
    assertThat(unchoked.subList(0, 4))
        .containsExactly(peers.get(7), peers.get(6), peers.get(5), peers.get(4));
    assertThat(peers.subList(0, 4)).contains(unchoked.get(4));
  }

  @Test
  void seedingRanksByOurUploadRate() {
    List<PeerConnection> peers = peers(8);
    List<PeerConnection> unchoked = new Choker(new SplittableRandom(1)).unchoked(peers, true, NOW);
    assertThat(unchoked.subList(0, 4))
        .containsExactly(peers.get(0), peers.get(1), peers.get(2), peers.get(3));
    assertThat(peers.subList(4, 8)).contains(unchoked.get(4));
  }

  @Test
  void peersNotInterestedAndSeedsStayChoked() {
    List<PeerConnection> peers = peers(6);
    peers.get(5).state().setPeerInterested(false);
    peers.get(4).state().markSeed();
    List<PeerConnection> unchoked = new Choker(new SplittableRandom(1)).unchoked(peers, false, NOW);
    assertThat(unchoked).hasSize(4).doesNotContain(peers.get(5), peers.get(4));
  }

  @Test
  void fewPeersAreAllUnchokedWithoutAnOptimisticSlot() {
    List<PeerConnection> peers = peers(3);
    assertThat(new Choker(new SplittableRandom(1)).unchoked(peers, false, NOW))
        .containsExactlyInAnyOrderElementsOf(peers);
    assertThat(new Choker(new SplittableRandom(1)).unchoked(List.of(), false, NOW)).isEmpty();
  }

  @Test
  void theOptimisticSlotStaysForThirtySecondsThenRotates() {
    List<PeerConnection> peers = peers(12);
    Choker choker = new Choker(new SplittableRandom(7));
    PeerConnection first = choker.unchoked(peers, false, NOW).get(4);
    for (long t = 10; t < 30; t += 10) {
      long now = NOW + t * SECOND;
      keepRates(peers, now);
      List<PeerConnection> unchoked = choker.unchoked(peers, false, now);
      assertThat(unchoked.subList(0, 4))
          .containsExactly(peers.get(11), peers.get(10), peers.get(9), peers.get(8));
      assertThat(unchoked.get(4)).isEqualTo(first);
    }
    Set<PeerConnection> seen = new HashSet<>();
    for (int round = 1; round <= 20; round++) {
      long now = NOW + round * 30 * SECOND;
      keepRates(peers, now);
      List<PeerConnection> unchoked = choker.unchoked(peers, false, now);
      assertThat(unchoked).hasSize(5);
      seen.add(unchoked.get(4));
    }
    assertThat(seen).as("8 candidates, 20 rotations").hasSizeGreaterThanOrEqualTo(4);
  }

  @Test
  void anOptimisticPeerThatLosesInterestIsReplacedAtOnce() {
    List<PeerConnection> peers = peers(6);
    Choker choker = new Choker(new SplittableRandom(3));
    PeerConnection optimistic = choker.unchoked(peers, false, NOW).get(4);
    optimistic.state().setPeerInterested(false);
    List<PeerConnection> next = choker.unchoked(peers, false, NOW + SECOND);
    assertThat(next).hasSize(5).doesNotContain(optimistic);
  }

  @Test
  void newPeersAreThreeTimesAsLikelyToBeTheOptimisticOne() {
    int newChosen = 0;
    int trials = 2000;
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < trials; i++) {
      List<PeerConnection> peers = peers(4); // the regular slots
      PeerConnection old = peer(0, 0, false);
      PeerConnection fresh = peer(0, 0, true);
      peers.add(old);
      peers.add(fresh);
      PeerConnection optimistic = new Choker(random).unchoked(peers, false, NOW).get(4);
      if (optimistic == fresh) {
        newChosen++;
      } else {
        assertThat(optimistic).isSameAs(old);
      }
    }
    // expected 1500 (3 in 4), standard deviation about 19
    assertThat(newChosen).isBetween(1400, 1600);
  }

  /** Twenty idle connections from one address must not outrank one peer from another. */
  @Test
  void amongEqualRatesAPeerOfALessCrowdedAddressGoesFirst() {
    List<PeerConnection> crowd = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      crowd.add(peer(new InetSocketAddress("10.9.9.9", 7000 + i), 0, 0, false));
    }
    PeerConnection alone = peer(0, 0, true);
    // unchoked more recently than any of the crowd: still first
    alone.state().setAmChoking(false, NOW);
    alone.state().setAmChoking(true, NOW);
    List<PeerConnection> all = new ArrayList<>(crowd);
    all.add(alone);
    List<PeerConnection> unchoked = new Choker(new SplittableRandom(3)).unchoked(all, true, NOW);
    assertThat(unchoked.subList(0, Choker.REGULAR_SLOTS)).contains(alone);
  }

  @Test
  void aPeerThatDoesNotReadWastesItsSlotAfterAStall() {
    PeerConnection p = peer(0, 0, false);
    p.state().setAmChoking(false, NOW);
    p.activity().bytesSent(NOW);
    p.activity().blockSent(0, NOW);
    assertThat(Choker.wastesSlot(p, NOW + Choker.SLOT_IDLE_NANOS - 1)).isFalse();
    assertThat(Choker.wastesSlot(p, NOW + Choker.SLOT_IDLE_NANOS)).as("idle").isTrue();
    p.activity().blockSent(0, NOW + Choker.SLOT_IDLE_NANOS);
    assertThat(Choker.wastesSlot(p, NOW + Choker.SLOT_IDLE_NANOS)).isFalse();
  }
}
