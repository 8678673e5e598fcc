package dev.bitwright.session.internal.jfr;

import dev.bitwright.metainfo.InfoHashes;
import java.net.InetSocketAddress;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * A timed block request was answered. Each connection times one request at a time, so this is a
 * sample of every peer's latency, not every request. Off unless enabled (bitwright.jfc enables it):
 * a fast peer answers thousands of timed requests a minute.
 */
@Name("dev.bitwright.BlockRequestLatency")
@Label("Block Request Latency")
@Category({"Bitwright", "Peers"})
@Description(
    "A timed block request was answered: the time from sending it to the block's arrival. One"
        + " request per connection is timed at a time")
@StackTrace(false)
@SuppressForbidden
@Enabled(false)
public final class BlockLatencyEvent extends jdk.jfr.Event {
  @Label("Info Hash")
  @Description("The torrent's best info-hash (v2 where it has one), in hex")
  String infoHash;

  @Label("Peer")
  String peer;

  @Label("Piece")
  int piece;

  @Label("Offset")
  @DataAmount
  int offset;

  @Label("Latency")
  @Description("From sending the request to the block's arrival, by the session clock")
  @Timespan(Timespan.NANOSECONDS)
  long latency;

  @Label("Requests Outstanding")
  @Description("The requests to this peer still unanswered after this one")
  int outstanding;

  /** Records an answered timed request, if the event is enabled. */
  public static void record(
      InfoHashes torrent,
      InetSocketAddress peer,
      int piece,
      int offset,
      long latencyNanos,
      int outstanding) {
    BlockLatencyEvent event = new BlockLatencyEvent();
    if (event.shouldCommit()) {
      event.infoHash = torrent.best().hex();
      event.peer = Peers.format(peer);
      event.piece = piece;
      event.offset = offset;
      event.latency = latencyNanos;
      event.outstanding = outstanding;
      event.commit();
    }
  }
}
