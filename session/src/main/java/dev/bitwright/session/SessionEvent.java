package dev.bitwright.session;

import dev.bitwright.metainfo.InfoHashes;
import java.net.InetSocketAddress;

/**
 * Something that happened in a session, delivered to {@link SessionListener}s. Every event names
 * the torrent by its info-hashes.
 */
public sealed interface SessionEvent {
  /** Returns the torrent concerned. */
  InfoHashes torrent();

  /**
   * A torrent was added.
   *
   * @param torrent the torrent
   * @param name its name
   */
  record TorrentAdded(InfoHashes torrent, String name) implements SessionEvent {}

  /**
   * The info dictionary of a magnet link arrived and verified.
   *
   * @param torrent the torrent
   * @param name its name
   */
  record MetadataReceived(InfoHashes torrent, String name) implements SessionEvent {}

  /**
   * A piece was downloaded and verified.
   *
   * @param torrent the torrent
   * @param piece the piece index
   */
  record PieceVerified(InfoHashes torrent, int piece) implements SessionEvent {}

  /**
   * A downloaded piece failed its hash check; it is downloaded again.
   *
   * @param torrent the torrent
   * @param piece the piece index
   */
  record HashFailed(InfoHashes torrent, int piece) implements SessionEvent {}

  /**
   * A peer connection completed its handshake.
   *
   * @param torrent the torrent
   * @param peer the peer's address
   * @param client the client its peer id names, or empty text
   */
  record PeerConnected(InfoHashes torrent, InetSocketAddress peer, String client)
      implements SessionEvent {}

  /**
   * A peer connection closed.
   *
   * @param torrent the torrent
   * @param peer the peer's address
   * @param reason why, for people
   */
  record PeerDisconnected(InfoHashes torrent, InetSocketAddress peer, String reason)
      implements SessionEvent {}

  /**
   * A peer was banned: it sent data that failed the hash check, or broke the protocol.
   *
   * @param torrent the torrent
   * @param peer the peer's address
   * @param reason why
   */
  record PeerBanned(InfoHashes torrent, InetSocketAddress peer, String reason)
      implements SessionEvent {}

  /**
   * A tracker answered an announce.
   *
   * @param torrent the torrent
   * @param tracker the tracker URL
   * @param peers how many peers it returned
   */
  record TrackerReply(InfoHashes torrent, String tracker, int peers) implements SessionEvent {}

  /**
   * A tracker announce failed; it is retried after a back-off.
   *
   * @param torrent the torrent
   * @param tracker the tracker URL
   * @param message what went wrong
   */
  record TrackerError(InfoHashes torrent, String tracker, String message) implements SessionEvent {}

  /**
   * The torrent's state changed.
   *
   * @param torrent the torrent
   * @param from the old state
   * @param to the new state
   */
  record StateChanged(InfoHashes torrent, TorrentState from, TorrentState to)
      implements SessionEvent {}

  /**
   * Every wanted piece is downloaded and verified.
   *
   * @param torrent the torrent
   */
  record TorrentFinished(InfoHashes torrent) implements SessionEvent {}

  /**
   * The torrent stopped on an error (the disk, the metadata); see its status.
   *
   * @param torrent the torrent
   * @param message what went wrong
   */
  record TorrentError(InfoHashes torrent, String message) implements SessionEvent {}
}
