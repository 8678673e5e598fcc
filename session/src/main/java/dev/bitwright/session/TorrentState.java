package dev.bitwright.session;

/** Where a torrent is in its life. */
public enum TorrentState {
  /** Checking existing data (resume data or a full recheck). */
  CHECKING,
  /** A magnet link: fetching the info dictionary from peers. */
  DOWNLOADING_METADATA,
  /** Downloading wanted pieces. */
  DOWNLOADING,
  /**
   * Every wanted piece is here but not every piece (some files are skipped): uploading what we
   * have, announcing what is missing as {@code left}, as libtorrent's "finished".
   */
  FINISHED,
  /** Every piece is here; uploading to others. */
  SEEDING,
  /** Paused by the user: no connections, no announces. */
  PAUSED,
  /** Stopped by an error (see the status's error); resume to try again. */
  ERROR,
  /** Removed from the session. */
  REMOVED
}
