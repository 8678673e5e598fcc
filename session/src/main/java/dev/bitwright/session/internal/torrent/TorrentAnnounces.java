package dev.bitwright.session.internal.torrent;

import dev.bitwright.session.SessionEvent;
import dev.bitwright.session.internal.data.TorrentData;
import dev.bitwright.session.internal.discovery.Announcer;
import dev.bitwright.session.internal.net.EngineLoop;
import dev.bitwright.tracker.AnnounceEvent;
import dev.bitwright.tracker.AnnounceRequest;
import dev.bitwright.tracker.AnnounceResponse;
import dev.bitwright.wire.EncryptionPolicy;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A torrent's announces to its trackers: the {@link Announcer} and what it asks of the torrent (the
 * request's figures, where replies and failures go). Loop thread only.
 */
final class TorrentAnnounces implements Announcer.Host {
  private final TorrentRuntime torrent;
  private final TorrentHost host;
  private final Announcer announcer;

  TorrentAnnounces(TorrentRuntime torrent, List<List<String>> tiers) {
    this.torrent = torrent;
    this.host = torrent.host();
    this.announcer = new Announcer(this, tiers, host.random(), host.config().announceToAllTiers());
    if (announcer.hasTrackers()) {
      announcer.start();
    }
  }

  void tick() {
    announcer.tick();
  }

  void completed() {
    announcer.completed();
  }

  CompletableFuture<Void> stop() {
    return announcer.stop();
  }

  @Override
  public AnnounceRequest request(AnnounceEvent event) {
    TorrentData data = torrent.data();
    long left = data == null ? 1 : data.bytesMissing();
    TransferLimits transfer = torrent.transfer();
    EncryptionPolicy encryption = host.config().encryption();
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
    response.peers().forEach(torrent.peerSet()::addCandidate);
    torrent.emit(
        new SessionEvent.TrackerReply(
            torrent.time(), torrent.infoHashes(), trackerUrl, response.peers().size()));
    torrent.peerSet().connectMore();
  }

  @Override
  public void failed(String trackerUrl, Throwable error) {
    Throwable cause = error.getCause() != null ? error.getCause() : error;
    torrent.emit(
        new SessionEvent.TrackerError(
            torrent.time(), torrent.infoHashes(), trackerUrl, String.valueOf(cause.getMessage())));
  }

  @Override
  public EngineLoop loop() {
    return host.loop();
  }
}
