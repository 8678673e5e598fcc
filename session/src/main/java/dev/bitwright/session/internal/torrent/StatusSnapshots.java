package dev.bitwright.session.internal.torrent;

import dev.bitwright.session.PeerInfo;
import dev.bitwright.session.TorrentState;
import dev.bitwright.session.TorrentStatus;
import dev.bitwright.session.internal.data.TorrentData;
import dev.bitwright.session.internal.peer.PeerConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Builds the immutable status snapshots a torrent publishes for other threads. */
final class StatusSnapshots {
  private StatusSnapshots() {}

  /** Returns the status of {@code torrent} at {@code now}. */
  static TorrentStatus of(TorrentRuntime torrent, long now) {
    TorrentData data = torrent.data();
    int pieceCount = data == null ? 0 : data.pieceCount();
    List<PeerInfo> peers = new ArrayList<>(torrent.peers().size());
    for (PeerConnection p : torrent.peers()) {
      peers.add(p.toInfo(now, pieceCount));
    }
    TransferLimits transfer = torrent.transfer();
    long wanted = data == null ? 0 : data.bytesWanted();
    long done = data == null ? 0 : data.bytesDone();
    long rate = transfer.downloadRate(now);
    TorrentState state = torrent.state();
    Optional<Duration> eta =
        state == TorrentState.DOWNLOADING && rate > 0
            ? Optional.of(Duration.ofSeconds((wanted - done) / rate))
            : Optional.empty();
    return new TorrentStatus(
        torrent.name(),
        state,
        wanted == 0 ? (torrent.isUploadOnly() ? 1.0 : 0.0) : (double) done / wanted,
        done,
        wanted,
        data == null || data.picker() == null ? 0 : data.picker().haveSet().cardinality(),
        pieceCount,
        rate,
        transfer.uploadRate(now),
        transfer.downloaded(),
        transfer.uploaded(),
        peers,
        eta,
        torrent.error());
  }
}
