package dev.bitwright.session.internal.torrent;

import dev.bitwright.session.internal.data.TorrentData;
import dev.bitwright.session.internal.jfr.ChokeRoundEvent;
import dev.bitwright.session.internal.peer.Block;
import dev.bitwright.session.internal.peer.PeerConnection;
import dev.bitwright.session.internal.peer.PeerState;
import dev.bitwright.wire.AllowedFastSet;
import dev.bitwright.wire.PeerMessage;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What we send peers: their requests served or rejected, cancels, allowed fast pieces (BEP 6), and
 * choking — the {@link Choker}'s rounds, and slots given at once to interested peers when one is
 * free or wasted. Loop thread only.
 */
final class UploadScheduler {
  static final int MAX_QUEUED_UPLOADS = 500;

  /**
   * How many pieces of its allowed fast set a peer is offered, and how many pieces it may have
   * before we stop serving them (BEP 6: for starting peers only). BEP 6 suggests 10; 5, as
   * libtorrent, spends less of a lone seed's upload on pieces several new peers fetch at once.
   */
  private static final int ALLOWED_FAST = 5;

  private final TorrentRuntime torrent;
  private final Choker choker;

  UploadScheduler(TorrentRuntime torrent, Choker choker) {
    this.torrent = torrent;
    this.choker = choker;
  }

  /**
   * Offers a Fast peer the pieces of its BEP 6 allowed fast set that we have, so that a new peer
   * gets something to trade before it is unchoked.
   */
  void offerAllowedFast(PeerConnection p, BitSet have) {
    if (!(p.address().getAddress() instanceof Inet4Address ip)) {
      return; // BEP 6 defines the set for IPv4 peers only
    }
    int count = torrent.data().pieceCount();
    for (int piece : AllowedFastSet.generate(ALLOWED_FAST, count, torrent.wireHash(), ip)) {
      if (have.get(piece)) {
        p.state().allowFastForThem(piece);
        p.send(new PeerMessage.AllowedFast(piece));
      }
    }
  }

  /** Returns whether {@code p} still starts: it has no more pieces than its allowed fast set. */
  private static boolean startingPeer(PeerConnection p) {
    return !p.state().isSeed() && p.state().pieceCount() <= ALLOWED_FAST;
  }

  void request(PeerConnection p, PeerMessage.Request r) {
    PeerState s = p.state();
    boolean fast = s.supportsFast();
    boolean serve =
        torrent.dataKnown()
            && (!s.amChoking() || (fast && startingPeer(p) && s.isAllowedFastForThem(r.piece())))
            && torrent.data().picker().have(r.piece())
            && p.queuedUploads() < MAX_QUEUED_UPLOADS;
    if (!serve) {
      if (fast) {
        p.send(new PeerMessage.Reject(r.piece(), r.offset(), r.length()));
      }
      return;
    }
    TorrentData data = torrent.data();
    if (data.mustVerifyBeforeUpload(r.piece())) {
      // Seed mode trusted the piece unhashed: once it proves good, the request is taken again from
      // the start (the peer may have been choked, or its queue filled, in the meantime).
      data.verifyBeforeUpload(
          r.piece(),
          good -> {
            if (!p.isOpen()) {
              return;
            }
            if (good) {
              request(p, r);
            } else if (fast) {
              p.send(new PeerMessage.Reject(r.piece(), r.offset(), r.length()));
            }
          });
      return;
    }
    p.queueUpload(new Block(r.piece(), r.offset(), r.length()));
  }

  void cancel(PeerConnection p, PeerMessage.Cancel c) {
    Block block = new Block(c.piece(), c.offset(), c.length());
    if (p.cancelUpload(block) && p.state().supportsFast()) {
      p.send(new PeerMessage.Reject(c.piece(), c.offset(), c.length()));
    }
  }

  void interested(PeerConnection p) {
    p.state().setPeerInterested(true);
    unchokeIfSlotFree(p);
  }

