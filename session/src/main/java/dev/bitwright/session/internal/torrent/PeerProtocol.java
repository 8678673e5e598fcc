package dev.bitwright.session.internal.torrent;

import dev.bitwright.session.CloseReason;
import dev.bitwright.session.internal.peer.PeerConnection;
import dev.bitwright.wire.PeerMessage;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * What peer messages mean for a torrent: each message goes to the concern it belongs to — {@link
 * Availability} (pieces and interest), {@link RequestScheduler} (our requests), {@link
 * UploadScheduler} (their requests and choking) and {@link ExtensionMessages} (BEP 10) — and the
 * once-a-second upkeep of every peer. Loop thread only.
 */
public final class PeerProtocol {
  private static final long KEEP_ALIVE_NANOS = 120_000_000_000L;
  private static final long SILENCE_NANOS = 180_000_000_000L;

  private final TorrentRuntime torrent;
  private final Availability availability;
  private final RequestScheduler requests;
  private final UploadScheduler uploads;
  private final ExtensionMessages extensions;

  PeerProtocol(TorrentRuntime torrent, Choker choker) {
    this.torrent = torrent;
    this.uploads = new UploadScheduler(torrent, choker);
    this.availability = new Availability(torrent, uploads);
    this.requests = new RequestScheduler(torrent);
    this.extensions = new ExtensionMessages(torrent, availability);
  }

  Availability availability() {
    return availability;
  }

  RequestScheduler requests() {
    return requests;
  }

  UploadScheduler uploads() {
    return uploads;
  }

  /** A peer finished its handshake: our pieces, our extensions, our DHT port. */
  void connected(PeerConnection p) {
    // The bitfield (or have-all/none) must come first (BEP 3, BEP 6).
    availability.sendHaves(p);
    if (p.state().handshake().supportsExtensionProtocol()) {
      extensions.sendHandshake(p);
    }
    // BEP 5: tell a peer that runs a DHT node where ours is.
    int dhtPort = torrent.host().dhtPort();
    if (p.state().handshake().supportsDht() && dhtPort > 0) {
      p.send(new PeerMessage.Port(dhtPort));
    }
  }

  /** Returns the handler of {@code p}'s messages. */
  PeerMessage.Handler handlerFor(PeerConnection p) {
    return new PeerMessages(p, torrent, this);
  }

  ExtensionMessages extensions() {
    return extensions;
  }

  /** Called after the messages of one read were handled. */
  void afterMessages(PeerConnection p) {
    requests.afterMessages(p);
  }

  void disconnected(PeerConnection p) {
    extensions.disconnected(p);
    if (torrent.dataKnown()) {
      requests.drop(p);
    }
    availability.disconnected(p);
  }

  /** Every second: keep-alives, silent and snubbing peers, PEX, requests, wasted slots. */
  void tick(long now) {
    dropASnubberIfBetterWait(now);
    if (torrent.dataKnown()) {
      uploads.reassignWastedSlots(now);
    }
    Map<InetSocketAddress, Integer> connected = ExtensionMessages.endpoints(torrent.peers());
    for (PeerConnection p : List.copyOf(torrent.peers())) {
      if (p.activity().silentFor(now) > SILENCE_NANOS) {
        p.close(CloseReason.SILENT);
        continue;
      }
      if (p.activity().quietFor(now) > KEEP_ALIVE_NANOS) {
        p.send(new PeerMessage.KeepAlive());
      }
      extensions.sendPex(p, connected, now);
      requests.tick(p, now);
    }
  }

  /**
   * With no room for more connections and a candidate ready to be tried, closes one peer that snubs
   * us (sent no block for a minute), so that the candidate can take its place.
   */
  private void dropASnubberIfBetterWait(long now) {
    if (!torrent.dataKnown()
        || torrent.data().picker().isComplete()
        || torrent.peerSet().connectionRoom() > 0
        || !torrent.peerSet().candidateReady(now)) {
      return;
    }
    for (PeerConnection p : torrent.peers()) {
      if (p.state().isSnubbed()) {
        p.close(CloseReason.SNUBBED);
        torrent.peerSet().connectMore();
        return;
      }
    }
  }
}
