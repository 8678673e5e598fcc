package dev.bitwright.session;

import java.net.URI;
import java.util.Optional;

/**
 * A web seed of a torrent (BEP 19), as the status shows it.
 *
 * @param url the web seed's URL
 * @param state what it does now
 * @param downloadRate payload bytes per second received from it
 * @param downloaded payload bytes received from it since it was added
 * @param lastError what went wrong last, if anything did
 */
public record WebSeedInfo(
    URI url, State state, long downloadRate, long downloaded, Optional<String> lastError) {

  /** What a web seed does. */
  public enum State {
    /** Requests are on their way, or it waits for pieces to fetch. */
    ACTIVE,
    /** A request failed: it waits before the next, longer after each failure. */
    BACKING_OFF,
    /** It sent data that failed the hash check too often: it is not asked again. */
    BANNED
  }
}
