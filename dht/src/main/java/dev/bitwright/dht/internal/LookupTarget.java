package dev.bitwright.dht.internal;

import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.dht.DhtContact;
import dev.bitwright.dht.LookupStats;
import dev.bitwright.dht.NodeId;
import java.util.List;

/**
 * What kind of lookup a {@link Lookup} runs: the query it sends to each node, what it does with
 * each answer, and what it does at the end.
 */
public interface LookupTarget {
  /** Returns the query name ({@code find_node}, {@code get_peers}, ...). */
  String method();

  /** Returns the query's arguments for {@code target}, without our id. */
  BencodeDictionary.Builder arguments(NodeId target);

  /** Handles the answer of {@code node}. */
  default void answered(DhtContact node, KrpcResponse response) {}

  /**
   * Called when the traversal has converged, with the nodes that answered, closest first. Returns
   * true when the lookup is over, false when it still has work (announces) and will call {@link
   * Lookup#finish} itself.
   */
  default boolean converged(Lookup lookup, List<Lookup.Answer> answered, long nowNanos) {
    return true;
  }

  /** Called once when the lookup is over (converged or cancelled). */
  void done(List<Lookup.Answer> answered, LookupStats stats);
}
