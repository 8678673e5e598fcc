package dev.bitwright.session;

import dev.bitwright.session.internal.jfr.Profile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The session's JDK Flight Recorder events and {@code bitwright.jfc}, the profile that records them
 * all. The events are named {@code dev.bitwright.*} in the category "Bitwright":
 *
 * <ul>
 *   <li>{@code PeerConnected}, {@code PeerDisconnected} (with the close reason, time connected and
 *       bytes each way), {@code ChokeRound} (every 10 s per torrent) and {@code
 *       BlockRequestLatency} (one timed request per connection at a time; off by default);
 *   <li>{@code PieceVerified} (passed or failed), {@code DiskWrite} (bytes, duration, time queued
 *       for the disk) and {@code DiskRead} (uploads; by default disk events of 10 ms or more only);
 *   <li>{@code TrackerAnnounce} (event, peers, interval or error) and {@code DhtLookup} (hops,
 *       queries, responses, timeouts, peers found).
 * </ul>
 *
 * <p>They are recorded like any JFR event: {@code
 * -XX:StartFlightRecording:settings=default,settings=/path/to/bitwright.jfc,filename=rec.jfr} on
 * the command line (with the file from {@link #writeSettings}), or in code with {@code
 * jdk.jfr.Recording} and {@link #settings()}. An event nobody records costs next to nothing. JFR
 * times the events with the real clock; fields marked as measured by the session clock (latency,
 * queue time, time connected) use the session's ticker.
 */
public final class FlightRecorderEvents {
  private FlightRecorderEvents() {}

  /** {@return the names of the events, such as {@code dev.bitwright.PeerConnected}} */
  public static List<String> names() {
    return Profile.EVENT_NAMES;
  }

  /**
   * {@return the settings of {@code bitwright.jfc}, in the form {@code
   * jdk.jfr.Recording#setSettings} takes ({@code "dev.bitwright.DiskWrite#threshold" -> "0 ms"}),
   * to add to a JDK profile's: {@code Configuration.getConfiguration("default").getSettings()}}
   */
  public static Map<String, String> settings() {
    return Profile.settings();
  }

  /**
   * Writes {@code bitwright.jfc} to {@code file} (replacing it), for {@code
   * -XX:StartFlightRecording:settings=...} or JDK Mission Control.
   *
   * @param file where to write the settings file
   * @throws IOException if the file cannot be written
   */
  public static void writeSettings(Path file) throws IOException {
    Files.write(file, Profile.bytes());
  }
}
