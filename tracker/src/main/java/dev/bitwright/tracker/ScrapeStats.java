package dev.bitwright.tracker;

/**
 * What a scrape tells about one torrent.
 *
 * @param seeders peers with the whole torrent ({@code complete})
 * @param completed times the torrent was downloaded in full ({@code downloaded})
 * @param leechers peers still downloading ({@code incomplete})
 */
public record ScrapeStats(int seeders, int completed, int leechers) {}
