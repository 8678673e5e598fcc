package dev.bitwright.session;

import dev.bitwright.metainfo.InfoHashes;

/**
 * A torrent stopped on an error (its state is {@link TorrentState#ERROR}): the disk refused a
 * write, the files changed under a seed, the metadata received was invalid. {@link
 * TorrentHandle#completion()} fails with it; the message is the status's {@link
 * TorrentStatus#error()}.
 */
public final class TorrentFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient InfoHashes torrent;

  /**
   * Creates the exception.
   *
   * @param torrent the torrent that failed
   * @param message what went wrong
   */
  public TorrentFailedException(InfoHashes torrent, String message) {
    super(message);
    this.torrent = torrent;
  }

  /** Returns the torrent that failed. */
  public InfoHashes torrent() {
    return torrent;
  }
}
