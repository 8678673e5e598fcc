package dev.bitwright.session.internal.torrent;

import dev.bitwright.session.PeerSource;
import dev.bitwright.session.SessionEvent;
import dev.bitwright.session.internal.data.TorrentData;
import dev.bitwright.session.internal.discovery.Announcer;
import dev.bitwright.session.internal.net.EngineLoop;
import dev.bitwright.session.internal.telemetry.TorrentLog;
import dev.bitwright.tracker.AnnounceEvent;
import dev.bitwright.tracker.AnnounceRequest;
import dev.bitwright.tracker.AnnounceResponse;
import dev.bitwright.wire.EncryptionPolicy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * A torrent's announces: to its trackers (the {@link Announcer}, and what it asks of the torrent:
 * the request's figures, where replies and failures go) and on the DHT. Loop thread only.
 */
final class TorrentAnnounces implements Announcer.Host {
  private static final Logger log = LoggerFactory.getLogger(TorrentAnnounces.class);

  private final TorrentRuntime torrent;
  private final TorrentHost host;
  // Null while the torrent is not announced.
  private Announcer announcer;
  private boolean completedAnnounced;
  // The last failure logged of each tracker failing now, by URL.
  private final Map<String, String> troubles = new HashMap<>();

  TorrentAnnounces(TorrentRuntime torrent) {
    this.torrent = torrent;
    this.host = torrent.host();
  }

  /** Returns whether the torrent is announced (to its trackers and on the DHT). */
  boolean isAnnouncing() {
    return announcer != null;
  }

  /** Starts announcing to the trackers of {@code tiers} and on the DHT. */
  void start(List<List<String>> tiers) {
    announcer = new Announcer(this, tiers, host.random(), host.config().announceToAllTiers());
    if (announcer.hasTrackers()) {
      announcer.start();
    }
    host.startDiscovering(torrent);
  }

  /** Every second: announces that are due. */
  void tick() {
    if (announcer != null) {
      announcer.tick();
    }
  }

  /**
   * Tells the trackers the download completed, once in the torrent's life (as libtorrent: not for a
   * partial copy, and not again when a skipped file is finished later).
   */
  void completedOnce() {
    if (announcer != null && !completedAnnounced) {
      completedAnnounced = true;
      announcer.completed();
    }
  }

  /** Stops announcing; returns the {@code stopped} announces, answered or failed. */
  CompletableFuture<Void> stop() {
    CompletableFuture<Void> stopped =
        announcer == null ? CompletableFuture.completedFuture(null) : announcer.stop();
    announcer = null;
    host.stopDiscovering(torrent);
    return stopped;
  }

  @Override
  public AnnounceRequest request(AnnounceEvent event) {
    TorrentData data = torrent.data();
    long left = data == null ? 1 : data.bytesMissing();
    TransferLimits transfer = torrent.transfer();
    EncryptionPolicy encryption = host.settings().encryption();
    return new AnnounceRequest(
        torrent.wireHash(),
        host.peerId().bytes(),
        host.listenPort(),
        transfer.uploaded(),
        transfer.downloaded(),
        left,
        event,
        event == AnnounceEvent.STOPPED ? 0 : 200,
        host.announceKey(),
        Optional.empty(),
        encryption != EncryptionPolicy.DISABLED,
        encryption == EncryptionPolicy.FORCED);
  }

  @Override
  public CompletableFuture<AnnounceResponse> send(String trackerUrl, AnnounceRequest r) {
    return host.announce(trackerUrl, r);
  }

  @Override
  public void replied(String trackerUrl, AnnounceResponse response) {
    TorrentLog.at(log, Level.DEBUG, torrent.logKey()).log(
        "{}: tracker {}: {} peers", torrent.name(), trackerUrl, response.peers().size());
    if (troubles.remove(trackerUrl) != null) {
      TorrentLog.at(log, Level.INFO, torrent.logKey()).log(
          "{}: tracker {} answers again", torrent.name(), trackerUrl);
    }
    response.peers().forEach(a -> torrent.peerSet().addCandidate(a, PeerSource.TRACKER));
    torrent.scrapes().announced(response);
    torrent.emit(
        new SessionEvent.TrackerReply(
            torrent.time(), torrent.infoHashes(), trackerUrl, response.peers().size()));
    torrent.peerSet().connectMore();
  }

  @Override
  public void failed(String trackerUrl, Throwable error) {
    Throwable cause = error.getCause() != null ? error.getCause() : error;
    String message = String.valueOf(cause.getMessage());
    // Once per cause, not per retry: a dead tracker is asked again and again for hours.
    if (!message.equals(troubles.put(trackerUrl, message))) {
      TorrentLog.at(log, Level.INFO, torrent.logKey()).log(
          "{}: tracker {} failed: {}", torrent.name(), trackerUrl, message);
    } else {
      TorrentLog.at(log, Level.DEBUG, torrent.logKey()).log(
          "{}: tracker {} failed again: {}", torrent.name(), trackerUrl, message);
    }
    torrent.emit(
        new SessionEvent.TrackerError(torrent.time(), torrent.infoHashes(), trackerUrl, message));
  }

  @Override
  public EngineLoop loop() {
    return host.loop();
  }
}
