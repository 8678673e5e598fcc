package dev.bitwright.session;

import dev.bitwright.metainfo.InfoHashes;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Optional;

/**
 * Something that happened in a session, delivered to {@link SessionListener}s. Every event names
 * the torrent by its info-hashes and carries the time it happened by the session's clock ({@link
 * SessionConfig#clock()}). Its {@code toString} is one log line: the time, the kind, the torrent
 * and what happened.
 */
public sealed interface SessionEvent {
  /** {@return when it happened, by the session's clock} */
  Instant time();

  /** {@return the torrent concerned} */
  InfoHashes torrent();

  /**
   * A torrent was added.
   *
   * @param time when
   * @param torrent the torrent
   * @param name its name
   */
  record TorrentAdded(Instant time, InfoHashes torrent, String name) implements SessionEvent {
    @Override
    public String toString() {
      return EventText.line(this, name);
    }
  }

  /**
   * The info dictionary of a magnet link arrived and verified.
   *
   * @param time when
   * @param torrent the torrent
   * @param name its name
   */
  record MetadataReceived(Instant time, InfoHashes torrent, String name) implements SessionEvent {
    @Override
    public String toString() {
      return EventText.line(this, name);
    }
  }

  /**
   * A piece was downloaded and verified.
   *
   * @param time when
   * @param torrent the torrent
   * @param piece the piece index
   */
  record PieceVerified(Instant time, InfoHashes torrent, int piece) implements SessionEvent {
    @Override
    public String toString() {
      return EventText.line(this, "piece " + piece);
    }
  }

  /**
   * A downloaded piece failed its hash check; it is downloaded again.
   *
   * @param time when
   * @param torrent the torrent
   * @param piece the piece index
   */
  record HashFailed(Instant time, InfoHashes torrent, int piece) implements SessionEvent {
    @Override
    public String toString() {
      return EventText.line(this, "piece " + piece);
    }
  }

  /**
   * A peer connection completed its handshake.
   *
   * @param time when
   * @param torrent the torrent
   * @param peer the peer's address
   * @param client the client its peer id names, or empty text
   */
  record PeerConnected(Instant time, InfoHashes torrent, InetSocketAddress peer, String client)
      implements SessionEvent {
    @Override
    public String toString() {
      return EventText.line(this, EventText.address(peer) + (client.isEmpty() ? "" : " " + client));
    }
  }

  /**
   * A peer connection closed.
   *
   * @param time when
   * @param torrent the torrent
   * @param peer the peer's address
   * @param reason why
   * @param detail more about why, for people (an error message, say), if there is more
   */
  record PeerDisconnected(
      Instant time,
      InfoHashes torrent,
      InetSocketAddress peer,
      CloseReason reason,
      Optional<String> detail)
      implements SessionEvent {
    @Override
    public String toString() {
      return EventText.peerLine(this, peer, reason, detail);
    }
  }

  /**
   * A peer was banned: it sent data that failed the hash check, or broke the protocol.
   *
   * @param time when
   * @param torrent the torrent
   * @param peer the peer's address
   * @param reason why
   * @param detail more about why, for people, if there is more
   */
  record PeerBanned(
      Instant time,
      InfoHashes torrent,
      InetSocketAddress peer,
      CloseReason reason,
      Optional<String> detail)
      implements SessionEvent {
    @Override
    public String toString() {
      return EventText.peerLine(this, peer, reason, detail);
    }
  }

  /**
   * A tracker answered an announce.
   *
   * @param time when
   * @param torrent the torrent
   * @param tracker the tracker URL
   * @param peers how many peers it returned
   */
  record TrackerReply(Instant time, InfoHashes torrent, String tracker, int peers)
      implements SessionEvent {
    @Override
    public String toString() {
      return EventText.line(this, tracker + " " + peers + " peers");
    }
  }

  /**
   * A tracker announce failed; it is retried after a back-off.
   *
   * @param time when
   * @param torrent the torrent
   * @param tracker the tracker URL
   * @param message what went wrong
   */
  record TrackerError(Instant time, InfoHashes torrent, String tracker, String message)
      implements SessionEvent {
    @Override
    public String toString() {
      return EventText.line(this, tracker + " " + message);
    }
  }

  /**
   * The torrent's state changed.
   *
   * @param time when
   * @param torrent the torrent
   * @param from the old state
   * @param to the new state
   */
  record StateChanged(Instant time, InfoHashes torrent, TorrentState from, TorrentState to)
      implements SessionEvent {
    @Override
    public String toString() {
      return EventText.line(this, from + " -> " + to);
    }
  }

  /**
   * Every wanted piece is downloaded and verified.
   *
   * @param time when
   * @param torrent the torrent
   */
  record TorrentFinished(Instant time, InfoHashes torrent) implements SessionEvent {
    @Override
    public String toString() {
      return EventText.line(this, "");
    }
  }

  /**
   * The torrent stopped on an error (the disk, the metadata); see its status.
   *
   * @param time when
   * @param torrent the torrent
   * @param reason why
   * @param message what went wrong, for people
   * @param cause the exception behind it, if there is one
   */
  record TorrentError(
      Instant time,
      InfoHashes torrent,
      FailureReason reason,
      String message,
      Optional<Throwable> cause)
      implements SessionEvent {
    @Override
    public String toString() {
      return EventText.line(this, message);
    }
  }
}
