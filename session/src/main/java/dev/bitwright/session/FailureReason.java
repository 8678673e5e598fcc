package dev.bitwright.session;

/**
 * Why a torrent stopped on an error, as in {@link SessionEvent.TorrentError} and {@link
 * TorrentFailedException}. New constants may be added in later versions: handle unknown ones with a
 * default branch.
 */
public enum FailureReason {
  /** The storage could not be opened (folders, permissions, the storage factory failed). */
  STORAGE_OPEN_FAILED("cannot open storage"),
  /** Checking the existing files failed. */
  CHECK_FAILED("checking files failed"),
  /** Reading or writing the files failed. */
  DISK_ERROR("disk error"),
  /** Resume data could not be saved. */
  RESUME_SAVE_FAILED("saving resume data failed"),
  /** A piece we have is missing from the files: they changed on disk (a recheck finds out). */
  DATA_MISSING("data missing from the files"),
  /** The metadata of a magnet link cannot be used. */
  INVALID_METADATA("invalid metadata"),
  /** The torrent has more pieces than supported. */
  TOO_MANY_PIECES("too many pieces"),
  /** The session's loop stopped on an unexpected error. */
  SESSION_FAILED("session failed");

  private final String description;

  FailureReason(String description) {
    this.description = description;
  }

  /** {@return a short description for people, such as {@code "disk error"}} */
  public String description() {
    return description;
  }
}
