package dev.bitwright.dht;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Immutable configuration of a {@link DhtNode}; see {@link #builder()} for the defaults.
 *
 * <p><b>Limits.</b> Every structure that untrusted traffic can grow is bounded: queries from one
 * source IP are rate limited ({@link #maxQueriesPerSecondPerIp()}, with a burst of twice that, over
 * at most {@link #maxTrackedSources()} remembered sources), our own queries in flight are capped
 * ({@link #maxOutstandingQueries()}), and the peers stored from incoming announces are capped per
 * info-hash ({@link #maxPeersPerInfoHash()}), in info-hashes ({@link #maxInfoHashes()}) and in all
 * ({@link #maxStoredPeers()}).
 */
public final class DhtConfig {
  /** The public routers used when no bootstrap nodes are given, as unresolved addresses. */
  public static final List<InetSocketAddress> DEFAULT_BOOTSTRAP_NODES =
      List.of(
          InetSocketAddress.createUnresolved("router.bittorrent.com", 6881),
          InetSocketAddress.createUnresolved("router.utorrent.com", 6881),
          InetSocketAddress.createUnresolved("dht.transmissionbt.com", 6881),
          InetSocketAddress.createUnresolved("dht.libtorrent.org", 25401));

  private final Optional<NodeId> nodeId;
  private final List<InetSocketAddress> bootstrapNodes;
  private final boolean readOnly;
  private final RandomGenerator random;
  private final byte @Nullable [] savedState;
  private final boolean ipv4;
  private final boolean ipv6;
  private final int maxQueriesPerSecondPerIp;
  private final int maxTrackedSources;
  private final int maxOutstandingQueries;
  private final int maxPeersPerInfoHash;
  private final int maxInfoHashes;
  private final int maxStoredPeers;
  private final int lookupParallelism;
  private final Duration queryTimeout;
  private final int queryRetries;
  private final boolean enforceSecureNodeIds;
  private final Duration sampleInterval;

  private DhtConfig(Builder b) {
    this.nodeId = Optional.ofNullable(b.nodeId);
    this.bootstrapNodes = List.copyOf(b.bootstrapNodes);
    this.readOnly = b.readOnly;
    this.random = b.random != null ? b.random : new SecureRandom();
    this.savedState = b.savedState;
    this.ipv4 = b.ipv4;
    this.ipv6 = b.ipv6;
    this.maxQueriesPerSecondPerIp = b.maxQueriesPerSecondPerIp;
    this.maxTrackedSources = b.maxTrackedSources;
    this.maxOutstandingQueries = b.maxOutstandingQueries;
    this.maxPeersPerInfoHash = b.maxPeersPerInfoHash;
    this.maxInfoHashes = b.maxInfoHashes;
    this.maxStoredPeers = b.maxStoredPeers;
    this.lookupParallelism = b.lookupParallelism;
    this.queryTimeout = b.queryTimeout;
    this.queryRetries = b.queryRetries;
    this.enforceSecureNodeIds = b.enforceSecureNodeIds;
    this.sampleInterval = b.sampleInterval;
  }

  /** {@return a builder with the defaults} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the configured node id; empty to draw one (and re-derive it per BEP 42)} */
  public Optional<NodeId> nodeId() {
    return nodeId;
  }

  /** {@return the nodes to bootstrap from when the saved state gives none} */
  public List<InetSocketAddress> bootstrapNodes() {
    return bootstrapNodes;
  }

  /** {@return whether the node is read-only (BEP 43)} */
  public boolean readOnly() {
    return readOnly;
  }

  /** {@return the source of ids, transaction ids, token secrets and samples} */
  public RandomGenerator random() {
    return random;
  }

  /** {@return a copy of the state saved by {@link DhtNode#saveState()}, if any} */
  public Optional<byte[]> savedState() {
    return Optional.ofNullable(savedState).map(byte[]::clone);
  }

  /** {@return whether the node uses IPv4 (BEP 5)} */
  public boolean ipv4() {
    return ipv4;
  }

  /** {@return whether the node uses IPv6 (BEP 32)} */
  public boolean ipv6() {
    return ipv6;
  }

  /** {@return how many queries per second one source IP may send us (burst: twice as many)} */
  public int maxQueriesPerSecondPerIp() {
    return maxQueriesPerSecondPerIp;
  }

  /** {@return how many source IPs the rate limiter remembers (least recently seen forgotten)} */
  public int maxTrackedSources() {
    return maxTrackedSources;
  }

  /** {@return how many of our queries may be in flight at once} */
  public int maxOutstandingQueries() {
    return maxOutstandingQueries;
  }

  /** {@return how many peers are stored for one info-hash} */
  public int maxPeersPerInfoHash() {
    return maxPeersPerInfoHash;
  }

  /** {@return how many info-hashes peers are stored for} */
  public int maxInfoHashes() {
    return maxInfoHashes;
  }

  /** {@return how many peers are stored in all} */
  public int maxStoredPeers() {
    return maxStoredPeers;
  }

  /** {@return α: how many queries one lookup keeps in flight} */
  public int lookupParallelism() {
    return lookupParallelism;
  }

  /** {@return how long a query waits for its answer before it is sent again or fails} */
  public Duration queryTimeout() {
    return queryTimeout;
  }

  /** {@return how many times an unanswered query is sent again} */
  public int queryRetries() {
    return queryRetries;
  }

  /**
   * {@return whether nodes whose id is not valid for their IP (BEP 42) are kept out of the table}
   */
  public boolean enforceSecureNodeIds() {
    return enforceSecureNodeIds;
  }

  /** {@return the {@code interval} we give in {@code sample_infohashes} replies (BEP 51)} */
  public Duration sampleInterval() {
    return sampleInterval;
  }

  /** Builds a {@link DhtConfig}. */
  public static final class Builder {
    private @Nullable NodeId nodeId;
    private List<InetSocketAddress> bootstrapNodes = DEFAULT_BOOTSTRAP_NODES;
    private boolean readOnly;
    private @Nullable RandomGenerator random;
    private byte @Nullable [] savedState;
    private boolean ipv4 = true;
    private boolean ipv6 = true;
    private int maxQueriesPerSecondPerIp = 20;
    private int maxTrackedSources = 10_000;
    private int maxOutstandingQueries = 256;
    private int maxPeersPerInfoHash = 100;
    private int maxInfoHashes = 2_000;
    private int maxStoredPeers = 20_000;
    private int lookupParallelism = 3;
    private Duration queryTimeout = Duration.ofSeconds(2);
    private int queryRetries = 1;
    private boolean enforceSecureNodeIds;
    private Duration sampleInterval = Duration.ofHours(6);

    private Builder() {}

    /**
     * Sets a fixed node id. By default the id is random (or the saved one) and is re-derived per
     * BEP 42 once our external address is learnt; a fixed id is never changed.
     *
     * @param id the id to use for the node's whole life
     * @return this builder
     */
    public Builder nodeId(NodeId id) {
      this.nodeId = checkNotNull(id, "id");
      return this;
    }

    /**
     * Sets the bootstrap nodes, possibly unresolved. Default: {@link #DEFAULT_BOOTSTRAP_NODES}.
     *
     * @param nodes the nodes to ask first when there is no saved routing table; copied
     * @return this builder
     */
    public Builder bootstrapNodes(List<InetSocketAddress> nodes) {
      this.bootstrapNodes = List.copyOf(nodes);
      return this;
    }

    /**
     * Sets read-only mode (BEP 43): queries carry {@code ro=1} and incoming queries are not
     * answered. Default false.
     *
     * @param readOnly {@code true} for a node that only asks, as behind a firewall or on a metered
     *     link
     * @return this builder
     */
    public Builder readOnly(boolean readOnly) {
      this.readOnly = readOnly;
      return this;
    }

    /**
     * Sets the random source. Default: a new {@link SecureRandom}; tests pass a seeded one.
     *
     * @param random the source of node ids, transaction ids, tokens and choices
     * @return this builder
     */
    public Builder random(RandomGenerator random) {
      this.random = checkNotNull(random, "random");
      return this;
    }

    /**
     * Sets the state saved by {@link DhtNode#saveState()}, to restart without re-bootstrapping.
     *
     * @param state the bytes {@link DhtNode#saveState()} returned; copied, and ignored at start if
     *     unreadable
     * @return this builder
     */
    public Builder savedState(byte[] state) {
      this.savedState = state.clone();
      return this;
    }

    /**
     * Sets whether to use IPv4. Default true.
     *
     * @param enabled {@code false} to keep no IPv4 routing table and send nothing to IPv4 addresses
     * @return this builder
     */
    public Builder ipv4(boolean enabled) {
      this.ipv4 = enabled;
      return this;
    }

    /**
     * Sets whether to use IPv6 (BEP 32). Default true; turn it off for an IPv4-only socket.
     *
     * @param enabled {@code false} to keep no IPv6 routing table and send nothing to IPv6 addresses
     * @return this builder
     */
    public Builder ipv6(boolean enabled) {
      this.ipv6 = enabled;
      return this;
    }

    /**
     * Sets the per-source-IP query rate limit (queries per second). Default 20.
     *
     * @param rate the most queries per second answered for one source IP; positive
     * @return this builder
     */
    public Builder maxQueriesPerSecondPerIp(int rate) {
      this.maxQueriesPerSecondPerIp = positive(rate, "maxQueriesPerSecondPerIp");
      return this;
    }

    /**
     * Sets how many source IPs the rate limiter remembers. Default 10,000.
     *
     * @param sources the number of source IPs whose rate is tracked at once; positive
     * @return this builder
     */
    public Builder maxTrackedSources(int sources) {
      this.maxTrackedSources = positive(sources, "maxTrackedSources");
      return this;
    }

    /**
     * Sets how many of our queries may be in flight. Default 256.
     *
     * @param queries the most of our queries awaiting an answer at once; positive
     * @return this builder
     */
    public Builder maxOutstandingQueries(int queries) {
      this.maxOutstandingQueries = positive(queries, "maxOutstandingQueries");
      return this;
    }

    /**
     * Sets how many peers are stored per info-hash (oldest evicted). Default 100.
     *
     * @param peers the most peers stored for one info-hash; positive
     * @return this builder
     */
    public Builder maxPeersPerInfoHash(int peers) {
      this.maxPeersPerInfoHash = positive(peers, "maxPeersPerInfoHash");
      return this;
    }

    /**
     * Sets how many info-hashes are stored (least recently announced evicted). Default 2,000.
     *
     * @param infoHashes the most info-hashes with stored peers; positive
     * @return this builder
     */
    public Builder maxInfoHashes(int infoHashes) {
      this.maxInfoHashes = positive(infoHashes, "maxInfoHashes");
      return this;
    }

    /**
     * Sets how many peers are stored in all. Default 20,000.
     *
     * @param peers the most peers stored over all info-hashes; positive
     * @return this builder
     */
    public Builder maxStoredPeers(int peers) {
      this.maxStoredPeers = positive(peers, "maxStoredPeers");
      return this;
    }

    /**
     * Sets α, the queries one lookup keeps in flight (1 to 16). Default 3, as in Kademlia.
     *
     * @param alpha the queries in flight per lookup, 1 to 16
     * @return this builder
     */
    public Builder lookupParallelism(int alpha) {
      checkArgument(alpha >= 1 && alpha <= 16, "lookupParallelism must be 1 to 16: %s", alpha);
      this.lookupParallelism = alpha;
      return this;
    }

    /**
     * Sets how long a query waits for its answer. Default 2 s.
     *
     * @param timeout the wait for an answer before a query is retried or given up; positive
     * @return this builder
     */
    public Builder queryTimeout(Duration timeout) {
      checkArgument(!timeout.isNegative() && !timeout.isZero(), "queryTimeout must be positive");
      this.queryTimeout = timeout;
      return this;
    }

    /**
     * Sets how many times an unanswered query is sent again (0 to 4). Default 1.
     *
     * @param retries the number of retries of an unanswered query, 0 to 4
     * @return this builder
     */
    public Builder queryRetries(int retries) {
      checkArgument(retries >= 0 && retries <= 4, "queryRetries must be 0 to 4: %s", retries);
      this.queryRetries = retries;
      return this;
    }

    /**
     * Sets whether nodes with ids that are not valid for their IP (BEP 42) are refused from the
     * routing table. Default false: they are accepted, but a valid node replaces an invalid one in
     * a full bucket, as the BEP's transition period asks.
     *
     * @param enforce {@code true} to refuse nodes whose ids do not match their IP
     * @return this builder
     */
    public Builder enforceSecureNodeIds(boolean enforce) {
      this.enforceSecureNodeIds = enforce;
      return this;
    }

    /**
     * Sets the {@code interval} of our {@code sample_infohashes} replies (0 to 6 h). Default 6 h.
     *
     * @param interval the time other nodes should wait before sampling us again, 0 to 6 hours
     * @return this builder
     */
    public Builder sampleInterval(Duration interval) {
      checkArgument(
          !interval.isNegative() && interval.compareTo(Duration.ofHours(6)) <= 0,
          "sampleInterval must be 0 to 6 hours: %s",
          interval);
      this.sampleInterval = interval;
      return this;
    }

    /**
     * {@return the configuration}
     *
     * @throws IllegalStateException if neither IPv4 nor IPv6 is enabled
     */
    public DhtConfig build() {
      if (!ipv4 && !ipv6) {
        throw new IllegalStateException("enable IPv4, IPv6 or both");
      }
      return new DhtConfig(this);
    }

    private static int positive(int value, String name) {
      checkArgument(value > 0, "%s must be positive: %s", name, value);
      return value;
    }
  }
}
