package dev.bitwright.dht.internal;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeList;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.dht.DhtConfig;
import dev.bitwright.dht.DhtContact;
import dev.bitwright.dht.DhtDatagram;
import dev.bitwright.dht.DhtException;
import dev.bitwright.dht.DhtLookup;
import dev.bitwright.dht.DhtStats;
import dev.bitwright.dht.NodeId;
import dev.bitwright.dht.NodesListener;
import dev.bitwright.dht.PeerListener;
import dev.bitwright.dht.SampleListener;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DHT node behind {@code DhtNode}: it routes datagrams to the query responder, the transactions
 * and the lookups, and runs the periodic work (retries, pings, bucket refresh, token rotation, peer
 * expiry, re-bootstrap).
 */
public final class DhtEngine implements LookupNetwork {
  /** Our {@code v} field: "BW" and the version 0.1. */
  private static final byte[] VERSION = {'B', 'W', 0, 1};

  /** How often the periodic work runs. */
  private static final long MAINTENANCE_NANOS = 5_000_000_000L;

  private static final Logger LOG = LoggerFactory.getLogger(DhtEngine.class);
  private static final long PING_INTERVAL_NANOS = 60_000_000_000L;
  private static final int PINGS_PER_ROUND = 4;
  private static final BencodeList WANT_BOTH =
      BencodeList.of(BencodeString.of("n4"), BencodeString.of("n6"));
  private static final QueryCallback IGNORE =
      new QueryCallback() {
        @Override
        public void responded(KrpcResponse response, InetSocketAddress from, long nowNanos) {}

        @Override
        public void failed(long nowNanos) {}
      };

  private final DhtConfig config;
  private final RandomGenerator random;
  private final RoutingTables tables;
  private final Tokens tokens;
  private final PeerStore peerStore;
  private final SourceRateLimiter rateLimiter;
  private final Outbox outbox = new Outbox();
  private final Transactions transactions;
  private final QueryResponder responder;
  private final ExternalAddressVote votesV4 = new ExternalAddressVote();
  private final ExternalAddressVote votesV6 = new ExternalAddressVote();
  private final Lookups lookups;
  private final List<DhtContact> remembered;
  private InetAddress externalV4;
  private InetAddress externalV6;
  private boolean started;
  private long nextMaintenance;
  private long messagesIn;
  private long dropped;

  /** Creates an engine from {@code config}; a malformed saved state is ignored (and logged). */
  public DhtEngine(DhtConfig config, long nowNanos) {
    this.config = config;
    this.random = config.random();
    SavedState saved = config.savedState().flatMap(DhtEngine::decodeState).orElse(null);
    NodeId id = config.nodeId().orElseGet(() -> saved != null ? saved.id() : NodeId.random(random));
    this.remembered = saved != null ? saved.nodes() : List.of();
    this.tables =
        new RoutingTables(
            id, config.ipv4(), config.ipv6(), config.enforceSecureNodeIds(), nowNanos);
    this.tokens = new Tokens(random, nowNanos);
    this.peerStore =
        new PeerStore(
            config.maxPeersPerInfoHash(), config.maxInfoHashes(), config.maxStoredPeers());
    this.rateLimiter =
        new SourceRateLimiter(config.maxQueriesPerSecondPerIp(), config.maxTrackedSources());
    this.transactions =
        new Transactions(
            outbox,
            random,
            config.maxOutstandingQueries(),
            config.queryTimeout().toNanos(),
            config.queryRetries());
    this.responder =
        new QueryResponder(tables, tokens, peerStore, random, config.sampleInterval(), VERSION);
    this.nextMaintenance = nowNanos + MAINTENANCE_NANOS;
    this.lookups = new Lookups(this, tables, config, nowNanos);
  }

  private static Optional<SavedState> decodeState(byte[] state) {
    try {
      return Optional.of(SavedState.decode(state));
    } catch (DhtException e) {
      LOG.warn("Ignoring a malformed saved DHT state: {}", e.getMessage());
      return Optional.empty();
    }
  }

  /** Returns our node id. */
  @Override
  public NodeId ownId() {
    return tables.ownId();
  }

  /** Restores the remembered nodes and bootstraps. */
  public void start(long nowNanos) {
    checkState(!started, "already started");
    started = true;
    for (DhtContact c : remembered) {
      tables.forAddress(c.address()).ifPresent(t -> t.addRemembered(c, nowNanos));
    }
    lookups.bootstrap(nowNanos, tables.liveNodes(nowNanos) == 0);
  }

  private Lookup userLookup(LookupTarget kind, NodeId target, long nowNanos) {
    checkState(started, "start the node first");
    return lookups.seeded(kind, target, nowNanos);
  }

  /** Starts a {@code get_peers} lookup. */
  public DhtLookup getPeers(NodeId infoHash, PeerListener listener, long nowNanos) {
    PeerLookupTarget kind = PeerLookupTarget.getPeers(infoHash, listener);
    Lookup lookup = userLookup(kind, infoHash, nowNanos);
    kind.attach(lookup);
    return lookups.start(lookup, nowNanos);
  }

