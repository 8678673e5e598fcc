package dev.bitwright.session.internal.jfr;

import com.google.common.io.BaseEncoding;
import dev.bitwright.tracker.AnnounceEvent;
import dev.bitwright.tracker.AnnounceResponse;
import java.util.Locale;
import java.util.function.BiConsumer;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * One announce to one tracker, from sending it to its answer or failure: {@link #start} gives what
 * to call with the outcome.
 */
@Name("dev.bitwright.TrackerAnnounce")
@Label("Tracker Announce")
@Category({"Bitwright", "Discovery"})
@Description("One announce to one tracker, from sending it to its answer or failure")
@StackTrace(false)
@SuppressForbidden
public final class TrackerAnnounceEvent extends jdk.jfr.Event {
  @Label("Info Hash")
  @Description(
      "The info-hash announced, in hex (a v2 hash truncated to 20 bytes, as trackers see it)")
  String infoHash;

  @Label("Tracker")
  String tracker;

  @Label("Announce Event")
  @Description("started, completed, stopped or none")
  String announceEvent;

  @Label("Peers")
  @Description("How many peers the tracker returned")
  int peers;

  @Label("Interval")
  @Description("The interval the tracker asked for")
  @Timespan(Timespan.SECONDS)
  long interval;

  @Label("Error")
  @Description("Why the announce failed, or empty if it succeeded")
  String error;

  /**
   * Begins an event for an announce sent now; returns what records it, given the tracker's answer
   * or the failure (the other null).
   */
  public static BiConsumer<AnnounceResponse, Throwable> start(
      byte[] infoHash, String tracker, AnnounceEvent announceEvent) {
    TrackerAnnounceEvent event = new TrackerAnnounceEvent();
    event.begin();
    return (response, failure) -> event.record(infoHash, tracker, announceEvent, response, failure);
  }

  private void record(
      byte[] hash, String url, AnnounceEvent sent, AnnounceResponse response, Throwable failure) {
    end();
    if (shouldCommit()) {
      this.infoHash = BaseEncoding.base16().lowerCase().encode(hash);
      this.tracker = url;
      this.announceEvent = sent.name().toLowerCase(Locale.ROOT);
      if (failure == null) {
        this.peers = response.peers().size();
        this.interval = response.interval().toSeconds();
        this.error = "";
      } else {
        this.error = String.valueOf(failure.getMessage());
      }
      commit();
    }
  }
}
