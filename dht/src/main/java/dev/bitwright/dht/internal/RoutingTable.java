package dev.bitwright.dht.internal;

import dev.bitwright.dht.DhtContact;
import dev.bitwright.dht.NodeId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.random.RandomGenerator;

/**
 * A Kademlia routing table for one address family (BEP 5): buckets of up to {@value #K} nodes, each
 * with a replacement cache of up to {@value #K} more.
 *
 * <p><b>Splitting.</b> Only the bucket that covers our own id is split (classic Kademlia, as BEP 5
 * describes), so bucket {@code i} holds the nodes whose ids share exactly {@code i} leading bits
 * with ours, and the last bucket holds those sharing more. The table therefore has at most 160
 * buckets and {@code 160 × 16} entries.
 *
 * <p><b>Admission.</b> Only nodes that answered one of our queries are added, so a spoofed source
 * cannot place itself in the table. A full bucket takes a new node only in place of a bad one, or
 * of a node whose id is not valid for its IP (BEP 42) when the new one's is; otherwise the new node
 * waits in the replacement cache and takes the place of the first node that goes bad. One address
 * holds one entry: a node that answers from a known address with a new id replaces the old entry.
 * One public IP holds one entry too (addresses on local networks, as BEP 42 lists them, are
 * exempt), so that one host cannot fill buckets with many ports.
 */
public final class RoutingTable {
  /** Nodes per bucket (BEP 5). */
  public static final int K = 8;

  /** How long a bucket may go unchanged before it is refreshed (BEP 5: 15 minutes). */
  public static final long REFRESH_NANOS = 15L * 60 * 1_000_000_000;

  /** What {@link #nodeResponded} did. */
  public enum Outcome {
    /** The node was known; its state was refreshed. */
    UPDATED,
    /** The node was added to a bucket. */
    ADDED,
    /** The node took the place of a bad or unverified one. */
    REPLACED,
    /** The bucket was full: the node waits in the replacement cache. */
    CACHED,
    /** The node was refused (an id conflict, or an id not valid for its IP in enforcing mode). */
    REJECTED
  }

  private static final class Bucket {
    final List<RoutingEntry> entries = new ArrayList<>(K);
    final ArrayDeque<RoutingEntry> replacements = new ArrayDeque<>(K);
    long lastChanged;

    Bucket(long lastChanged) {
      this.lastChanged = lastChanged;
    }
  }

  private final NodeId ownId;
  private final boolean enforceSecureIds;
  private final List<Bucket> buckets = new ArrayList<>();
  private final Map<NodeId, RoutingEntry> byId = new HashMap<>();
  private final Map<InetSocketAddress, RoutingEntry> byAddress = new HashMap<>();
  private final Map<InetAddress, RoutingEntry> byPublicIp = new HashMap<>();

  /**
   * Creates an empty table.
   *
   * @param ownId our node id, which decides how buckets split
   * @param enforceSecureIds whether to refuse nodes whose id is not valid for their IP
   * @param nowNanos the current time, from which the first refresh is counted
   */
  public RoutingTable(NodeId ownId, boolean enforceSecureIds, long nowNanos) {
    this.ownId = ownId;
    this.enforceSecureIds = enforceSecureIds;
    buckets.add(new Bucket(nowNanos));
  }

  /** Returns our id. */
  public NodeId ownId() {
    return ownId;
  }

  /** Returns the number of nodes in the buckets. */
  public int size() {
    return byId.size();
  }

  /** Returns the number of nodes in the replacement caches. */
  public int replacementCount() {
    return buckets.stream().mapToInt(b -> b.replacements.size()).sum();
  }

  /** Returns the number of buckets. */
  public int bucketCount() {
    return buckets.size();
  }

  /** Returns the entry for {@code address}, if the table holds one. */
  public Optional<RoutingEntry> entryAt(InetSocketAddress address) {
    return Optional.ofNullable(byAddress.get(address));
  }