  /** Starts a {@code get_peers} lookup followed by announces. */
  public DhtLookup announce(
      NodeId infoHash, int port, boolean impliedPort, PeerListener listener, long nowNanos) {
    checkArgument(port >= 1 && port <= 65535, "port must be 1 to 65535: %s", port);
    PeerLookupTarget kind = PeerLookupTarget.announce(infoHash, port, impliedPort, listener);
    Lookup lookup = userLookup(kind, infoHash, nowNanos);
    kind.attach(lookup);
    return lookups.start(lookup, nowNanos);
  }

  /** Starts a {@code find_node} lookup. */
  public DhtLookup findNode(NodeId target, NodesListener listener, long nowNanos) {
    return lookups.start(
        userLookup(new FindNodeTarget(target, listener), target, nowNanos), nowNanos);
  }

  /** Starts a BEP 51 {@code sample_infohashes} traversal. */
  public DhtLookup sampleInfohashes(NodeId target, SampleListener listener, long nowNanos) {
    return lookups.start(userLookup(new SampleTarget(listener), target, nowNanos), nowNanos);
  }

  /** Pings {@code address}; it enters the routing table if it answers. */
  public void addNode(InetSocketAddress address, long nowNanos) {
    checkArgument(!address.isUnresolved(), "resolve the address first: %s", address);
    if (reachable(address) && !transactions.isQuerying(address)) {
      ping(address, null, nowNanos);
    }
  }

  private void ping(InetSocketAddress address, NodeId expectedId, long nowNanos) {
    query(address, expectedId, "ping", BencodeDictionary.builder(), IGNORE, nowNanos);
  }

  @Override
  public boolean query(
      InetSocketAddress to,
      NodeId expectedId,
      String method,
      BencodeDictionary.Builder arguments,
      QueryCallback callback,
      long nowNanos) {
    arguments.put("id", ownId().toBytes());
    if (config.ipv4() && config.ipv6() && !method.equals("ping")) {
      arguments.put("want", WANT_BOTH);
    }
    return transactions.send(
        to, expectedId, method, arguments.build(), config.readOnly(), VERSION, callback, nowNanos);
  }

  @Override
  public boolean reachable(InetSocketAddress address) {
    if (address.isUnresolved()) {
      return true;
    }
    return address.getAddress() instanceof Inet4Address ? config.ipv4() : config.ipv6();
  }

  /** Handles one received datagram; never throws for any content. */
  public void receive(InetSocketAddress source, ByteBuffer datagram, long nowNanos) {
    messagesIn++;
    if (source.isUnresolved() || !reachable(source) || source.getPort() == 0) {
      dropped++;
      return;
    }
    int length = datagram.remaining();
    KrpcMessage message;
    try {
      message = KrpcCodec.decode(datagram);
    } catch (DhtException e) {
      dropped++;
      answerMalformed(source, datagram, nowNanos);
      return;
    }
    if (message instanceof KrpcQuery q) {
      onQuery(q, source, length, nowNanos);
    } else if (message instanceof KrpcResponse r) {
      onResponse(r, source, nowNanos);
    } else if (message instanceof KrpcError e) {
      onError(e, source, nowNanos);
    }
    lookups.step(nowNanos);
  }

  private void answerMalformed(InetSocketAddress source, ByteBuffer datagram, long nowNanos) {
    if (config.readOnly()) {
      return;
    }
    Optional<byte[]> transactionId = KrpcCodec.queryTransactionId(datagram);
    if (transactionId.isPresent() && rateLimiter.tryAcquire(source.getAddress(), nowNanos)) {
      reply(source, responder.error(transactionId.get(), KrpcError.PROTOCOL, "malformed query"));
    }
  }

  private void onQuery(KrpcQuery query, InetSocketAddress source, int length, long nowNanos) {
    if (config.readOnly()
        || query.sender().equals(ownId())
        || !rateLimiter.tryAcquire(source.getAddress(), nowNanos)) {
      dropped++;
      return;
    }
    if (!query.readOnly()) {
      considerNode(query.sender(), source, nowNanos);
    }
    reply(source, responder.answer(query, source, length, nowNanos));
  }

  /** A node that queried us is pinged if it could enter the table: only answers admit nodes. */
  private void considerNode(NodeId id, InetSocketAddress source, long nowNanos) {
    tables
        .forAddress(source)
        .ifPresent(
            table -> {
              table.nodeQueriedUs(id, source, nowNanos);
              if (table.wouldAdmit(id, source, nowNanos)
                  && !transactions.isQuerying(source)
                  && transactions.size() < config.maxOutstandingQueries() / 2) {
                ping(source, id, nowNanos);
              }
            });
  }

  private void reply(InetSocketAddress destination, byte[] payload) {
    if (!outbox.offer(destination, payload)) {
      dropped++;
    }
  }

