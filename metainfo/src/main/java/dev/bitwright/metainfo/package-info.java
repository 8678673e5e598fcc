/**
 * Torrent metainfo: {@link dev.bitwright.metainfo.Torrent} reads and validates {@code .torrent}
 * files of every version, {@link dev.bitwright.metainfo.InfoHash} identifies them, {@link
 * dev.bitwright.metainfo.MagnetLink} parses and builds magnet URIs, and {@link
 * dev.bitwright.metainfo.TorrentBuilder} creates torrents from files. Malformed input raises {@link
 * dev.bitwright.metainfo.MetainfoException}.
 *
 * <p>Null-marked (JSpecify): nothing in this package's API is null unless it is marked
 * {@code @Nullable}.
 */
@NullMarked
package dev.bitwright.metainfo;

import org.jspecify.annotations.NullMarked;
