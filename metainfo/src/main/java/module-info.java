/**
 * Torrent metainfo: reading and writing {@code .torrent} files (BitTorrent v1, v2 and hybrid),
 * info-hashes, magnet links and torrent creation.
 *
 * <p>Start with {@link dev.bitwright.metainfo.Torrent}, {@link dev.bitwright.metainfo.MagnetLink}
 * and {@link dev.bitwright.metainfo.TorrentBuilder}.
 */
// The modules of the qualified export below are built after this one: javac cannot see them yet.
@SuppressWarnings("module")
module dev.bitwright.metainfo {
  requires static transitive org.jspecify;
  requires transitive dev.bitwright.bencode;
  requires com.google.common;

  exports dev.bitwright.metainfo;
  // One codec for the compact addresses that trackers, DHT nodes and peers send, shared by the
  // modules that read them and hidden from users.
  exports dev.bitwright.metainfo.internal.compact to
      dev.bitwright.tracker,
      dev.bitwright.dht,
      dev.bitwright.wire;
}
