package dev.bitwright.dht.internal;

import dev.bitwright.dht.DhtConfig;
import dev.bitwright.dht.DhtContact;
import dev.bitwright.dht.NodeId;
import dev.bitwright.dht.NodesListener;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running lookups of a node, and the ones it starts by itself: the bootstrap lookup of its own
 * id, the refresh of every farther bucket once that has found the neighbourhood, the refresh of
 * buckets unchanged for 15 minutes, and a new bootstrap from the routers when the tables empty.
 */
public final class Lookups {
  private static final Logger LOG = LoggerFactory.getLogger(Lookups.class);
  private static final long REBOOTSTRAP_NANOS = 60_000_000_000L;
  private static final NodesListener IGNORE = (target, closest, stats) -> {};

  private final LookupNetwork network;
  private final RoutingTables tables;
  private final DhtConfig config;
  private final RandomGenerator random;
  private final List<Lookup> running = new ArrayList<>();
  private Lookup bootstrap;
  private Lookup refresh;
  private long nextBootstrap;

  /** Creates the set of lookups of a node. */
  public Lookups(LookupNetwork network, RoutingTables tables, DhtConfig config, long nowNanos) {
    this.network = network;
    this.tables = tables;
    this.config = config;
    this.random = config.random();
    this.nextBootstrap = nowNanos;
  }

  /** Returns how many lookups are running. */
  public int size() {
    return running.size();
  }

  /**
   * Looks up our own id, through the routing table or, when {@code fromRouters}, the bootstrap
   * nodes. If no remembered node answers, the routers are tried at once.
   */
  public void bootstrap(long nowNanos, boolean fromRouters) {
    nextBootstrap = nowNanos + REBOOTSTRAP_NANOS;
    NodeId self = tables.ownId();
    NodesListener afterwards =
        (target, closest, stats) -> {
          long end = nowNanos + stats.duration().toNanos();
          if (stats.responses() > 0) {
            refreshFartherBuckets(end);
          } else if (!fromRouters) {
            LOG.debug("No remembered node answered; bootstrapping from the routers");
            bootstrap(end, true);
          }
        };
    Lookup lookup =
        new Lookup(network, new FindNodeTarget(self, afterwards), self, alpha(), nowNanos);
    if (fromRouters) {
      lookup.seedAddresses(routers());
    } else {
      lookup.seed(closestKnown(self, nowNanos));
    }
    bootstrap = lookup;
    start(lookup, nowNanos);
  }

  /**
   * Joins the rest of the network after the lookup of our own id, as Kademlia prescribes: a lookup
   * of a random id in every bucket but the nearest, so that those buckets fill up.
   */
  private void refreshFartherBuckets(long nowNanos) {
    for (RoutingTable table : tables.all()) {
      for (int i = 0; i < table.bucketCount() - 1; i++) {
        NodeId target = table.randomIdInBucket(i, random);
        start(seeded(new FindNodeTarget(target, IGNORE), target, nowNanos), nowNanos);
      }
    }
  }

  /**
   * Refreshes one stale bucket per table (unless a refresh is still running), and bootstraps again
   * from the routers when no live node is left, at most once a minute.
   */
  public void maintain(long nowNanos) {
    if (refresh == null || refresh.isDone()) {
      for (RoutingTable table : tables.all()) {
        for (NodeId target : table.refreshTargets(nowNanos, random, 1)) {
          refresh = seeded(new FindNodeTarget(target, IGNORE), target, nowNanos);
          start(refresh, nowNanos);
        }
      }
    }
    if (tables.liveNodes(nowNanos) == 0
        && nowNanos - nextBootstrap >= 0
        && (bootstrap == null || bootstrap.isDone())) {
      bootstrap(nowNanos, true);
    }
  }

  /** Returns a lookup of {@code kind} seeded with the closest known nodes, or the routers. */
  public Lookup seeded(LookupTarget kind, NodeId target, long nowNanos) {
    Lookup lookup = new Lookup(network, kind, target, alpha(), nowNanos);
    List<DhtContact> known = closestKnown(target, nowNanos);
    if (known.isEmpty()) {
      lookup.seedAddresses(routers());
    } else {
      lookup.seed(known);
    }
    return lookup;
  }

  /** Runs {@code lookup} from now on. */
  public Lookup start(Lookup lookup, long nowNanos) {
    running.add(lookup);
    lookup.step(nowNanos);
    return lookup;
  }

  /** Lets every lookup send what it can (queries may have freed up), and forgets ended ones. */
  public void step(long nowNanos) {
    for (Lookup lookup : List.copyOf(running)) {
      lookup.step(nowNanos);
    }
    running.removeIf(Lookup::isDone);
  }

  private int alpha() {
    return config.lookupParallelism();
  }

  private List<InetSocketAddress> routers() {
    return config.bootstrapNodes().stream().filter(network::reachable).toList();
  }

  private List<DhtContact> closestKnown(NodeId target, long nowNanos) {
    List<DhtContact> known = new ArrayList<>();
    tables.all().forEach(t -> known.addAll(t.closest(target, RoutingTable.K, nowNanos)));
    return known;
  }
}
