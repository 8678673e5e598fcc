package dev.bitwright.session.internal.torrent;

import dev.bitwright.session.CloseReason;
import dev.bitwright.session.FailureReason;
import dev.bitwright.session.SessionEvent;
import dev.bitwright.session.TorrentState;
import dev.bitwright.session.internal.data.DataHost;
import dev.bitwright.session.internal.jfr.PieceVerifiedEvent;
import dev.bitwright.session.internal.peer.PeerConnection;
import dev.bitwright.session.internal.peer.PeerKey;
import dev.bitwright.session.internal.telemetry.TorrentLog;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * What the torrent's data reports, turned into the torrent's reactions: states and events, haves
 * sent to every peer, bans of the peers that sent bad blocks. Loop thread only.
 */
final class DataEvents implements DataHost {
  private static final Logger log = LoggerFactory.getLogger(DataEvents.class);

  private final TorrentRuntime torrent;

  DataEvents(TorrentRuntime torrent) {
    this.torrent = torrent;
  }

  @Override
  public boolean sequential() {
    return torrent.settings().sequential();
  }

  @Override
  public Map<Integer, Long> takePendingDeadlines() {
    return torrent.settings().takePendingDeadlines();
  }

  @Override
  public boolean isDownloading() {
    return torrent.state() == TorrentState.DOWNLOADING;
  }

  @Override
  public void checking() {
    torrent.setState(TorrentState.CHECKING);
  }

  @Override
  public void checked() {
    torrent.checked();
  }

  @Override
  public void fail(FailureReason reason, String message, Throwable cause) {
    torrent.fail(reason, message, cause);
  }

  @Override
  public void seedModeFailed(int piece) {
    TorrentLog.at(log, Level.WARN, torrent.logKey()).log(
        "{}: piece {} failed its check in seed mode: the files are not what the torrent says;"
            + " checking every piece",
        torrent.name(),
        piece);
    torrent.recheck(new CompletableFuture<>());
  }

  @Override
  public void pieceFailed(int piece) {
    torrent.counters().hashFailures++;
    torrent.counters().wastedBytes += torrent.data().map().pieceSize(piece);
    torrent.emit(new SessionEvent.HashFailed(torrent.time(), torrent.infoHashes(), piece));
    PieceVerifiedEvent.record(torrent.infoHashes(), piece, false);
  }

  @Override
  public void pieceVerified(int piece) {
    torrent.counters().piecesVerified++;
    torrent.emit(new SessionEvent.PieceVerified(torrent.time(), torrent.infoHashes(), piece));
    PieceVerifiedEvent.record(torrent.infoHashes(), piece, true);
    torrent.pieceWaits().verified(piece);
    torrent.protocol().availability().broadcastHave(piece);
  }

  @Override
  public void finished() {
    torrent.finished();
  }

  @Override
  public void wantsPiecesAgain() {
    if (torrent.isUploadOnly()) {
      torrent.downloadingAgain();
    }
  }

  @Override
  public boolean isBanned(PeerKey peer) {
    return torrent.peerSet().isBanned(peer);
  }

  @Override
  public void convict(Set<PeerKey> convicted) {
    for (PeerKey key : convicted) {
      if (torrent.webSeeds().convict(key)) {
        continue;
      }
      boolean connected = false;
      for (PeerConnection p : List.copyOf(torrent.peers())) {
        if (p.key().equals(key)) {
          torrent.ban(p, CloseReason.BAD_DATA, "pieces that failed the hash check");
          connected = true;
        }
      }
      if (!connected) {
        torrent.peerSet().ban(key);
      }
    }
  }
}
