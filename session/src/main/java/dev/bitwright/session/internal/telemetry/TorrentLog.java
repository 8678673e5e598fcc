package dev.bitwright.session.internal.telemetry;

import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Log lines about one torrent carry its info-hash (the best one, in hex) as the SLF4J 2 key-value
 * {@value #KEY}, so that the lines of several torrents can be told apart and filtered whatever
 * their names (bindings show key-values their own way: logback with {@code %kvp}, slf4j-simple
 * before the message).
 */
public final class TorrentLog {
  /** The key of the info-hash in a log line's key-values. */
  public static final String KEY = "infoHash";

  private TorrentLog() {}

  /**
   * Returns a builder of a line at {@code level} about the torrent whose best info-hash is {@code
   * infoHashHex}; a no-op builder, which costs nothing, when {@code log} is not enabled for it.
   */
  public static LoggingEventBuilder at(Logger log, Level level, String infoHashHex) {
    return log.atLevel(level).addKeyValue(KEY, infoHashHex);
  }
}
