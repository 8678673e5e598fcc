/**
 * Torrent metainfo: {@link dev.bitwright.metainfo.Torrent} reads and validates {@code .torrent}
 * files of every version, {@link dev.bitwright.metainfo.InfoHash} identifies them, {@link
 * dev.bitwright.metainfo.MagnetLink} parses and builds magnet URIs, and {@link
 * dev.bitwright.metainfo.TorrentBuilder} creates torrents from files. Malformed input raises {@link
 * dev.bitwright.metainfo.MetainfoException}.
 */
package dev.bitwright.metainfo;
