package dev.bitwright.dht.internal;

import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.dht.NodeId;
import java.net.InetSocketAddress;

/** What a {@link Lookup} needs from the node that runs it. */
public interface LookupNetwork {
  /**
   * Sends a query, adding our id (and {@code want}, {@code ro} and {@code v}) to {@code arguments};
   * returns false when no more queries may be in flight now.
   *
   * @param expectedId the id the answer must carry, or null if unknown
   */
  boolean query(
      InetSocketAddress to,
      NodeId expectedId,
      String method,
      BencodeDictionary.Builder arguments,
      QueryCallback callback,
      long nowNanos);

  /** Returns whether we can reach {@code address} (its address family is enabled). */
  boolean reachable(InetSocketAddress address);

  /** Returns our node id. */
  NodeId ownId();
}
