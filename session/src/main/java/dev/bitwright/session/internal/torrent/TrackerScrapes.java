package dev.bitwright.session.internal.torrent;

import dev.bitwright.session.TrackerCounts;
import dev.bitwright.tracker.AnnounceResponse;
import dev.bitwright.tracker.ScrapeStats;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the trackers say of a torrent's swarm ({@link TrackerCounts}): updated by every announce
 * that carries counts, and by a scrape of the torrent's trackers (one after the other until one
 * answers) {@value #FIRST_DELAY_SECONDS} s after the torrent starts and every {@value
 * #INTERVAL_MINUTES} minutes after, as libtorrent's {@code auto_scrape_interval}. Loop thread only.
 */
final class TrackerScrapes {
  static final int FIRST_DELAY_SECONDS = 5;
  static final int INTERVAL_MINUTES = 30;

  private final TorrentRuntime torrent;
  private TrackerCounts counts;
  private long nextScrape = Long.MIN_VALUE;
  private boolean scraping;

  TrackerScrapes(TorrentRuntime torrent) {
    this.torrent = torrent;
  }

  /** Returns the latest counts, if a tracker gave any. */
  Optional<TrackerCounts> counts() {
    return Optional.ofNullable(counts);
  }

  /** A tracker answered an announce: its counts, if it gave them, are the latest. */
  void announced(AnnounceResponse response) {
    if (response.seeders().isPresent() && response.leechers().isPresent()) {
      counts =
          new TrackerCounts(
              response.seeders().getAsInt(),
              response.leechers().getAsInt(),
              counts == null ? OptionalInt.empty() : counts.completed(),
              torrent.time());
    }
  }

  /** Every second while the torrent runs: scrapes when it is time. */
  void tick(long now) {
    if (!torrent.dataKnown() || scraping) {
      return;
    }
    if (nextScrape == Long.MIN_VALUE) {
      nextScrape = now + FIRST_DELAY_SECONDS * 1_000_000_000L;
      return;
    }
    if (now - nextScrape < 0) {
      return;
    }
    nextScrape = now + INTERVAL_MINUTES * 60_000_000_000L;
    List<String> trackers =
        torrent.data().trackers().stream().flatMap(List::stream).distinct().toList();
    if (!trackers.isEmpty()) {
      scraping = true;
      scrape(trackers, 0);
    }
  }

  private void scrape(List<String> trackers, int index) {
    if (index >= trackers.size()) {
      scraping = false;
      return;
    }
    torrent
        .host()
        .scrape(trackers.get(index), torrent.wireHash())
        .whenComplete(
            (stats, error) ->
                torrent
                    .host()
                    .loop()
                    .execute(
                        () -> {
                          if (error == null) {
                            scraped(stats);
                            scraping = false;
                          } else {
                            scrape(trackers, index + 1);
                          }
                        }));
  }

  private void scraped(ScrapeStats stats) {
    counts =
        new TrackerCounts(
            stats.seeders(), stats.leechers(), OptionalInt.of(stats.completed()), torrent.time());
  }
}
