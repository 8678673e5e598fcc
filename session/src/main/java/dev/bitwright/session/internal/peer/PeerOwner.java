package dev.bitwright.session.internal.peer;

import dev.bitwright.session.CloseReason;
import dev.bitwright.storage.PieceStore;
import dev.bitwright.wire.PeerMessage;
import dev.bitwright.wire.WireException;
import dev.bitwright.wire.WireLimits;

/** The torrent a connection serves: it decides what messages mean. */
public interface PeerOwner {
  /** Returns the 20-byte info-hash of our handshake. */
  byte[] wireHash();

  /** Returns the limits the message decoder applies. */
  WireLimits wireLimits();

  /** Returns why {@code peer}, handshake done, may not stay, or null when it may. */
  CloseReason refusal(PeerConnection peer);

  /** {@code peer} finished its handshake and was admitted. */
  void ready(PeerConnection peer);

  /**
   * Returns the handler of {@code peer}'s messages, asked once when its handshake is done, before
   * {@link #ready}; its {@link WireException} closes the connection as a protocol error.
   */
  PeerMessage.Handler messageHandler(PeerConnection peer);

  /** Every message of one read was handled. */
  void afterMessages(PeerConnection peer);

  /** Returns whether {@code bytes} may be uploaded now (rate limits), spending them if so. */
  boolean mayUpload(PeerConnection peer, int bytes);

  /** A block of {@code bytes} was sent. */
  void uploaded(PeerConnection peer, int bytes);

  /** Returns the torrent's wire trace (to the log only unless a file was asked for). */
  WireTrace wireTrace();

  /** Returns the storage uploads read from. */
  PieceStore store();

  /** The files no longer hold {@code piece}, which a peer asked for. */
  void dataMissing(int piece);

  /**
   * The connection closed.
   *
   * @param wasActive whether the handshake was done
   * @param refusedMse whether we offered MSE and the peer closed during it
   */
  void closed(
      PeerConnection peer,
      CloseReason reason,
      String detail,
      boolean wasActive,
      boolean refusedMse);
}
