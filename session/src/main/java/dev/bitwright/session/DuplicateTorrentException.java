package dev.bitwright.session;

/** A torrent was added while the session already has it (by either of its info-hashes). */
public final class DuplicateTorrentException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param infoHash the torrent's info-hash in hex
   */
  public DuplicateTorrentException(String infoHash) {
    super("torrent " + infoHash + " is already in the session");
  }
}
