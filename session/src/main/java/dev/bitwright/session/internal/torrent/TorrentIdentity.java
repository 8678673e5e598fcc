package dev.bitwright.session.internal.torrent;

import dev.bitwright.metainfo.InfoHashes;
import dev.bitwright.metainfo.MagnetLink;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.session.AddTorrent;
import java.util.ArrayList;
import java.util.List;

/**
 * Who a torrent is: its info-hashes, the 20-byte hash of our handshakes, the hashes peers may use
 * (a hybrid learns its other one with the metadata) and its name. The name may be read from any
 * thread; the rest is the loop's.
 */
final class TorrentIdentity {
  private final InfoHashes infoHashes;
  private final byte[] wireHash;
  private final List<byte[]> wireHashes = new ArrayList<>();
  private volatile String name;

  TorrentIdentity(AddTorrent request) {
    this.infoHashes =
        request
            .torrent()
            .map(Torrent::infoHashes)
            .orElseGet(() -> request.magnet().orElseThrow().infoHashes());
    this.wireHash = infoHashes.v1().orElseGet(() -> infoHashes.v2().orElseThrow()).truncated();
    this.wireHashes.addAll(infoHashes.wireHashes());
    this.name =
        request
            .torrent()
            .map(Torrent::name)
            .or(() -> request.magnet().flatMap(MagnetLink::displayName))
            .orElse(infoHashes.best().hex());
  }

  InfoHashes infoHashes() {
    return infoHashes;
  }

  /** Returns the 20-byte hash this torrent goes by in handshakes (a copy). */
  byte[] wireHash() {
    return wireHash.clone();
  }

  /** Returns the hashes peers may use for this torrent (v1 and truncated v2). */
  List<byte[]> wireHashes() {
    return List.copyOf(wireHashes);
  }

  /** Adds a hash peers may use, learnt with the metadata. */
  void addWireHash(byte[] hash) {
    wireHashes.add(hash.clone());
  }

  String name() {
    return name;
  }

  /** Takes the name the metadata gives. */
  void named(String name) {
    this.name = name;
  }
}
