package dev.bitwright.dht.internal;

import dev.bitwright.dht.DhtContact;
import dev.bitwright.dht.DhtException;
import dev.bitwright.dht.DhtLookup;
import dev.bitwright.dht.LookupStats;
import dev.bitwright.dht.NodeId;
import dev.bitwright.metainfo.internal.compact.CompactAddressException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An iterative Kademlia lookup (BEP 5). Candidates are kept sorted by XOR distance to the target;
 * the lookup keeps up to α queries in flight to the closest candidates not yet asked, adds the
 * nodes each answer names, and converges when the {@value #K} closest candidates that have not
 * failed have all answered. Nodes given without an id (bootstrap hosts) are asked first.
 *
 * <p>Memory is bounded: at most {@value #MAX_CANDIDATES} candidates are kept (the farthest are
 * dropped) and at most {@value #MAX_SEEN} addresses are remembered as already known.
 */
public final class Lookup implements DhtLookup {
  /** How many closest nodes must answer for the lookup to converge. */
  public static final int K = 8;

  /** The most candidates kept. */
  public static final int MAX_CANDIDATES = 128;

  /** The most distinct addresses a lookup considers. */
  public static final int MAX_SEEN = 4096;

  /**
   * A node that answered.
   *
   * @param node the node
   * @param token the write token it gave ({@code get_peers}), or null
   */
  public record Answer(DhtContact node, byte[] token) {}

  private enum State {
    QUEUED,
    IN_FLIGHT,
    ANSWERED,
    FAILED
  }

  private static final class Candidate {
    NodeId id;
    final InetSocketAddress address;
    final int depth;
    State state = State.QUEUED;
    byte[] token;

    Candidate(NodeId id, InetSocketAddress address, int depth) {
      this.id = id;
      this.address = address;
      this.depth = depth;
    }
  }

  private final LookupNetwork network;
  private final LookupTarget kind;
  private final NodeId target;
  private final int alpha;
  private final long start;
  private final Comparator<Candidate> closestFirst;
  private final List<Candidate> seeds = new ArrayList<>();
  private final List<Candidate> candidates = new ArrayList<>();
  private final Set<InetSocketAddress> seen = new HashSet<>();
  private final Set<NodeId> seenIds = new HashSet<>();
  private int inFlight;
  private int queriesSent;
  private int responses;
  private int timeouts;
  private int hops;
  private int nodesWithTokens;
  private int peersFound;
  private int announcesSent;
  private boolean converged;
  private boolean done;
  private long end;

  /**
   * Creates a lookup; call {@link #seed} and then {@link #step} to start it.
   *
   * @param alpha how many queries to keep in flight
   */
  public Lookup(LookupNetwork network, LookupTarget kind, NodeId target, int alpha, long nowNanos) {
    this.network = network;
    this.kind = kind;
    this.target = target;
    this.alpha = alpha;
    this.start = nowNanos;
    this.closestFirst = (a, b) -> target.compareDistance(a.id, b.id);
  }

  /** Adds known nodes (from the routing table) to start from; they count as one hop away. */
  public void seed(List<DhtContact> nodes) {
    nodes.forEach(n -> addCandidate(n, 1));
  }

  /** Adds nodes known only by address (bootstrap hosts) to ask first. */
  public void seedAddresses(List<InetSocketAddress> addresses) {
    for (InetSocketAddress a : addresses) {
      if (seen.add(a)) {
        seeds.add(new Candidate(null, a, 1));
      }
    }
  }

  private void addCandidate(DhtContact node, int depth) {
    if (seen.size() >= MAX_SEEN
        || node.address().getAddress().isAnyLocalAddress()
        || node.address().getAddress().isMulticastAddress()
        || node.id().equals(network.ownId())
        || !network.reachable(node.address())
        || seenIds.contains(node.id())
        || !seen.add(node.address())) {
      return;
    }
    seenIds.add(node.id());
    insertSorted(new Candidate(node.id(), node.address(), depth));
  }

  private void insertSorted(Candidate c) {
    int at = Collections.binarySearch(candidates, c, closestFirst);
    candidates.add(at < 0 ? -at - 1 : at, c);
    if (candidates.size() > MAX_CANDIDATES) {
      candidates.remove(candidates.size() - 1);
    }
  }

  /** Sends what can be sent now, and converges when nothing is left to ask. */
  public void step(long nowNanos) {
    if (done || converged) {
      return;
    }
    boolean waiting = false;
    for (Candidate c : seeds) {
      waiting |= tryQuery(c, nowNanos);
    }
    int considered = 0;
    for (int i = 0; i < candidates.size() && considered < K; i++) {
      Candidate c = candidates.get(i);
      if (c.state != State.FAILED) {
        considered++;
        waiting |= tryQuery(c, nowNanos);
      }
    }
    if (!waiting && inFlight == 0) {
      converge(nowNanos);
    }
  }

  /** Queries {@code c} if it waits and a slot is free; returns whether it still waits. */
  private boolean tryQuery(Candidate c, long nowNanos) {
    if (c.state != State.QUEUED) {
      return false;
    }
    if (inFlight < alpha
        && network.query(
            c.address, c.id, kind.method(), kind.arguments(target), callback(c), nowNanos)) {
      c.state = State.IN_FLIGHT;
      inFlight++;
      queriesSent++;
      return false;
    }
    return true;
  }

  private QueryCallback callback(Candidate c) {
    return new QueryCallback() {
      @Override
      public void responded(KrpcResponse response, InetSocketAddress from, long nowNanos) {
        inFlight--;
        if (!done) {
          answered(c, response, from, nowNanos);
        }
      }

      @Override
      public void failed(long nowNanos) {
        inFlight--;
        if (!done) {
          c.state = State.FAILED;
          timeouts++;
          step(nowNanos);
        }
      }
    };
  }

  private void answered(Candidate c, KrpcResponse response, InetSocketAddress from, long nowNanos) {
    c.state = State.ANSWERED;
    responses++;
    hops = Math.max(hops, c.depth);
    if (c.id == null) {
      c.id = response.sender();
      if (seenIds.add(c.id)) {
        insertSorted(c);
      }
    }
    c.token = optionalToken(response);
    if (c.token != null) {
      nodesWithTokens++;
    }
    DhtContact node = new DhtContact(response.sender(), from);
    nodes(response, "nodes", CompactNodes.NODE_V4).forEach(n -> addCandidate(n, c.depth + 1));
    nodes(response, "nodes6", CompactNodes.NODE_V6).forEach(n -> addCandidate(n, c.depth + 1));
    kind.answered(node, response);
    step(nowNanos);
  }

  private static byte[] optionalToken(KrpcResponse response) {
    try {
      return response.values().optionalBytes("token").orElse(null);
    } catch (DhtException e) {
      return null;
    }
  }

  /** Returns the nodes in field {@code key} of a response; none if absent or malformed. */
  static List<DhtContact> nodes(KrpcResponse response, String key, int nodeLength) {
    try {
      Optional<byte[]> compact = response.values().optionalBytes(key);
      return compact.isEmpty() ? List.of() : CompactNodes.parseNodes(compact.get(), nodeLength);
    } catch (DhtException | CompactAddressException e) {
      return List.of();
    }
  }

  private void converge(long nowNanos) {
    converged = true;
    if (kind.converged(this, answers(), nowNanos)) {
      finish(nowNanos);
    }
  }

  private List<Answer> answers() {
    List<Answer> answers = new ArrayList<>();
    for (Candidate c : candidates) {
      if (c.state == State.ANSWERED) {
        answers.add(new Answer(new DhtContact(c.id, c.address), c.token));
      }
    }
    return answers;
  }

  /** Ends the lookup and tells the listener, unless it has ended already. */
  public void finish(long nowNanos) {
    if (!done) {
      done = true;
      end = nowNanos;
      kind.done(answers(), progress(nowNanos));
    }
  }

  /** Counts peers reported to the listener. */
  public void countPeers(int peers) {
    peersFound += peers;
  }

  /** Counts an {@code announce_peer} sent. */
  public void countAnnounce() {
    announcesSent++;
  }

  /** Returns the network the lookup sends through. */
  public LookupNetwork network() {
    return network;
  }

  @Override
  public NodeId target() {
    return target;
  }

  @Override
  public boolean isDone() {
    return done;
  }

  @Override
  public void cancel(long nowNanos) {
    finish(nowNanos);
  }

  @Override
  public LookupStats progress(long nowNanos) {
    return new LookupStats(
        target,
        hops,
        queriesSent,
        responses,
        timeouts,
        nodesWithTokens,
        peersFound,
        announcesSent,
        Duration.ofNanos((done ? end : nowNanos) - start));
  }
}
