package dev.bitwright.session.internal.torrent;

import dev.bitwright.metainfo.MetainfoException;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentVersion;
import dev.bitwright.session.FailureReason;
import dev.bitwright.session.SessionEvent;
import dev.bitwright.session.internal.data.TorrentData;
import dev.bitwright.session.internal.peer.PeerConnection;
import dev.bitwright.storage.PieceMap;
import dev.bitwright.wire.PeerMessage;
import dev.bitwright.wire.WireLimits;
import java.util.List;
import java.util.Optional;

/**
 * A torrent's metadata from peers: the info dictionary of a magnet link (ut_metadata, {@link
 * MetadataFetcher}), then a v2 magnet's piece layers ({@link PieceLayerFetcher}); and, once the
 * data is open, the v2 hashes it serves to peers ({@link HashServer}). Loop thread only.
 */
final class TorrentMetadata {
  /**
   * The most pieces a torrent may have: its per-piece state (picker, bit sets, v2 piece layers) is
   * allocated up front, and an info dictionary of a few hundred bytes can claim billions of them.
   * 4,194,304 pieces is 4 TiB in 1 MiB pieces.
   */
  static final int MAX_PIECES = 1 << 22;

  private final TorrentRuntime torrent;
  private MetadataFetcher fetcher;
  // After the info dictionary of a v2 magnet: its piece layers, from peers.
  private PieceLayerFetcher layers;
  private HashServer hashes;

  TorrentMetadata(TorrentRuntime torrent) {
    this.torrent = torrent;
  }

  /** Returns whether the metadata or the piece layers are being fetched. */
  boolean fetching() {
    return fetcher != null || layers != null;
  }

  /** Starts fetching the info dictionary, unless the piece layers are fetched already. */
  void startFetching() {
    if (layers == null) {
      fetcher = new MetadataFetcher(torrent);
    }
  }

  Optional<MetadataFetcher> fetcher() {
    return Optional.ofNullable(fetcher);
  }

  /** The info dictionary of a magnet arrived and verified. */
  void received(byte[] infoBytes) {
    Torrent metainfo;
    try {
      metainfo = Torrent.parseInfo(infoBytes);
    } catch (MetainfoException e) {
      torrent.fail(FailureReason.INVALID_METADATA, "invalid metadata: " + e.getMessage(), e);
      return;
    }
    torrent.emit(
        new SessionEvent.MetadataReceived(torrent.time(), torrent.infoHashes(), metainfo.name()));
    fetcher = null;
    torrent.metadataNamed(metainfo);
    if (metainfo.pieceCount() > MAX_PIECES) {
      torrent.fail(FailureReason.TOO_MANY_PIECES, tooManyPieces(metainfo), null);
      return;
    }
    if (metainfo.version() == TorrentVersion.V2 && !metainfo.hasAllPieceLayers()) {
      layers = new PieceLayerFetcher(torrent, metainfo);
      layers.askMore();
      torrent.publishStatus();
      return;
    }
    complete(metainfo);
  }

  /** The metadata is whole (with a v2 magnet's piece layers): the data opens. */
  private void complete(Torrent metainfo) {
    open(metainfo);
    WireLimits limits = torrent.wireLimits();
    for (PeerConnection p : List.copyOf(torrent.peers())) {
      p.updateLimits(limits);
    }
  }

  /** Opens the data of {@code metainfo} (its v2 hashes can be served then) and checks it. */
  void open(Torrent metainfo) {
    if (metainfo.pieceCount() > MAX_PIECES) {
      torrent.fail(FailureReason.TOO_MANY_PIECES, tooManyPieces(metainfo), null);
      return;
    }
    TorrentData data;
    try {
      TorrentHost host = torrent.host();
      data = new TorrentData(torrent.dataEvents(), host, torrent.request(), metainfo);
      hashes = new HashServer(data, host.loop(), host.disk());
    } catch (Exception e) {
      torrent.fail(FailureReason.STORAGE_OPEN_FAILED, "cannot open storage: " + e.getMessage(), e);
      return;
    }
    torrent.dataOpened(data, metainfo.name());
  }

  private static String tooManyPieces(Torrent metainfo) {
    return "the torrent has "
        + metainfo.pieceCount()
        + " pieces, more than the "
        + MAX_PIECES
        + " supported";
  }

  /** Returns the limits the peers' message decoders apply, given the data (null if not known). */
  WireLimits wireLimits(TorrentData data) {
    if (data == null) {
      return WireLimits.unknownTorrent();
    }
    PieceMap map = data.map();
    if (data.version() == TorrentVersion.V2) {
      // Every piece of a v2 torrent is padded to the piece length on the wire: libtorrent asks
      // for whole blocks past the end of a file, and the padding is served as zeros.
      int length = map.pieceLength();
      return WireLimits.forTorrent(map.pieceCount(), piece -> length);
    }
    return WireLimits.forTorrent(map.pieceCount(), map::pieceSize);
  }

  /** A peer finished its handshake: it may have piece layers to give. */
  void peerReady() {
    if (layers != null) {
      layers.askMore();
    }
  }

  /** A peer left: what was asked of it or is being answered for it is dropped. */
  void peerGone(PeerConnection p) {
    if (layers != null) {
      layers.peerGone(p);
    }
    if (fetcher != null) {
      fetcher.peerGone(p);
    }
    if (hashes != null) {
      hashes.peerGone(p);
    }
  }

  void hashRequest(PeerConnection p, PeerMessage.HashRequest h) {
    if (hashes != null) {
      hashes.request(p, h.request());
    } else {
      p.send(new PeerMessage.HashReject(h.request()));
    }
  }

  void hashesReceived(PeerConnection p, PeerMessage.Hashes h) {
    if (layers != null) {
      layers.received(p, h).ifPresent(this::layersReceived);
    }
  }

  /** The piece layers of a v2 magnet arrived and proved out: the torrent is whole. */
  void layersReceived(Torrent metainfo) {
    layers = null;
    complete(metainfo);
  }

  void hashesRejected(PeerConnection p, PeerMessage.HashReject r) {
    if (layers != null) {
      layers.rejected(p, r);
    }
  }

  /** Every second: requests that took too long are asked elsewhere. */
  void tick() {
    if (fetcher != null) {
      fetcher.tick();
    }
    if (layers != null) {
      layers.tick();
    }
  }
}
