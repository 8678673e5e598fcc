package dev.bitwright.session.internal.torrent;

import dev.bitwright.metainfo.MetainfoException;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentVersion;
import dev.bitwright.session.FailureReason;
import dev.bitwright.session.SessionEvent;
import dev.bitwright.session.internal.data.TorrentData;
import dev.bitwright.session.internal.peer.PeerConnection;
import dev.bitwright.wire.PeerMessage;
import java.util.Optional;

/**
 * A torrent's metadata from peers: the info dictionary of a magnet link (ut_metadata, {@link
 * MetadataFetcher}), then a v2 magnet's piece layers ({@link PieceLayerFetcher}); and, once the
 * data is open, the v2 hashes it serves to peers ({@link HashServer}). Loop thread only.
 */
final class TorrentMetadata {
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
    if (!torrent.metadataKnown(metainfo)) {
      return;
    }
    if (metainfo.version() == TorrentVersion.V2 && !metainfo.hasAllPieceLayers()) {
      layers = new PieceLayerFetcher(torrent, metainfo);
      layers.askMore();
      torrent.publishStatus();
      return;
    }
    torrent.metadataComplete(metainfo);
  }

  /** The torrent's data opened: its v2 hashes can be served. */
  void dataOpened(TorrentData data) {
    hashes = new HashServer(data, torrent.host().loop(), torrent.host().disk());
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
    torrent.metadataComplete(metainfo);
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
