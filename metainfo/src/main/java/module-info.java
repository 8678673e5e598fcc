/**
 * Torrent metainfo: reading and writing {@code .torrent} files (BitTorrent v1, v2 and hybrid),
 * info-hashes, magnet links and torrent creation.
 *
 * <p>Start with {@link dev.bitwright.metainfo.Torrent}, {@link dev.bitwright.metainfo.MagnetLink}
 * and {@link dev.bitwright.metainfo.TorrentBuilder}.
 */
module dev.bitwright.metainfo {
  requires transitive dev.bitwright.bencode;
  requires com.google.common;

  exports dev.bitwright.metainfo;
}
