package dev.bitwright.session.internal.jfr;

import dev.bitwright.metainfo.InfoHashes;
import java.net.InetSocketAddress;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** A peer that had joined a torrent left it. */
@Name("dev.bitwright.PeerDisconnected")
@Label("Peer Disconnected")
@Category({"Bitwright", "Peers"})
@Description("A peer that had joined a torrent left it, and why")
@StackTrace(false)
@SuppressForbidden
public final class PeerDisconnectedEvent extends jdk.jfr.Event {
  @Label("Info Hash")
  @Description("The torrent's best info-hash (v2 where it has one), in hex")
  String infoHash;

  @Label("Peer")
  String peer;

  @Label("Reason")
  @Description("The close reason (the session's CloseReason constant)")
  String reason;

  @Label("Detail")
  @Description("What exactly happened, or empty")
  String detail;

  @Label("Connected For")
  @Description("How long the peer was connected, by the session clock")
  @Timespan(Timespan.NANOSECONDS)
  long connectedFor;

  @Label("Downloaded")
  @Description("Payload bytes received from the peer")
  @DataAmount
  long downloaded;

  @Label("Uploaded")
  @Description("Payload bytes sent to the peer")
  @DataAmount
  long uploaded;

  /** Records a peer that left, if the event is enabled. */
  public static void record(
      InfoHashes torrent,
      InetSocketAddress peer,
      String reason,
      String detail,
      long connectedForNanos,
      long downloaded,
      long uploaded) {
    PeerDisconnectedEvent event = new PeerDisconnectedEvent();
    if (event.shouldCommit()) {
      event.infoHash = torrent.best().hex();
      event.peer = Peers.format(peer);
      event.reason = reason;
      event.detail = detail == null ? "" : detail;
      event.connectedFor = connectedForNanos;
      event.downloaded = downloaded;
      event.uploaded = uploaded;
      event.commit();
    }
  }
}
