/**
 * Finding peers through trackers.
 *
 * <p>{@link dev.bitwright.tracker.HttpTracker} builds HTTP announce and scrape URLs and parses the
 * replies; {@link dev.bitwright.tracker.HttpTrackerClient} sends them with {@code
 * java.net.http.HttpClient}. {@link dev.bitwright.tracker.UdpTrackerConnection} speaks the UDP
 * tracker protocol as a state machine: datagrams and the time in, datagrams and a wake-up time out.
 * {@link dev.bitwright.tracker.TrackerTiers} orders a torrent's trackers (BEP 12) and {@link
 * dev.bitwright.tracker.AnnounceSchedule} decides when to announce. Malformed replies raise {@link
 * dev.bitwright.tracker.TrackerException}.
 */
package dev.bitwright.tracker;
