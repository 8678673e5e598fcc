package dev.bitwright.session;

/** What {@link TorrentSession#remove} does besides forgetting the torrent. */
public enum RemoveOption {
  /**
   * Deletes the torrent's files (and its part file and resume data) too. Without it, the files stay
   * and the resume data is saved, so that adding the torrent again trusts them.
   */
  DELETE_FILES
}
