package dev.bitwright.session.internal.torrent;

import dev.bitwright.session.TorrentState;
import dev.bitwright.session.internal.data.PiecePicker;
import dev.bitwright.session.internal.jfr.BlockLatencyEvent;
import dev.bitwright.session.internal.peer.Block;
import dev.bitwright.session.internal.peer.PeerConnection;
import dev.bitwright.session.internal.peer.PeerState;
import dev.bitwright.wire.PeerMessage;
import java.util.List;
import java.util.OptionalInt;

/**
 * Our requests to peers: the pipeline of each (its depth follows the peer's rate, as libtorrent's
 * {@code request_queue_time}), choke and unchoke, allowed fast and suggested pieces, blocks that
 * arrive or are rejected, endgame cancels, and peers that snub us. Loop thread only.
 */
final class RequestScheduler {
  private static final int MIN_PIPELINE = 16;
  private static final int MAX_PIPELINE = 500;
  private static final long QUEUE_TIME_NANOS = 3_000_000_000L;
  static final long SNUB_NANOS = 60_000_000_000L;

  private final TorrentRuntime torrent;

  RequestScheduler(TorrentRuntime torrent) {
    this.torrent = torrent;
  }

  void unchoked(PeerConnection p) {
    p.state().setPeerChoking(false);
    fill(p);
  }

  void choked(PeerConnection p) {
    p.state().setPeerChoking(true);
    if (!p.state().supportsFast()) {
      drop(p);
    }
  }

  void allowedFast(PeerConnection p, int piece) {
    // Bounded like have indexes before the piece count is known, and in number.
    if (piece < Availability.MAX_PIECES && p.state().allowFastForUs(piece)) {
      fill(p);
    }
  }

  void suggested(PeerConnection p, int piece) {
    if (piece < Availability.MAX_PIECES) {
      p.state().suggest(piece);
    }
  }

  void rejected(PeerConnection p, PeerMessage.Reject r) {
    Block block = new Block(r.piece(), r.offset(), r.length());
    if (p.state().unmarkRequested(block) && torrent.dataKnown()) {
      torrent.counters().requestsRejected++;
      torrent.data().picker().requestDropped(block);
    }
  }

  /** Keeps the peer's request pipeline full. */
  void fill(PeerConnection p) {
    PeerState s = p.state();
    if (!torrent.dataKnown() || !s.amInterested() || torrent.state() != TorrentState.DOWNLOADING) {
      return;
    }
    PiecePicker picker = torrent.data().picker();
    boolean choked = s.peerChoking();
    // Choked, only allowed fast pieces may come; in order (sequential or deadline) they would
    // only delay the pieces wanted first, so wait for the unchoke.
    if (choked && (s.allowedFastForUs().isEmpty() || picker.inOrder())) {
      return;
    }
    int need = pipelineDepth(p) - s.requestCount();
    if (need <= 0) {
      return;
    }
    for (Block b :
        picker.pick(
            s.piecesUnlessSeed(),
            need,
            s::isRequested,
            choked ? s.allowedFastForUs() : null,
            s.suggested())) {
      s.markRequested(b, torrent.nanoTime());
      torrent.counters().requestsSent++;
      p.send(new PeerMessage.Request(b.piece(), b.offset(), b.length()));
    }
  }

  private int pipelineDepth(PeerConnection p) {
    long rate = p.activity().downloadRate(torrent.nanoTime());
    long depth = rate * QUEUE_TIME_NANOS / 1_000_000_000L / Block.SIZE;
    int limit = MAX_PIPELINE;
    OptionalInt queue = p.state().requestQueue();
    if (queue.isPresent()) {
      limit = Math.min(limit, Math.max(MIN_PIPELINE, queue.getAsInt()));
    }
    return (int) Math.max(MIN_PIPELINE, Math.min(limit, depth));
  }

  /** Forgets every request to {@code p}, giving the blocks back to the picker. */
  void drop(PeerConnection p) {
    var dropped = p.state().dropRequests();
    if (torrent.dataKnown()) {
      dropped.forEach(torrent.data().picker()::requestDropped);
    }
  }

  void piece(PeerConnection p, PeerMessage.Piece m) {
    Block block = new Block(m.piece(), m.offset(), m.length());
    p.state().pieceReceived(m.length(), torrent.nanoTime());
    torrent.transfer().downloaded(p, m.length());
    long latency = p.state().probeLatency(block, torrent.nanoTime());
    if (!p.state().answered(block, torrent.nanoTime())) {
      torrent.counters().redundantBytes += m.length();
      return;
    }
    if (latency >= 0) {
      BlockLatencyEvent.record(
          torrent.infoHashes(),
          p.address(),
          block.piece(),
          block.offset(),
          latency,
          p.state().requestCount());
    }
    if (torrent.dataKnown() && torrent.data().picker().received(block)) {
      torrent.data().write(p.key(), block, m.data());
      cancelElsewhere(p, block);
    } else {
      torrent.counters().redundantBytes += m.length();
    }
    // Once per read rather than per block (see afterMessages): one pick for all that arrived.
    p.state().wantRequests();
  }

  /** Called after the messages of one read were handled: refills the peer's pipeline if asked. */
  void afterMessages(PeerConnection p) {
    if (p.state().takeRequestsWanted()) {
      fill(p);
    }
  }

  /** Blocks arrived from a web seed: requests of the same blocks are withdrawn from the peers. */
  void cancelEverywhere(List<Block> blocks) {
    for (Block b : blocks) {
      cancelElsewhere(null, b);
    }
  }

  /** Endgame: the block arrived; withdraw the same request from other peers. */
  private void cancelElsewhere(PeerConnection from, Block block) {
    // Taken for every block: an index loop, as an iterator of the peers' view is garbage each time.
    List<PeerConnection> peers = torrent.peers();
    for (int i = 0; i < peers.size(); i++) {
      PeerConnection other = peers.get(i);
      if (other != from && other.state().unmarkRequested(block)) {
        other.send(new PeerMessage.Cancel(block.piece(), block.offset(), block.length()));
        torrent.counters().requestsCancelled++;
        torrent.data().picker().requestDropped(block);
      }
    }
  }

  /** Every second: a peer that sent no block for a minute is snubbed, and its requests drop. */
  void tick(PeerConnection p, long now) {
    if (p.state().snubsFor(now, SNUB_NANOS)) {
      p.state().markSnubbed();
      drop(p);
    }
    fill(p);
  }
}
