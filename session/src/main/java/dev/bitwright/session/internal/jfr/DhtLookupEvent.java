package dev.bitwright.session.internal.jfr;

import dev.bitwright.dht.LookupStats;
import java.util.function.Consumer;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * One DHT lookup of a torrent's peers and the announce that ends it: {@link #start()} gives what to
 * call with the lookup's figures when it is done.
 */
@Name("dev.bitwright.DhtLookup")
@Label("DHT Lookup")
@Category({"Bitwright", "Discovery"})
@Description("One DHT lookup of a torrent's peers (get_peers) and the announce_peer that ends it")
@StackTrace(false)
@SuppressForbidden
public final class DhtLookupEvent extends jdk.jfr.Event {
  @Label("Target")
  @Description("The info-hash looked up, in hex (a hybrid torrent is looked up under both)")
  String target;

  @Label("Hops")
  @Description("How many rounds of queries the lookup went through")
  int hops;

  @Label("Queries")
  int queries;

  @Label("Responses")
  int responses;

  @Label("Timeouts")
  int timeouts;

  @Label("Nodes With Tokens")
  @Description("The closest nodes that gave a token, to which the announce went")
  int nodesWithTokens;

  @Label("Peers Found")
  int peersFound;

  @Label("Announces Sent")
  int announcesSent;

  /**
   * Begins an event for a lookup starting now; returns what records it, given the lookup's figures
   * once it is done.
   */
  public static Consumer<LookupStats> start() {
    DhtLookupEvent event = new DhtLookupEvent();
    event.begin();
    return event::record;
  }

  private void record(LookupStats stats) {
    end();
    if (shouldCommit()) {
      this.target = stats.target().toString();
      this.hops = stats.hops();
      this.queries = stats.queriesSent();
      this.responses = stats.responses();
      this.timeouts = stats.timeouts();
      this.nodesWithTokens = stats.nodesWithTokens();
      this.peersFound = stats.peersFound();
      this.announcesSent = stats.announcesSent();
      commit();
    }
  }
}
