package dev.bitwright.session.internal.jfr;

import dev.bitwright.metainfo.InfoHashes;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A downloaded piece was hashed: it passed, or failed and will be fetched again. */
@Name("dev.bitwright.PieceVerified")
@Label("Piece Verified")
@Category({"Bitwright", "Pieces"})
@Description("A downloaded piece was hashed: it passed, or failed and will be fetched again")
@StackTrace(false)
@SuppressForbidden
public final class PieceVerifiedEvent extends jdk.jfr.Event {
  @Label("Info Hash")
  @Description("The torrent's best info-hash (v2 where it has one), in hex")
  String infoHash;

  @Label("Piece")
  int piece;

  @Label("Passed")
  @Description("Whether the piece's hash matched")
  boolean passed;

  /** Records a verified or failed piece, if the event is enabled. */
  public static void record(InfoHashes torrent, int piece, boolean passed) {
    PieceVerifiedEvent event = new PieceVerifiedEvent();
    if (event.shouldCommit()) {
      event.infoHash = torrent.best().hex();
      event.piece = piece;
      event.passed = passed;
      event.commit();
    }
  }
}
