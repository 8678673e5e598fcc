package dev.bitwright.session.internal.torrent;

import dev.bitwright.session.internal.peer.PeerConnection;
import dev.bitwright.wire.PeerMessage;

/**
 * One peer's messages, each sent to the concern it belongs to: {@link Availability} (pieces and
 * interest), {@link RequestScheduler} (our requests), {@link UploadScheduler} (their requests and
 * choking), {@link ExtensionMessages} (BEP 10), and the torrent for the DHT port and v2 hashes. One
 * per connection, made when its handshake is done; a new message type fails to compile here until
 * it is handled. Loop thread only.
 */
final class PeerMessages implements PeerMessage.Handler {
  private final PeerConnection peer;
  private final TorrentRuntime torrent;
  private final PeerProtocol protocol;

  PeerMessages(PeerConnection peer, TorrentRuntime torrent, PeerProtocol protocol) {
    this.peer = peer;
    this.torrent = torrent;
    this.protocol = protocol;
  }

  @Override
  public void onKeepAlive(PeerMessage.KeepAlive message) {
    // the time of the last bytes received is all it says, and the connection notes that
  }

  @Override
  public void onChoke(PeerMessage.Choke message) {
    protocol.requests().choked(peer);
  }

  @Override
  public void onUnchoke(PeerMessage.Unchoke message) {
    protocol.requests().unchoked(peer);
  }

  @Override
  public void onInterested(PeerMessage.Interested message) {
    protocol.uploads().interested(peer);
  }

  @Override
  public void onNotInterested(PeerMessage.NotInterested message) {
    peer.state().setPeerInterested(false);
  }

  @Override
  public void onHave(PeerMessage.Have message) {
    protocol.availability().have(peer, message.piece());
  }

  @Override
  public void onBitfield(PeerMessage.Bitfield message) {
    protocol.availability().bitfield(peer, message);
  }

  @Override
  public void onRequest(PeerMessage.Request message) {
    protocol.uploads().request(peer, message);
  }

  @Override
  public void onPiece(PeerMessage.Piece message) {
    protocol.requests().piece(peer, message);
  }

  @Override
  public void onCancel(PeerMessage.Cancel message) {
    protocol.uploads().cancel(peer, message);
  }

  @Override
  public void onPort(PeerMessage.Port message) {
    // One per connection: each one costs our DHT node a ping from its shared query budget.
    if (message.port() > 0 && peer.state().firstDhtPort()) {
      torrent.host().addDhtNode(peer.address().getAddress(), message.port());
    }
  }

  @Override
  public void onSuggest(PeerMessage.Suggest message) {
    protocol.requests().suggested(peer, message.piece());
  }

  @Override
  public void onHaveAll(PeerMessage.HaveAll message) {
    protocol.availability().haveAll(peer);
  }

  @Override
  public void onHaveNone(PeerMessage.HaveNone message) {
    protocol.availability().updateInterest(peer);
  }

  @Override
  public void onReject(PeerMessage.Reject message) {
    protocol.requests().rejected(peer, message);
  }

  @Override
  public void onAllowedFast(PeerMessage.AllowedFast message) {
    protocol.requests().allowedFast(peer, message.piece());
  }

  @Override
  public void onExtended(PeerMessage.Extended message) {
    protocol.extensions().extended(peer, message);
  }

  @Override
  public void onHashRequest(PeerMessage.HashRequest message) {
    torrent.metadata().hashRequest(peer, message);
  }

  @Override
  public void onHashes(PeerMessage.Hashes message) {
    torrent.metadata().hashesReceived(peer, message);
  }

  @Override
  public void onHashReject(PeerMessage.HashReject message) {
    torrent.metadata().hashesRejected(peer, message);
  }

  @Override
  public void onUnknown(PeerMessage.Unknown message) {
    // BEP 3: messages of unknown ids are ignored
  }
}
