package dev.bitwright.dht;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Receives the peers a {@code get_peers} or announce lookup finds. Called synchronously on the
 * thread that drives the {@link DhtNode} (from {@code receive} or {@code advance}); it must not
 * block and must not call back into the node's lookup methods re-entrantly for the same lookup.
 */
@FunctionalInterface
public interface PeerListener {
  /**
   * Called for each response that carries peers not reported before in this lookup.
   *
   * @param infoHash the info-hash looked up
   * @param peers the new peers, never empty
   */
  void peersFound(NodeId infoHash, List<InetSocketAddress> peers);

  /**
   * Called once when the lookup ends (converged, or cancelled).
   *
   * @param stats what the lookup did: queries, answers, peers found and its duration
   */
  default void lookupDone(LookupStats stats) {}
}
