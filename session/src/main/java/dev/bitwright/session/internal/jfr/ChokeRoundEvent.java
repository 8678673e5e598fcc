package dev.bitwright.session.internal.jfr;

import dev.bitwright.metainfo.InfoHashes;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * One round of a torrent's choker (every 10 s): who it chose to upload to. {@link #start()} it
 * before the round and {@link #record} it after.
 */
@Name("dev.bitwright.ChokeRound")
@Label("Choke Round")
@Category({"Bitwright", "Peers"})
@Description("One round of a torrent's choker: which peers it chose to upload to")
@StackTrace(false)
@SuppressForbidden
public final class ChokeRoundEvent extends jdk.jfr.Event {
  @Label("Info Hash")
  @Description("The torrent's best info-hash (v2 where it has one), in hex")
  String infoHash;

  @Label("Seeding")
  @Description("Whether the torrent only uploads (the choker ranks by upload rate then)")
  boolean seeding;

  @Label("Peers")
  int peers;

  @Label("Interested")
  @Description("Peers interested in our pieces")
  int interested;

  @Label("Unchoked")
  @Description("Peers unchoked after the round")
  int unchoked;

  @Label("Newly Unchoked")
  int newlyUnchoked;

  @Label("Newly Choked")
  int newlyChoked;

  /** Returns a new event, begun: its duration runs from now to {@code record}. */
  public static ChokeRoundEvent start() {
    ChokeRoundEvent event = new ChokeRoundEvent();
    event.begin();
    return event;
  }

  /** Ends the event with the round's figures and records it, if enabled. */
  public void record(
      InfoHashes torrent,
      boolean seeding,
      int peers,
      int interested,
      int unchoked,
      int newlyUnchoked,
      int newlyChoked) {
    end();
    if (shouldCommit()) {
      this.infoHash = torrent.best().hex();
      this.seeding = seeding;
      this.peers = peers;
      this.interested = interested;
      this.unchoked = unchoked;
      this.newlyUnchoked = newlyUnchoked;
      this.newlyChoked = newlyChoked;
      commit();
    }
  }
}
