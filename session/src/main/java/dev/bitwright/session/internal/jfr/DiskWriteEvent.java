package dev.bitwright.session.internal.jfr;

import dev.bitwright.metainfo.InfoHashes;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;
import jdk.jfr.Timespan;

/**
 * Received bytes written to the storage on the disk executor: a block on its own, or a whole piece
 * assembled in memory, which the same call hashes first. {@link #start()} it before the write and
 * {@link #record} it after. By default only those that take 10 ms or more are recorded
 * (bitwright.jfc records all).
 */
@Name("dev.bitwright.DiskWrite")
@Label("Disk Write")
@Category({"Bitwright", "Disk"})
@Description(
    "Received bytes written to the storage: a block, or a whole piece assembled in memory and"
        + " hashed in the same call")
@StackTrace(false)
@Threshold("10 ms")
@SuppressForbidden
public final class DiskWriteEvent extends jdk.jfr.Event {
  @Label("Info Hash")
  @Description("The torrent's best info-hash (v2 where it has one), in hex")
  String infoHash;

  @Label("Piece")
  int piece;

  @Label("Offset")
  @DataAmount
  int offset;

  @Label("Bytes")
  @DataAmount
  int bytes;

  @Label("Whole Piece")
  @Description("Whether a whole piece was hashed and then written in this call")
  boolean wholePiece;

  @Label("Queue Time")
  @Description("How long the write waited for the disk executor, by the session clock")
  @Timespan(Timespan.NANOSECONDS)
  long queueTime;

  /** Returns a new event, begun: its duration runs from now to {@code record}. */
  public static DiskWriteEvent start() {
    DiskWriteEvent event = new DiskWriteEvent();
    event.begin();
    return event;
  }

  /** Ends the event and records it, if enabled and over its threshold. */
  public void record(
      InfoHashes torrent,
      int piece,
      int offset,
      int bytes,
      boolean wholePiece,
      long queueTimeNanos) {
    end();
    if (shouldCommit()) {
      this.infoHash = torrent.best().hex();
      this.piece = piece;
      this.offset = offset;
      this.bytes = bytes;
      this.wholePiece = wholePiece;
      this.queueTime = queueTimeNanos;
      commit();
    }
  }
}
