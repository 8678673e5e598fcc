package dev.bitwright.session.internal.torrent;

import dev.bitwright.session.CloseReason;
import dev.bitwright.session.internal.data.PiecePicker;
import dev.bitwright.session.internal.data.TorrentData;
import dev.bitwright.session.internal.peer.Block;
import dev.bitwright.session.internal.peer.PeerConnection;
import dev.bitwright.session.internal.peer.PeerState;
import dev.bitwright.wire.ExtensionHandshake;
import dev.bitwright.wire.MetadataAssembler;
import dev.bitwright.wire.PeerMessage;
import dev.bitwright.wire.UploadOnly;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which pieces each peer has, and our interest in it: haves, bitfields, have-all and have-none,
 * lt_donthave, the counts the picker keeps of them, what we tell peers of our own pieces, and the
 * interested and upload-only messages that follow. Loop thread only.
 */
final class Availability {
  /** The most pieces metadata of the largest size accepted can describe (20 bytes per piece). */
  static final int MAX_PIECES = MetadataAssembler.MAX_METADATA_SIZE / 20;

  private final TorrentRuntime torrent;
  private final UploadScheduler uploads;
  private final Set<PeerConnection> havesSent = new HashSet<>();

  Availability(TorrentRuntime torrent, UploadScheduler uploads) {
    this.torrent = torrent;
    this.uploads = uploads;
  }

  /** Sends our pieces once the data is checked: have-all, have-none or a bitfield. */
  void sendHaves(PeerConnection p) {
    if (!torrent.dataKnown() || havesSent.contains(p) || !p.isActive()) {
      return;
    }
    havesSent.add(p);
    BitSet have = torrent.data().picker().haveSet();
    int count = torrent.data().pieceCount();
    boolean fast = p.state().supportsFast();
    if (fast && have.cardinality() == count) {
      p.send(new PeerMessage.HaveAll());
    } else if (fast && have.isEmpty()) {
      p.send(new PeerMessage.HaveNone());
    } else if (!have.isEmpty()) {
      byte[] bits = new byte[(count + 7) / 8];
      have.stream().forEach(i -> bits[i >>> 3] |= (byte) (0x80 >>> (i & 7)));
      p.send(new PeerMessage.Bitfield(bits));
    }
    if (fast) {
      uploads.offerAllowedFast(p, have);
    }
  }

  void have(PeerConnection p, int piece) {
    PeerState s = p.state();
    if (s.has(piece)) {
      return;
    }
    if (!torrent.dataKnown() && piece >= MAX_PIECES) {
      // The decoder checks indexes once the piece count is known; before, bound the bit set.
      p.close(CloseReason.PROTOCOL_ERROR, "have for piece " + piece + ": beyond any metadata");
      return;
    }
    s.markHave(piece);
    if (torrent.dataKnown()) {
      PiecePicker picker = torrent.data().picker();
      if (s.countedBy(picker)) {
        picker.peerHas(piece);
      }
      // A HAVE only adds to the peer's pieces: interest can only start, and only a piece we want
      // gives something new to ask for. Recomputing interest over all pieces for every HAVE was a
      // fifth of the loop thread's work in a swarm of 40 leechers.
      if (count(p) && torrent.data().wanted(piece)) {
        if (p.state().amInterested()) {
          torrent.protocol().requests().fill(p);
        } else {
          updateInterest(p);
        }
      }
    }
  }

  void bitfield(PeerConnection p, PeerMessage.Bitfield b) {
    BitSet bits = new BitSet();
    for (int i = 0; i < b.length() * 8; i++) {
      if (b.has(i)) {
        bits.set(i);
      }
    }
    uncount(p);
    p.state().replacePieces(bits);
    if (torrent.dataKnown() && count(p)) {
      updateInterest(p);
    }
  }

  void haveAll(PeerConnection p) {
    uncount(p);
    p.state().markSeed();
    if (torrent.dataKnown() && count(p)) {
      updateInterest(p);
    }
  }

  /** A peer no longer has {@code piece} (lt_donthave): a seed becomes a peer with the rest. */
  void dontHave(PeerConnection p, int piece) {
    PeerState s = p.state();
    PiecePicker picker = torrent.data().picker();
    if (s.isSeed()) {
      uncount(p);
      s.seedToPeer(torrent.data().pieceCount());
    }
    for (Block b : s.dropRequestsOf(piece)) {
      picker.requestDropped(b);
    }
    if (s.dropHave(piece) && s.countedBy(picker)) {
      BitSet gone = new BitSet();
      gone.set(piece);
      picker.peerGone(gone);
    }
    if (count(p)) {
      updateInterest(p);
    }
  }

