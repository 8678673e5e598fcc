/**
 * One torrent's disk path: checking and resume data, file priorities, the {@link
 * dev.bitwright.session.internal.data.PiecePicker}, piece assembly in memory, block writes,
 * verification and piece blame ({@link dev.bitwright.session.internal.data.TorrentData}). Reports
 * to its {@link dev.bitwright.session.internal.data.DataHost}; shares disk resources through {@link
 * dev.bitwright.session.internal.data.DiskAccess}. Uses {@code net} and, for the values {@code
 * Block} and {@code PeerKey}, {@code peer}.
 */
package dev.bitwright.session.internal.data;
