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
 *
 * <p><b>Sans-I/O state machines.</b> The state machines of Bitwright's protocol modules share one
 * vocabulary. What arrived goes in through {@code receive(..., long nowNanos)}; the passing of time
 * through {@code advance(long nowNanos)}. {@code poll()} returns the next unit to send, or {@code
 * null} when there is none, like {@link java.util.Queue#poll()} (no list or {@code Optional} is
 * allocated). {@code nextDeadlineNanos()} returns the time at which {@code advance} must next be
 * called (sooner is harmless), or {@link java.lang.Long#MAX_VALUE} when nothing is pending. Every
 * {@code nowNanos} and deadline is on the caller's injected clock (a Guava {@code Ticker}, in
 * nanoseconds); the machines read no clock, do no I/O, start no threads, and are driven by one
 * thread.
 *
 * <p>Here {@link dev.bitwright.tracker.UdpTrackerConnection} is such a machine. {@link
 * dev.bitwright.tracker.AnnounceSchedule} is a timer without output: the host asks {@code
 * isDue(nowNanos)}, and {@code nextAnnounce()} is on the same clock. {@link
 * dev.bitwright.tracker.HttpTrackerClient} is no machine: HTTP goes through {@code java.net.http},
 * one future per request.
 *
 * <p>Null-marked (JSpecify): nothing in this package's API is null unless it is marked
 * {@code @Nullable}.
 */
@NullMarked
package dev.bitwright.tracker;

import org.jspecify.annotations.NullMarked;
