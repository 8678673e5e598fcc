package dev.bitwright.session;

/**
 * Why a peer connection closed or a peer was banned, as in {@link SessionEvent.PeerDisconnected}
 * and {@link SessionEvent.PeerBanned} (libtorrent's {@code close_reason_t} plays the same part).
 * New constants may be added in later versions: handle unknown ones with a default branch.
 */
public enum CloseReason {
  /** The peer closed the connection, or the network did (a reset, a timeout). */
  CONNECTION_LOST("connection lost"),
  /** The connection could not be opened. */
  CONNECT_FAILED("connection failed"),
  /** The peer's handshake did not arrive in time. */
  HANDSHAKE_TIMEOUT("handshake timed out"),
  /** The peer broke the protocol: a malformed message, a bad handshake, an index out of bounds. */
  PROTOCOL_ERROR("protocol error"),
  /** The peer's handshake named a torrent this session does not serve. */
  UNKNOWN_TORRENT("handshake for a torrent we do not serve"),
  /** The torrent is not running (paused, checking, stopped on an error). */
  TORRENT_NOT_RUNNING("torrent not running"),
  /** We connected to ourselves. */
  SELF_CONNECTION("connected to ourselves"),
  /** Another connection to the same peer (same peer id) exists. */
  DUPLICATE_PEER("duplicate peer id"),
  /** The torrent or the session has no room for another connection. */
  TOO_MANY_CONNECTIONS("too many connections"),
  /** An incoming connection still handshaking gave its slot to a newer one. */
  SLOT_WANTED("handshake not done, and its slot is wanted"),
  /** The peer is banned. */
  BANNED("banned"),
  /** The peer does not read what we send: its output backlog grew past the bound. */
  NOT_READING("not reading what we send"),
  /** Writing to the socket failed. */
  WRITE_FAILED("write failed"),
  /** Nothing arrived from the peer for three minutes. */
  SILENT("silent for 3 minutes"),
  /** The peer sent no block for a minute, and another peer waits for its connection slot. */
  SNUBBED("snubbed us while another peer waits"),
  /** Both sides only upload: neither wants anything from the other. */
  BOTH_UPLOAD_ONLY("both only upload"),
  /** Both sides are seeds. */
  BOTH_SEEDS("both seeds"),
  /** The peer announced metadata of a size that cannot be accepted. */
  BAD_METADATA_SIZE("unacceptable metadata size"),
  /** The peer asks for the metadata over and over. */
  METADATA_FLOOD("asks for the metadata over and over"),
  /** The peer sent data that failed verification (pieces, metadata, piece hashes). */
  BAD_DATA("sent data that failed verification"),
  /** The torrent was paused or removed. */
  PAUSED("paused"),
  /** The torrent's data is checked again. */
  RECHECK("recheck"),
  /** The torrent stopped on an error. */
  TORRENT_ERROR("torrent error"),
  /** The session is closing. */
  SESSION_CLOSED("session closed");

  private final String description;

  CloseReason(String description) {
    this.description = description;
  }

  /** {@return a short description for people, such as {@code "handshake timed out"}} */
  public String description() {
    return description;
  }
}
