package dev.bitwright.dht.internal;

import dev.bitwright.dht.NodeId;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Peers announced to us ({@code announce_peer}), bounded three ways: per info-hash (the oldest
 * announce of that info-hash is evicted), in info-hashes (the info-hash least recently announced is
 * evicted with its peers) and in all (the oldest peer of the least recently announced info-hash is
 * evicted). A peer expires {@value #TTL_MINUTES} minutes after its last announce.
 */
public final class PeerStore {
  /** How long an announce is kept, in minutes (BEP 5 suggests 30). */
  public static final int TTL_MINUTES = 30;

  private static final long TTL_NANOS = TTL_MINUTES * 60 * 1_000_000_000L;

  private final int maxPerInfoHash;
  private final int maxInfoHashes;
  private final int maxPeers;

  /** Info-hash to (peer to expiry), both in order of last announce. */
  private final LinkedHashMap<NodeId, LinkedHashMap<InetSocketAddress, Long>> swarms =
      new LinkedHashMap<>();

  private int peerCount;

  /** Creates an empty store with the given caps. */
  public PeerStore(int maxPerInfoHash, int maxInfoHashes, int maxPeers) {
    this.maxPerInfoHash = maxPerInfoHash;
    this.maxInfoHashes = maxInfoHashes;
    this.maxPeers = maxPeers;
  }

  /** Stores (or refreshes) {@code peer} for {@code infoHash}. */
  public void announce(NodeId infoHash, InetSocketAddress peer, long nowNanos) {
    // Removing and putting back moves the info-hash to the end: the order is of last announce.
    LinkedHashMap<InetSocketAddress, Long> swarm = swarms.remove(infoHash);
    if (swarm == null) {
      if (swarms.size() == maxInfoHashes) {
        Map.Entry<NodeId, LinkedHashMap<InetSocketAddress, Long>> eldest =
            swarms.entrySet().iterator().next();
        peerCount -= eldest.getValue().size();
        swarms.remove(eldest.getKey());
      }
      swarm = new LinkedHashMap<>();
    }
    swarms.put(infoHash, swarm);
    if (swarm.remove(peer) != null) {
      peerCount--;
    } else if (swarm.size() == maxPerInfoHash) {
      swarm.remove(swarm.keySet().iterator().next());
      peerCount--;
    }
    swarm.put(peer, nowNanos + TTL_NANOS);
    peerCount++;
    if (peerCount > maxPeers) {
      evictOneFromEldestSwarm();
    }
  }

  private void evictOneFromEldestSwarm() {
    Iterator<LinkedHashMap<InetSocketAddress, Long>> it = swarms.values().iterator();
    LinkedHashMap<InetSocketAddress, Long> eldest = it.next();
    eldest.remove(eldest.keySet().iterator().next());
    peerCount--;
    if (eldest.isEmpty()) {
      it.remove();
    }
  }

  /**
   * Returns up to {@code max} peers of {@code infoHash} of one family (IPv4 when {@code v4}),
   * chosen at random when there are more.
   */
  public List<InetSocketAddress> peers(
      NodeId infoHash, boolean v4, int max, RandomGenerator random) {
    Map<InetSocketAddress, Long> swarm = swarms.get(infoHash);
    List<InetSocketAddress> matching = new ArrayList<>();
    if (swarm == null) {
      return matching;
    }
    for (InetSocketAddress peer : swarm.keySet()) {
      if ((peer.getAddress() instanceof Inet4Address) == v4) {
        matching.add(peer);
      }
    }
    return sample(matching, max, random);
  }

  /** Returns whether peers are stored for {@code infoHash}. */
  public boolean contains(NodeId infoHash) {
    return swarms.containsKey(infoHash);
  }

  /** Returns up to {@code max} stored info-hashes, chosen at random (BEP 51 samples). */
  public List<NodeId> sampleInfoHashes(int max, RandomGenerator random) {
    return sample(new ArrayList<>(swarms.keySet()), max, random);
  }

  private static <T> List<T> sample(List<T> all, int max, RandomGenerator random) {
    // A partial Fisher-Yates shuffle: the first max elements become a uniform sample.
    int n = Math.min(max, all.size());
    for (int i = 0; i < n; i++) {
      int j = i + random.nextInt(all.size() - i);
      T t = all.get(i);
      all.set(i, all.get(j));
      all.set(j, t);
    }
    return new ArrayList<>(all.subList(0, n));
  }

  /** Drops expired peers, and info-hashes left without peers. */
  public void expire(long nowNanos) {
    Iterator<LinkedHashMap<InetSocketAddress, Long>> swarmIt = swarms.values().iterator();
    while (swarmIt.hasNext()) {
      LinkedHashMap<InetSocketAddress, Long> swarm = swarmIt.next();
      Iterator<Long> peerIt = swarm.values().iterator();
      while (peerIt.hasNext()) {
        if (nowNanos - peerIt.next() >= 0) {
          peerIt.remove();
          peerCount--;
        }
      }
      if (swarm.isEmpty()) {
        swarmIt.remove();
      }
    }
  }

  /** Returns the number of info-hashes with peers. */
  public int infoHashCount() {
    return swarms.size();
  }

  /** Returns the number of stored peers. */
  public int peerCount() {
    return peerCount;
  }
}