  /**
   * Unchokes a peer that became interested if a slot is free, or held by a peer that wastes it (see
   * {@link Choker}).
   */
  private void unchokeIfSlotFree(PeerConnection p) {
    long now = torrent.nanoTime();
    if (!p.state().amChoking() || !torrent.dataKnown() || !Choker.mayBeUnchoked(p, now)) {
      return;
    }
    int unchoked = 0;
    PeerConnection wasting = null;
    Map<InetAddress, List<PeerConnection>> byAddress = new HashMap<>();
    for (PeerConnection other : torrent.peers()) {
      if (!other.state().amChoking()) {
        unchoked++;
        if (wasting == null && Choker.wastesSlot(other, now)) {
          wasting = other;
        }
        byAddress.computeIfAbsent(other.address().getAddress(), a -> new ArrayList<>()).add(other);
      }
    }
    if (unchoked >= Choker.REGULAR_SLOTS + 1) {
      if (wasting != null) {
        Choker.penalizeIfNotReading(wasting, now);
        setChoke(wasting, true);
      } else if (!byAddress.containsKey(p.address().getAddress())) {
        // Slots are shared between addresses first: one that holds several gives one up to a
        // peer of an address that holds none (many connections from one address cannot keep
        // everyone else waiting).
        PeerConnection crowded = mostRecentOfCrowdedAddress(byAddress, now);
        if (crowded == null) {
          return;
        }
        setChoke(crowded, true);
      } else {
        return;
      }
    }
    setChoke(p, false);
  }

  /** Returns the peer unchoked last among those of the address holding the most slots (2+). */
  private static PeerConnection mostRecentOfCrowdedAddress(
      Map<InetAddress, List<PeerConnection>> byAddress, long now) {
    List<PeerConnection> crowded = null;
    for (List<PeerConnection> peers : byAddress.values()) {
      if (peers.size() >= 2 && (crowded == null || peers.size() > crowded.size())) {
        crowded = peers;
      }
    }
    return crowded == null
        ? null
        : crowded.stream()
            .min(Comparator.comparingLong((PeerConnection p) -> p.activity().unchokedFor(now)))
            .orElseThrow();
  }

  /**
   * Every second: slots wasted while peers wait for one go to those peers, first to peers of
   * addresses that hold the fewest slots (twenty connections from one address must not take turns
   * in front of a peer from another), then to the one unchoked longest ago.
   */
  void reassignWastedSlots(long now) {
    Map<InetAddress, Integer> slotsByAddress = new HashMap<>();
    List<PeerConnection> waiting = new ArrayList<>();
    for (PeerConnection p : torrent.peers()) {
      if (!p.state().amChoking()) {
        slotsByAddress.merge(p.address().getAddress(), 1, Integer::sum);
      } else if (Choker.mayBeUnchoked(p, now)) {
        waiting.add(p);
      }
    }
    waiting.sort(
        Comparator.comparingInt(
                (PeerConnection p) -> slotsByAddress.getOrDefault(p.address().getAddress(), 0))
            .thenComparingLong(p -> -p.activity().unchokedFor(now)));
    for (PeerConnection p : waiting) {
      unchokeIfSlotFree(p);
      if (!p.state().amChoking()) {
        slotsByAddress.merge(p.address().getAddress(), 1, Integer::sum);
      }
    }
  }

  /** The choker's round: unchoke the chosen, choke the rest. */
  void rechoke(long now) {
    if (!torrent.dataKnown()) {
      return;
    }
    ChokeRoundEvent event = ChokeRoundEvent.start();
    List<PeerConnection> chosen = choker.unchoked(torrent.peers(), torrent.isUploadOnly(), now);
    int interested = 0;
    int newlyUnchoked = 0;
    int newlyChoked = 0;
    for (PeerConnection p : List.copyOf(torrent.peers())) {
      boolean choke = !chosen.contains(p);
      if (setChoke(p, choke)) {
        newlyChoked += choke ? 1 : 0;
        newlyUnchoked += choke ? 0 : 1;
      }
      interested += p.state().peerInterested() ? 1 : 0;
    }
    torrent.counters().chokeRounds++;
    event.record(
        torrent.infoHashes(),
        torrent.isUploadOnly(),
        torrent.peers().size(),
        interested,
        chosen.size(),
        newlyUnchoked,
        newlyChoked);
  }

  /** Chokes or unchokes {@code p}; returns whether that changed its state. */
  private boolean setChoke(PeerConnection p, boolean choke) {
    if (!p.isActive() || !p.state().setAmChoking(choke, torrent.nanoTime())) {
      return false;
    }
    p.send(choke ? new PeerMessage.Choke() : new PeerMessage.Unchoke());
    if (choke) {
      torrent.counters().chokes++;
    } else {
      torrent.counters().unchokes++;
    }
    if (choke) {
      // BEP 6: a Fast peer keeps its requests through a choke until they are rejected; its
      // allowed fast pieces are still served.
      boolean fast = p.state().supportsFast();
      for (Block b : p.dropUploads(fast ? p.state().allowedFastForThem() : new BitSet())) {
        if (fast) {
          p.send(new PeerMessage.Reject(b.piece(), b.offset(), b.length()));
        }
      }
    }
    return true;
  }
}
