package dev.bitwright.dht;

import java.util.List;

/**
 * Receives the result of a {@code find_node} lookup, once, on the thread that drives the {@link
 * DhtNode}. It must not block.
 */
@FunctionalInterface
public interface NodesListener {
  /**
   * Called when the lookup ends.
   *
   * @param target the id looked up
   * @param closest the nodes that answered, closest to {@code target} first, at most 8
   * @param stats what the lookup did
   */
  void lookupDone(NodeId target, List<DhtContact> closest, LookupStats stats);
}
