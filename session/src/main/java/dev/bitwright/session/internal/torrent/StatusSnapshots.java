package dev.bitwright.session.internal.torrent;

import dev.bitwright.session.PeerInfo;
import dev.bitwright.session.PeerSource;
import dev.bitwright.session.PeerTransport;
import dev.bitwright.session.TorrentState;
import dev.bitwright.session.TorrentStatus;
import dev.bitwright.session.internal.data.TorrentData;
import dev.bitwright.session.internal.peer.PeerConnection;
import dev.bitwright.wire.Handshake;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
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
      peers.add(peerInfo(p, now, pieceCount, torrent.peerSet().sourceOf(p)));
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
    return TorrentStatus.builder()
        .name(torrent.name())
        .state(state)
        .progress(wanted == 0 ? (torrent.isUploadOnly() ? 1.0 : 0.0) : (double) done / wanted)
        .bytesDone(done)
        .bytesWanted(wanted)
        .piecesDone(
            data == null || data.picker() == null ? 0 : data.picker().haveSet().cardinality())
        .pieceCount(pieceCount)
        .downloadRate(rate)
        .uploadRate(transfer.uploadRate(now))
        .downloaded(transfer.downloaded())
        .uploaded(transfer.uploaded())
        .peers(peers)
        .eta(eta)
        .error(torrent.error())
        .webSeeds(torrent.webSeeds().infos(now))
        .piecesAssumed(data == null ? 0 : data.piecesAssumed())
        .trackerCounts(torrent.scrapes().counts())
        .build();
  }

  /**
   * Returns {@code p} as the status shows it, given the torrent's piece count (0 if unknown) and
   * where the torrent learnt of it.
   */
  static PeerInfo peerInfo(PeerConnection p, long now, int torrentPieces, PeerSource source) {
    EnumSet<PeerInfo.Flag> flags = EnumSet.noneOf(PeerInfo.Flag.class);
    addIf(flags, p.isOutgoing(), PeerInfo.Flag.OUTGOING);
    addIf(flags, p.isEncrypted(), PeerInfo.Flag.ENCRYPTED);
    addIf(flags, p.state().amInterested(), PeerInfo.Flag.INTERESTED);
    addIf(flags, p.state().peerChoking(), PeerInfo.Flag.CHOKED);
    addIf(flags, p.state().peerInterested(), PeerInfo.Flag.PEER_INTERESTED);
    addIf(flags, p.state().amChoking(), PeerInfo.Flag.PEER_CHOKED);
    addIf(flags, p.state().isSeed(), PeerInfo.Flag.SEED);
    Handshake h = p.state().handshake();
    addIf(flags, h != null && h.supportsFast(), PeerInfo.Flag.FAST);
    addIf(flags, h != null && h.supportsExtensionProtocol(), PeerInfo.Flag.EXTENSIONS);
    addIf(flags, p.state().isSnubbed(), PeerInfo.Flag.SNUBBED);
    double progress =
        p.state().isSeed()
            ? 1.0
            : torrentPieces == 0 ? 0 : (double) p.state().pieceCount() / torrentPieces;
    return PeerInfo.builder()
        .address(p.address())
        .client(p.clientName())
        .downloadRate(p.activity().downloadRate(now))
        .uploadRate(p.activity().uploadRate(now))
        .downloaded(p.activity().downloaded())
        .uploaded(p.activity().uploaded())
        .progress(progress)
        .flags(flags)
        .pieceCount(p.state().isSeed() ? torrentPieces : p.state().pieceCount())
        .requestsToPeer(p.state().requestCount())
        .requestsFromPeer(p.queuedUploads())
        .source(source)
        .transport(p.overUtp() ? PeerTransport.UTP : PeerTransport.TCP)
        .requestLatency(
            p.state().requestLatencyNanos().isPresent()
                ? Optional.of(Duration.ofNanos(p.state().requestLatencyNanos().getAsLong()))
                : Optional.empty())
        .build();
  }

  private static void addIf(EnumSet<PeerInfo.Flag> flags, boolean condition, PeerInfo.Flag flag) {
    if (condition) {
      flags.add(flag);
    }
  }
}
