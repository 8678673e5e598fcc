package dev.bitwright.dht;

import java.time.Duration;
import java.util.List;

/**
 * Receives the info-hash samples of a BEP 51 {@code sample_infohashes} traversal, on the thread
 * that drives the {@link DhtNode}. It must not block.
 */
@FunctionalInterface
public interface SampleListener {
  /**
   * Called for each node that answered.
   *
   * @param node the node that answered
   * @param samples the info-hashes it sampled from its storage (possibly none)
   * @param storedInfoHashes how many info-hashes the node says it stores
   * @param interval how long the node asks us to wait before sampling it again
   */
  void samplesReceived(
      DhtContact node, List<NodeId> samples, long storedInfoHashes, Duration interval);

  /**
   * Called once when the traversal ends (converged, or cancelled).
   *
   * @param stats what the traversal did: queries, answers and its duration
   */
  default void lookupDone(LookupStats stats) {}
}