  private void onResponse(KrpcResponse response, InetSocketAddress source, long nowNanos) {
    Transactions.Pending pending = transactions.match(response.transactionId(), source);
    if (pending == null) {
      dropped++;
      return;
    }
    NodeId expected = pending.expectedId();
    if (response.sender().equals(ownId())
        || (expected != null && !expected.equals(response.sender()))) {
      dropped++;
      tables.forAddress(source).ifPresent(t -> t.queryFailed(source, nowNanos));
      pending.callback().failed(nowNanos);
      return;
    }
    tables.forAddress(source).ifPresent(t -> t.nodeResponded(response.sender(), source, nowNanos));
    response
        .requesterAddress()
        .ifPresent(seen -> learnExternalAddress(source, seen.getAddress(), nowNanos));
    pending.callback().responded(response, source, nowNanos);
  }

  private void onError(KrpcError error, InetSocketAddress source, long nowNanos) {
    Transactions.Pending pending = transactions.match(error.transactionId(), source);
    if (pending == null) {
      dropped++;
      return;
    }
    LOG.debug(
        "{} answered {} with error {} {}", source, pending.method(), error.code(), error.message());
    pending.callback().failed(nowNanos);
  }

  private void learnExternalAddress(InetSocketAddress voter, InetAddress seen, long nowNanos) {
    boolean v4 = seen instanceof Inet4Address;
    if (v4 != (voter.getAddress() instanceof Inet4Address)) {
      return;
    }
    Optional<InetAddress> winner = (v4 ? votesV4 : votesV6).vote(voter, seen);
    if (winner.isEmpty() || winner.get().equals(v4 ? externalV4 : externalV6)) {
      return;
    }
    if (v4) {
      externalV4 = winner.get();
    } else {
      externalV6 = winner.get();
    }
    LOG.debug("External address is {}", winner.get());
    boolean decidesId = v4 || !config.ipv4();
    if (decidesId
        && config.nodeId().isEmpty()
        && !NodeId.isExemptFromSecureIds(winner.get())
        && !ownId().isSecureFor(winner.get())) {
      NodeId id = NodeId.secure(winner.get(), random);
      LOG.info("Changing the DHT node id to {} for external address {}", id, winner.get());
      tables.changeId(id, nowNanos);
      lookups.bootstrap(nowNanos, tables.liveNodes(nowNanos) == 0);
    }
  }

  /** Runs timeouts and the periodic work that is due. */
  public void advance(long nowNanos) {
    for (Transactions.Pending p : transactions.expire(nowNanos)) {
      tables.forAddress(p.destination()).ifPresent(t -> t.queryFailed(p.destination(), nowNanos));
      p.callback().failed(nowNanos);
    }
    if (nowNanos - nextMaintenance >= 0) {
      maintain(nowNanos);
    }
    lookups.step(nowNanos);
  }

  private void maintain(long nowNanos) {
    nextMaintenance = nowNanos + MAINTENANCE_NANOS;
    tokens.rotate(nowNanos);
    peerStore.expire(nowNanos);
    for (RoutingTable table : tables.all()) {
      for (RoutingEntry e : table.nodesToPing(nowNanos, PING_INTERVAL_NANOS, PINGS_PER_ROUND)) {
        ping(e.address(), e.id(), nowNanos);
      }
    }
    if (started) {
      lookups.maintain(nowNanos);
    }
  }

  /** Returns the next datagram to send, or null. */
  public DhtDatagram poll() {
    return outbox.poll();
  }

  /** Returns when {@link #advance} must next be called; maintenance makes it never empty. */
  public long nextDeadlineNanos() {
    long queries = transactions.nextDeadlineNanos();
    return queries == Long.MAX_VALUE || nextMaintenance - queries < 0 ? nextMaintenance : queries;
  }

  /** Returns the state to restore with {@code DhtConfig.savedState}. */
  public byte[] saveState() {
    List<DhtContact> nodes = new ArrayList<>();
    tables.all().forEach(t -> t.entries().forEach(e -> nodes.add(e.contact())));
    return new SavedState(ownId(), nodes).encode();
  }

  /** Returns our external address, v4 first, once learnt. */
  public Optional<InetAddress> externalAddress() {
    return Optional.ofNullable(externalV4 != null ? externalV4 : externalV6);
  }

  /** Returns a snapshot of the counters. */
  public DhtStats stats() {
    Optional<RoutingTable> v4 = tables.v4();
    Optional<RoutingTable> v6 = tables.v6();
    return new DhtStats(
        ownId(),
        v4.map(RoutingTable::size).orElse(0),
        v6.map(RoutingTable::size).orElse(0),
        v4.map(RoutingTable::replacementCount).orElse(0),
        v6.map(RoutingTable::replacementCount).orElse(0),
        transactions.size(),
        lookups.size(),
        peerStore.infoHashCount(),
        peerStore.peerCount(),
        messagesIn,
        outbox.sent(),
        dropped,
        responder.errors(),
        externalAddress());
  }
}
