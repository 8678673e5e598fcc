package dev.bitwright.session;

import java.time.Instant;
import java.util.OptionalInt;

/**
 * What the trackers last said of a torrent's swarm: the largest counts one of them reported, from
 * announces (seeders and leechers) and scrapes (BEP 48 and BEP 15: those and the downloads). A
 * value of three figures and a time: it will not grow.
 *
 * @param seeders peers that have the whole torrent
 * @param leechers peers that are still downloading
 * @param completed downloads the tracker has seen finish, if a scrape said
 * @param time when the figures were last updated
 */
public record TrackerCounts(int seeders, int leechers, OptionalInt completed, Instant time) {}
