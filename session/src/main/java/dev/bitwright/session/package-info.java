/**
 * The session facade: {@link dev.bitwright.session.TorrentSession} runs torrents ({@link
 * dev.bitwright.session.AddTorrent}, {@link dev.bitwright.session.TorrentHandle}) over NIO on one
 * I/O thread, with a disk and hashing executor, and reports {@link
 * dev.bitwright.session.SessionEvent}s to {@link dev.bitwright.session.SessionListener}s.
 */
package dev.bitwright.session;
