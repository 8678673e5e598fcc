package dev.bitwright.session.internal.torrent;

import dev.bitwright.session.Metric;
import dev.bitwright.session.TorrentMetrics;
import dev.bitwright.session.internal.peer.PeerConnection;
import dev.bitwright.session.internal.peer.PeerState;
import java.util.List;

/** Builds a torrent's metrics snapshot from its counters and its peers. */
final class MetricSnapshots {
  private MetricSnapshots() {}

  /** Returns the metrics of {@code torrent} now (loop thread). */
  static TorrentMetrics of(TorrentRuntime torrent) {
    TransferLimits transfer = torrent.transfer();
    TorrentCounters c = torrent.counters();
    long fromWebSeeds = transfer.downloadedFromWebSeeds();
    TorrentMetrics.Builder m =
        TorrentMetrics.builder(torrent.infoHashes(), torrent.name())
            .set(Metric.DOWNLOADED_FROM_PEERS, transfer.downloaded() - fromWebSeeds)
            .set(Metric.DOWNLOADED_FROM_WEB_SEEDS, fromWebSeeds)
            .set(Metric.UPLOADED, transfer.uploaded())
            .set(Metric.WASTED, c.wastedBytes)
            .set(Metric.REDUNDANT, c.redundantBytes)
            .set(Metric.HASH_FAILURES, c.hashFailures)
            .set(Metric.PIECES_VERIFIED, c.piecesVerified)
            .set(Metric.REQUESTS_SENT, c.requestsSent)
            .set(Metric.REQUESTS_CANCELLED, c.requestsCancelled)
            .set(Metric.REQUESTS_REJECTED, c.requestsRejected)
            .set(Metric.CHOKE_ROUNDS, c.chokeRounds)
            .set(Metric.UNCHOKES, c.unchokes)
            .set(Metric.CHOKES, c.chokes);
    int peers = 0;
    int overUtp = 0;
    int interesting = 0;
    int interested = 0;
    int unchoked = 0;
    int unchokingUs = 0;
    long outstanding = 0;
    long queuedUploads = 0;
    List<PeerConnection> connected = torrent.peers();
    for (int i = 0; i < connected.size(); i++) {
      PeerConnection p = connected.get(i);
      if (!p.isActive()) {
        continue;
      }
      PeerState s = p.state();
      peers++;
      overUtp += p.overUtp() ? 1 : 0;
      interesting += s.amInterested() ? 1 : 0;
      interested += s.peerInterested() ? 1 : 0;
      unchoked += s.amChoking() ? 0 : 1;
      unchokingUs += s.peerChoking() ? 0 : 1;
      outstanding += s.requestCount();
      queuedUploads += p.queuedUploads();
    }
    return m.set(Metric.PEERS, peers)
        .set(Metric.PEERS_OVER_UTP, overUtp)
        .set(Metric.PEERS_INTERESTING, interesting)
        .set(Metric.PEERS_INTERESTED, interested)
        .set(Metric.PEERS_UNCHOKED, unchoked)
        .set(Metric.PEERS_UNCHOKING_US, unchokingUs)
        .set(Metric.REQUESTS_OUTSTANDING, outstanding)
        .set(Metric.UPLOADS_QUEUED, queuedUploads)
        .build();
  }
}