  /**
   * Makes the picker count {@code p}'s pieces, unless it does already: peers that told us their
   * pieces before the data was checked (magnet links, checks at start, rechecks with a new picker)
   * are counted once it is. A peer found to have every piece counts as a seed. Returns false when
   * that closed the connection (both sides seeds).
   */
  boolean count(PeerConnection p) {
    PeerState s = p.state();
    PiecePicker picker = torrent.data().picker();
    int pieceCount = torrent.data().pieceCount();
    if (!s.countedBy(picker)) {
      s.markCountedBy(picker);
      if (s.isSeed()) {
        picker.seedJoined();
      } else {
        s.trimPieces(pieceCount);
        s.pieces().stream().forEach(picker::peerHas);
      }
    }
    if (!s.isSeed() && s.pieceCount() == pieceCount) {
      picker.peerGone(s.pieces());
      picker.seedJoined();
      s.markSeed();
    }
    return !(s.isSeed() && closedBetweenSeeds(p));
  }

  /** Takes {@code p}'s pieces out of the picker's counts, if they are in. */
  void uncount(PeerConnection p) {
    PeerState s = p.state();
    if (torrent.dataKnown() && s.countedBy(torrent.data().picker())) {
      if (s.isSeed()) {
        torrent.data().picker().seedLeft();
      } else {
        torrent.data().picker().peerGone(s.pieces());
      }
    }
    s.markUncounted();
  }

  /**
   * Closes the connection to a seed when we are seeding too, as {@link TorrentRuntime#finished()}
   * does: neither side wants anything, and the connection would hold one of the other's slots (a
   * finished torrent dials the seeds it knows again after their back-off). Returns whether it did.
   */
  private boolean closedBetweenSeeds(PeerConnection p) {
    if (torrent.isUploadOnly() && torrent.data().picker().isComplete()) {
      p.close(CloseReason.BOTH_SEEDS);
      return true;
    }
    return false;
  }

  /** Sends interested or not interested when that changes. */
  void updateInterest(PeerConnection p) {
    if (!torrent.dataKnown() || !p.isActive()) {
      return;
    }
    boolean want = wantsFrom(p);
    if (p.state().setAmInterested(want)) {
      p.send(want ? new PeerMessage.Interested() : new PeerMessage.NotInterested());
    }
    if (want) {
      torrent.protocol().requests().fill(p);
    }
  }

  private boolean wantsFrom(PeerConnection p) {
    TorrentData data = torrent.data();
    if (data.picker().isComplete()) {
      return false;
    }
    BitSet theirs = p.state().piecesUnlessSeed();
    if (theirs == null) {
      return true;
    }
    BitSet missing = data.picker().haveSet();
    missing.flip(0, data.pieceCount());
    missing.and(theirs);
    for (int i = missing.nextSetBit(0); i >= 0; i = missing.nextSetBit(i + 1)) {
      if (data.wanted(i)) {
        return true;
      }
    }
    return false;
  }

  /** A piece verified: tell everyone, reconsider interest. */
  void broadcastHave(int piece) {
    for (PeerConnection p : List.copyOf(torrent.peers())) {
      if (p.isActive()) {
        p.sendSoon(new PeerMessage.Have(piece));
        if (p.state().amInterested() && !wantsFrom(p) && p.state().setAmInterested(false)) {
          p.send(new PeerMessage.NotInterested());
        }
      }
    }
  }

  /**
   * Tells a peer that we stopped or restarted downloading (BEP 21 upload only), if it understands
   * the message; a peer that only uploads too is of no use to us any more and is closed.
   */
  void uploadOnlyChanged(PeerConnection p) {
    if (!p.isActive()) {
      return;
    }
    p.sendExtended(ExtensionHandshake.UPLOAD_ONLY, new UploadOnly(torrent.isUploadOnly()).encode());
    closeIfBothUploadOnly(p);
  }

  /** Closes the connection when neither side downloads any more: it would only hold slots. */
  void closeIfBothUploadOnly(PeerConnection p) {
    if (p.state().isUploadOnly() && torrent.isUploadOnly() && !p.state().peerInterested()) {
      p.close(CloseReason.BOTH_UPLOAD_ONLY);
    }
  }

  /** The data is checked: every peer's pieces are counted, and it hears of ours. */
  void dataReady() {
    for (PeerConnection p : List.copyOf(torrent.peers())) {
      if (count(p)) {
        sendHaves(p);
        updateInterest(p);
      }
    }
  }

  /** Every wanted piece is here: peers hear that we only upload, and seeds are left. */
  void torrentFinished() {
    for (PeerConnection p : List.copyOf(torrent.peers())) {
      uploadOnlyChanged(p);
      updateInterest(p);
      if (p.state().isSeed()) {
        p.close(CloseReason.BOTH_SEEDS);
      }
    }
  }

  /** The torrent wants pieces again (files no longer skipped): peers hear it, interest returns. */
  void downloadingAgain() {
    for (PeerConnection p : List.copyOf(torrent.peers())) {
      uploadOnlyChanged(p);
      updateInterest(p);
    }
  }

  void disconnected(PeerConnection p) {
    havesSent.remove(p);
    if (torrent.dataKnown()) {
      uncount(p);
    }
  }
}
