/**
 * The policy of one torrent ({@link dev.bitwright.session.internal.torrent.TorrentRuntime}):
 * lifecycle, the peer set, what messages mean (availability and interest, our requests, uploads and
 * choking, extension messages), transfer limits, metadata and piece-layer fetching, status
 * snapshots. Reaches the session only through {@link
 * dev.bitwright.session.internal.torrent.TorrentHost}. Uses {@code peer}, {@code data}, {@code
 * discovery} and {@code net}.
 */
package dev.bitwright.session.internal.torrent;
