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

  /** Why the torrent failed. */
  private final FailureReason reason;

  /**
   * Creates the exception.
   *
   * @param torrent the torrent that failed
   * @param reason why
   * @param message what went wrong, for people
   * @param cause the exception behind it, or null
   */
  public TorrentFailedException(
      InfoHashes torrent, FailureReason reason, String message, Throwable cause) {
    super(message, cause);
    this.torrent = torrent;
    this.reason = reason;
  }

  /** {@return why the torrent failed} */
  public FailureReason reason() {
    return reason;
  }

  /** {@return the torrent that failed} */
  public InfoHashes torrent() {
    return torrent;
  }
}
