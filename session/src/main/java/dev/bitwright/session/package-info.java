/**
 * The session facade: {@link dev.bitwright.session.TorrentSession} runs torrents ({@link
 * dev.bitwright.session.AddTorrent}, {@link dev.bitwright.session.TorrentHandle}) over NIO on one
 * I/O thread, with a disk and hashing executor, and reports {@link
 * dev.bitwright.session.SessionEvent}s to {@link dev.bitwright.session.SessionListener}s.
 *
 * <p>Null-marked (JSpecify): nothing in this package's API is null unless it is marked
 * {@code @Nullable}.
 */
@NullMarked
package dev.bitwright.session;

import org.jspecify.annotations.NullMarked;