  /** Returns the entry for {@code id}, if the table holds one. */
  public Optional<RoutingEntry> entry(NodeId id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** Returns the entries of bucket {@code index}, for tests and diagnostics. */
  public List<RoutingEntry> bucket(int index) {
    return List.copyOf(buckets.get(index).entries);
  }

  private int bucketIndex(NodeId id) {
    return Math.min(ownId.commonPrefixLength(id), buckets.size() - 1);
  }

  /** Records that node {@code id} at {@code address} answered one of our queries. */
  public Outcome nodeResponded(NodeId id, InetSocketAddress address, long nowNanos) {
    if (id.equals(ownId)) {
      return Outcome.REJECTED;
    }
    RoutingEntry known = byId.get(id);
    if (known != null) {
      if (!known.address().equals(address)) {
        return Outcome.REJECTED;
      }
      known.responded(nowNanos);
      buckets.get(bucketIndex(id)).lastChanged = nowNanos;
      return Outcome.UPDATED;
    }
    RoutingEntry stale = byAddress.get(address);
    if (stale != null) {
      remove(stale);
    }
    RoutingEntry sameIp = byPublicIp.get(address.getAddress());
    if (sameIp != null) {
      if (sameIp.state(nowNanos) != RoutingEntry.State.BAD) {
        return Outcome.REJECTED;
      }
      remove(sameIp);
    }
    boolean secure = id.isSecureFor(address.getAddress());
    if (enforceSecureIds && !secure) {
      return Outcome.REJECTED;
    }
    RoutingEntry entry = new RoutingEntry(id, address, secure, nowNanos);
    entry.responded(nowNanos);
    return insert(entry, nowNanos);
  }

  /**
   * Adds a node remembered from an earlier run: questionable until it answers, and only where a
   * bucket has room.
   */
  public boolean addRemembered(DhtContact contact, long nowNanos) {
    if (contact.id().equals(ownId)
        || byId.containsKey(contact.id())
        || byAddress.containsKey(contact.address())
        || publicIpTaken(contact.address(), nowNanos)) {
      return false;
    }
    boolean secure = contact.id().isSecureFor(contact.address().getAddress());
    if (enforceSecureIds && !secure) {
      return false;
    }
    RoutingEntry entry =
        new RoutingEntry(
            contact.id(), contact.address(), secure, nowNanos - RoutingEntry.GOOD_FOR_NANOS - 1);
    return insert(entry, nowNanos) == Outcome.ADDED;
  }

  private Outcome insert(RoutingEntry entry, long nowNanos) {
    while (true) {
      int index = bucketIndex(entry.id());
      Bucket bucket = buckets.get(index);
      if (bucket.entries.size() < K) {
        add(bucket, entry, nowNanos);
        return Outcome.ADDED;
      }
      if (index == buckets.size() - 1 && buckets.size() < NodeId.BITS) {
        split(nowNanos);
        continue;
      }
      RoutingEntry victim = replaceable(bucket, entry, nowNanos);
      if (victim != null) {
        remove(victim);
        add(bucket, entry, nowNanos);
        return Outcome.REPLACED;
      }
      bucket.replacements.removeIf(
          r -> r.id().equals(entry.id()) || r.address().equals(entry.address()));
      if (bucket.replacements.size() == K) {
        bucket.replacements.removeFirst();
      }
      bucket.replacements.addLast(entry);
      return Outcome.CACHED;
    }
  }

  private static RoutingEntry replaceable(Bucket bucket, RoutingEntry entry, long nowNanos) {
    RoutingEntry unverified = null;
    for (RoutingEntry e : bucket.entries) {
      if (e.state(nowNanos) == RoutingEntry.State.BAD) {
        return e;
      }
      if (!e.secure() && (unverified == null || e.lastSeen() < unverified.lastSeen())) {
        unverified = e;
      }
    }
    return entry.secure() && !NodeId.isExemptFromSecureIds(entry.address().getAddress())
        ? unverified
        : null;
  }

  /** Whether another live entry holds the public IP of {@code address}. */
  private boolean publicIpTaken(InetSocketAddress address, long nowNanos) {
    RoutingEntry holder = byPublicIp.get(address.getAddress());
    return holder != null && holder.state(nowNanos) != RoutingEntry.State.BAD;
  }

  private void add(Bucket bucket, RoutingEntry entry, long nowNanos) {
    bucket.entries.add(entry);
    bucket.lastChanged = nowNanos;
    byId.put(entry.id(), entry);
    byAddress.put(entry.address(), entry);
    InetAddress ip = entry.address().getAddress();
    if (!NodeId.isExemptFromSecureIds(ip)) {
      byPublicIp.put(ip, entry);
    }
  }

  private void remove(RoutingEntry entry) {
    buckets.get(bucketIndex(entry.id())).entries.remove(entry);
    byId.remove(entry.id());
    byAddress.remove(entry.address());
    byPublicIp.remove(entry.address().getAddress(), entry);
  }

  private void split(long nowNanos) {
    Bucket old = buckets.get(buckets.size() - 1);
    Bucket near = new Bucket(nowNanos);
    near.lastChanged = old.lastChanged;
    buckets.add(near);
    int nearIndex = buckets.size() - 1;
    moveNear(old.entries.iterator(), near.entries, nearIndex);
    moveNear(old.replacements.iterator(), near.replacements, nearIndex);
  }

  private void moveNear(Iterator<RoutingEntry> from, Collection<RoutingEntry> to, int i) {
    while (from.hasNext()) {
      RoutingEntry e = from.next();
      if (ownId.commonPrefixLength(e.id()) >= i) {
        from.remove();
        to.add(e);
      }
    }
  }

  /** Records that a node in the table sent us a query: it stays good if it ever answered. */
  public void nodeQueriedUs(NodeId id, InetSocketAddress address, long nowNanos) {
    RoutingEntry entry = byId.get(id);
    if (entry != null && entry.address().equals(address)) {
      entry.queriedUs(nowNanos);
    }
  }

  /**
   * Returns whether a node with {@code id} at {@code address} could enter the table now (a bucket
   * has room, could split, or holds a bad node): worth a ping to see whether it answers.
   */
  public boolean wouldAdmit(NodeId id, InetSocketAddress address, long nowNanos) {
    if (id.equals(ownId) || byId.containsKey(id) || publicIpTaken(address, nowNanos)) {
      return false;
    }
    int index = bucketIndex(id);
    Bucket bucket = buckets.get(index);
    return bucket.entries.size() < K
        || (index == buckets.size() - 1 && buckets.size() < NodeId.BITS)
        || bucket.entries.stream().anyMatch(e -> e.state(nowNanos) == RoutingEntry.State.BAD);
  }

  /**
   * Records that a query to the node at {@code address} failed. A node that becomes bad is replaced
   * by the most recent node of its bucket's replacement cache, if any.
   */
  public void queryFailed(InetSocketAddress address, long nowNanos) {
    RoutingEntry entry = byAddress.get(address);
    if (entry == null) {
      return;
    }
    entry.failed();
    Bucket bucket = buckets.get(bucketIndex(entry.id()));
    if (entry.state(nowNanos) == RoutingEntry.State.BAD && !bucket.replacements.isEmpty()) {
      remove(entry);
      for (RoutingEntry r; (r = bucket.replacements.pollLast()) != null; ) {
        // A waiting node may have entered elsewhere, or its IP may have, meanwhile.
        if (!byId.containsKey(r.id())
            && !byAddress.containsKey(r.address())
            && !byPublicIp.containsKey(r.address().getAddress())) {
          add(bucket, r, nowNanos);
          break;
        }
      }
    }
  }

  /** Returns up to {@code count} nodes that are not bad, closest to {@code target} first. */
  public List<DhtContact> closest(NodeId target, int count, long nowNanos) {
    Comparator<RoutingEntry> farthestFirst = (a, b) -> target.compareDistance(b.id(), a.id());
    PriorityQueue<RoutingEntry> best = new PriorityQueue<>(Math.min(count, K) + 1, farthestFirst);
    for (RoutingEntry e : byId.values()) {
      if (e.state(nowNanos) != RoutingEntry.State.BAD) {
        best.add(e);
        if (best.size() > count) {
          best.poll();
        }
      }
    }
    List<DhtContact> result = new ArrayList<>(best.size());
    while (!best.isEmpty()) {
      result.add(best.poll().contact());
    }
    Collections.reverse(result);
    return result;
  }

  /** Returns the number of nodes that are not bad. */
  public int liveCount(long nowNanos) {
    return (int)
        byId.values().stream().filter(e -> e.state(nowNanos) != RoutingEntry.State.BAD).count();
  }

  /** Returns every node in the table. */
  public List<RoutingEntry> entries() {
    return List.copyOf(byId.values());
  }

  /**
   * Returns a random id in up to {@code max} buckets not changed for {@link #REFRESH_NANOS}, and
   * counts those buckets as refreshed now.
   */
  public List<NodeId> refreshTargets(long nowNanos, RandomGenerator random, int max) {
    List<NodeId> targets = new ArrayList<>();
    for (int i = 0; i < buckets.size() && targets.size() < max; i++) {
      Bucket bucket = buckets.get(i);
      if (nowNanos - bucket.lastChanged >= REFRESH_NANOS) {
        bucket.lastChanged = nowNanos;
        targets.add(randomIdInBucket(i, random));
      }
    }
    return targets;
  }

  /** Returns a random id that falls in bucket {@code index}. */
  public NodeId randomIdInBucket(int index, RandomGenerator random) {
    byte[] id = NodeId.random(random).toBytes();
    byte[] own = ownId.toBytes();
    boolean last = index == buckets.size() - 1;
    int shared = last ? index : index + 1;
    for (int bit = 0; bit < shared; bit++) {
      int mask = 0x80 >>> (bit & 7);
      boolean set = (own[bit >>> 3] & mask) != 0;
      if (!last && bit == index) {
        set = !set;
      }
      id[bit >>> 3] = (byte) (set ? id[bit >>> 3] | mask : id[bit >>> 3] & ~mask);
    }
    return NodeId.of(id);
  }

  /**
   * Returns up to {@code max} questionable nodes not pinged for {@code interval} nanoseconds, and
   * counts them as pinged now.
   */
  public List<RoutingEntry> nodesToPing(long nowNanos, long interval, int max) {
    List<RoutingEntry> due = new ArrayList<>();
    for (RoutingEntry e : byId.values()) {
      if (due.size() == max) {
        break;
      }
      if (e.needsPing(nowNanos, interval)) {
        due.add(e);
      }
    }
    return due;
  }
}
