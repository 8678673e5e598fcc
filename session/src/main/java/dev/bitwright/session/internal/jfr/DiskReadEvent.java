package dev.bitwright.session.internal.jfr;

import dev.bitwright.metainfo.InfoHashes;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * Stored bytes read to upload a block, on the loop thread (so there is no queue time), into the
 * connection's output buffer. {@link #start()} it before the read and {@link #record} it after. By
 * default only those that take 10 ms or more are recorded (bitwright.jfc records all).
 */
@Name("dev.bitwright.DiskRead")
@Label("Disk Read")
@Category({"Bitwright", "Disk"})
@Description("Stored bytes read to upload a block")
@StackTrace(false)
@Threshold("10 ms")
@SuppressForbidden
public final class DiskReadEvent extends jdk.jfr.Event {
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
  long bytes;

  /** Returns a new event, begun: its duration runs from now to {@code record}. */
  public static DiskReadEvent start() {
    DiskReadEvent event = new DiskReadEvent();
    event.begin();
    return event;
  }

  /** Ends the event and records it, if enabled and over its threshold. */
  public void record(InfoHashes torrent, int piece, int offset, long bytes) {
    end();
    if (shouldCommit()) {
      this.infoHash = torrent.best().hex();
      this.piece = piece;
      this.offset = offset;
      this.bytes = bytes;
      commit();
    }
  }
}
