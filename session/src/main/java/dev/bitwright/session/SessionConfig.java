package dev.bitwright.session;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.base.Ticker;
import dev.bitwright.dht.DhtConfig;
import dev.bitwright.session.internal.engine.SystemTime;
import dev.bitwright.wire.EncryptionPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * The immutable configuration of a {@link TorrentSession}, made with {@link #builder()}.
 *
 * <p>Defaults: listen on all IPv4 addresses, port 0 (any free port; see {@link
 * TorrentSession#listenAddress()}), no IPv6 listener, 200 connections in all and 50 per torrent,
 * encryption {@link EncryptionPolicy#ENABLED enabled}, no rate limits, a disk and hashing pool of
 * two threads owned by the session, the system ticker and clock, the DHT off (when on, it
 * bootstraps from the well-known public routers unless told otherwise).
 */
public final class SessionConfig {
  private final InetAddress listenAddress;
  private final int listenPort;
  private final boolean ipv6;
  private final @Nullable ExecutorService diskExecutor;
  private final Ticker ticker;
  private final Clock clock;
  private final Duration connectTimeout;
  private final String userAgent;
  private final boolean announceToAllTiers;
  private final List<InetSocketAddress> dhtBootstrapNodes;
  private final @Nullable Path dhtStateFile;
  private final @Nullable InetSocketAddress portMappingGateway;
  private final SessionSettings settings;

  private SessionConfig(Builder b) {
    this.listenAddress = b.listenAddress;
    this.listenPort = b.listenPort;
    this.ipv6 = b.ipv6;
    this.diskExecutor = b.diskExecutor;
    this.ticker = b.ticker;
    this.clock = b.clock;
    this.connectTimeout = b.connectTimeout;
    this.userAgent = b.userAgent;
    this.announceToAllTiers = b.announceToAllTiers;
    this.dhtBootstrapNodes = b.dhtBootstrapNodes;
    this.dhtStateFile = b.dhtStateFile;
    this.portMappingGateway = b.portMappingGateway;
    this.settings = b.settings.build();
  }

  /** {@return a builder with the defaults} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the address to listen on} */
  public InetAddress listenAddress() {
    return listenAddress;
  }

  /** {@return the port to listen on; 0 for any free port} */
  public int listenPort() {
    return listenPort;
  }

  /** {@return whether to listen on IPv6 too} */
  public boolean ipv6() {
    return ipv6;
  }

  /** {@return the executor for disk I/O and hashing, if the caller supplied one} */
  public Optional<ExecutorService> diskExecutor() {
    return Optional.ofNullable(diskExecutor);
  }

  /** {@return the source of elapsed time} */
  public Ticker ticker() {
    return ticker;
  }

  /** {@return the source of wall time} */
  public Clock clock() {
    return clock;
  }

  /** {@return how long an outgoing connection may take to open} */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** {@return the {@code User-Agent} and extension-handshake client name} */
  public String userAgent() {
    return userAgent;
  }

  /**
   * {@return whether every tracker tier is announced to at once (libtorrent's {@code
   * announce_to_all_tiers}) instead of BEP 12's one working tracker}
   */
  public boolean announceToAllTiers() {
    return announceToAllTiers;
  }

  /**
   * {@return the settings the session starts with: limits, connections, encryption, the DHT and web
   * seeds, which may change while it runs ({@link TorrentSession#applySettings})}
   */
  public SessionSettings settings() {
    return settings;
  }

  /** {@return the nodes the DHT bootstraps from when it has no saved routing table to use} */
  public List<InetSocketAddress> dhtBootstrapNodes() {
    return dhtBootstrapNodes;
  }

  /** {@return the file the DHT routing table is kept in between runs, if any} */
  public Optional<Path> dhtStateFile() {
    return Optional.ofNullable(dhtStateFile);
  }

  /**
   * {@return the gateway asked for port mappings, when the application named one; else the default
   * route's gateway is asked}
   */
  public Optional<InetSocketAddress> portMappingGateway() {
    return Optional.ofNullable(portMappingGateway);
  }

  /** Configures a {@link SessionConfig}. */
  public static final class Builder {
    private InetAddress listenAddress = SystemTime.anyIpv4();
    private int listenPort;
    private boolean ipv6;
    private @Nullable ExecutorService diskExecutor;
    private Ticker ticker = SystemTime.ticker();
    private Clock clock = SystemTime.clock();
    private Duration connectTimeout = Duration.ofSeconds(10);
    private String userAgent = "Bitwright/0.1.0";
    private boolean announceToAllTiers;
    private List<InetSocketAddress> dhtBootstrapNodes = DhtConfig.DEFAULT_BOOTSTRAP_NODES;
    private @Nullable Path dhtStateFile;
    private @Nullable InetSocketAddress portMappingGateway;
    private SessionSettings.Builder settings = SessionSettings.builder();

    private Builder() {}

    /**
     * Sets the address to listen on (such as 127.0.0.1).
     *
     * @param address a local address, or the wildcard address (the default) for all of them
     * @return this builder
     */
    public Builder listenAddress(InetAddress address) {
      this.listenAddress = checkNotNull(address);
      return this;
    }

    /**
     * Sets the port to listen on, 0 for any free port.
     *
     * @param port the TCP and UDP port, 0 to 65535 (0, the default, for any free port)
     * @return this builder
     */
    public Builder listenPort(int port) {
      checkArgument(port >= 0 && port <= 0xffff, "invalid port %s", port);
      this.listenPort = port;
      return this;
    }

    /**
     * Sets whether to listen on IPv6 (the wildcard address, same port) too.
     *
     * @param ipv6 {@code true} to accept peers over IPv6 as well (default: IPv4 only)
     * @return this builder
     */
    public Builder ipv6(boolean ipv6) {
      this.ipv6 = ipv6;
      return this;
    }

    /**
     * Sets the value the session starts with, as {@link
     * SessionSettings.Builder#maxConnections(int)}.
     *
     * @param max the most peer connections in all; at least 1 (default 200)
     * @return this builder
     */
    public Builder maxConnections(int max) {
      settings.maxConnections(max);
      return this;
    }

    /**
     * Sets the value the session starts with, as {@link
     * SessionSettings.Builder#maxConnectionsPerTorrent(int)}.
     *
     * @param max the most peer connections of one torrent; at least 1 (default 50)
     * @return this builder
     */
    public Builder maxConnectionsPerTorrent(int max) {
      settings.maxConnectionsPerTorrent(max);
      return this;
    }

    /**
     * Sets the value the session starts with, as {@link
     * SessionSettings.Builder#encryption(EncryptionPolicy)}.
     *
     * @param policy whether connections use MSE encryption (default {@link
     *     EncryptionPolicy#ENABLED})
     * @return this builder
     */
    public Builder encryption(EncryptionPolicy policy) {
      settings.encryption(policy);
      return this;
    }

    /**
     * Sets the value the session starts with, as {@link
     * SessionSettings.Builder#downloadRateLimit(long)}.
     *
     * @param bytesPerSecond the download limit in bytes per second, 0 for none (the default)
     * @return this builder
     */
    public Builder downloadRateLimit(long bytesPerSecond) {
      settings.downloadRateLimit(bytesPerSecond);
      return this;
    }

    /**
     * Sets the value the session starts with, as {@link
     * SessionSettings.Builder#uploadRateLimit(long)}.
     *
     * @param bytesPerSecond the upload limit in bytes per second, 0 for none (the default)
     * @return this builder
     */
    public Builder uploadRateLimit(long bytesPerSecond) {
      settings.uploadRateLimit(bytesPerSecond);
      return this;
    }

    /**
     * Sets the executor for disk I/O and hashing. The session does not shut it down; without one,
     * the session runs a pool of two threads and shuts it down on close.
     *
     * @param executor runs disk reads and writes and piece hashing
     * @return this builder
     */
    public Builder diskExecutor(ExecutorService executor) {
      this.diskExecutor = checkNotNull(executor);
      return this;
    }

    /**
     * Sets the source of elapsed time (tests use a fake one).
     *
     * @param ticker the monotonic clock of timeouts, rates and schedules
     * @return this builder
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = checkNotNull(ticker);
      return this;
    }

    /**
     * Sets the source of wall time.
     *
     * @param clock the wall clock of events, traces and resume data
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = checkNotNull(clock);
      return this;
    }

    /**
     * Sets how long an outgoing connection may take to open.
     *
     * @param timeout the longest a TCP connect may take; positive (default 10 s)
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      checkArgument(!timeout.isNegative() && !timeout.isZero(), "timeout must be positive");
      this.connectTimeout = timeout;
      return this;
    }

    /**
     * Sets the client name sent to trackers and peers.
     *
     * @param userAgent the name and version, such as {@code Bitwright/0.1.0} (the default)
     * @return this builder
     */
    public Builder userAgent(String userAgent) {
      this.userAgent = checkNotNull(userAgent);
      return this;
    }

    /**
     * Sets whether to keep announcing to a tracker of every tier (more peers, more tracker load)
     * once one tracker works. Default: no, as libtorrent's {@code announce_to_all_tiers}: until a
     * tracker answers, the first tracker of every tier is asked at once (so that dead trackers in
     * early tiers cannot hold up a live one); after that, only the first tier with a working
     * tracker is used. Within a tier, a tracker that fails hands over to the next at once.
     *
     * @param all {@code true} to announce to a working tracker of every tier
     * @return this builder
     */
    public Builder announceToAllTiers(boolean all) {
      this.announceToAllTiers = all;
      return this;
    }

    /**
     * Sets the value the session starts with, as {@link SessionSettings.Builder#dht(boolean)}.
     *
     * @param dht {@code true} to run a DHT node (default: off)
     * @return this builder
     */
    public Builder dht(boolean dht) {
      settings.dht(dht);
      return this;
    }

    /**
     * Sets the value the session starts with, as {@link SessionSettings.Builder#lsd(boolean)}.
     *
     * @param lsd {@code true} to find peers by Local Service Discovery (default: off)
     * @return this builder
     */
    public Builder lsd(boolean lsd) {
      settings.lsd(lsd);
      return this;
    }

    /**
     * Sets the value the session starts with, as {@link SessionSettings.Builder#utp(boolean)}.
     *
     * @param on {@code false} to use no uTP (default: on)
     * @return this builder
     */
    public Builder utp(boolean on) {
      settings.utp(on);
      return this;
    }

    /**
     * Sets the value the session starts with, as {@link SessionSettings.Builder#tcp(boolean)}.
     *
     * @param on {@code false} to use no TCP (default: on)
     * @return this builder
     */
    public Builder tcp(boolean on) {
      settings.tcp(on);
      return this;
    }

    /**
     * Sets the value the session starts with, as {@link
     * SessionSettings.Builder#preferUtp(boolean)}.
     *
     * @param prefer {@code true} (the default) to dial uTP first, {@code false} to dial TCP first
     * @return this builder
     */
    public Builder preferUtp(boolean prefer) {
      settings.preferUtp(prefer);
      return this;
    }

    /**
     * Sets the nodes the DHT bootstraps from (host names are resolved on the disk executor).
     * Default: the well-known public routers ({@link DhtConfig#DEFAULT_BOOTSTRAP_NODES}).
     *
     * @param nodes the bootstrap nodes' addresses, possibly unresolved; copied
     * @return this builder
     */
    public Builder dhtBootstrapNodes(List<InetSocketAddress> nodes) {
      this.dhtBootstrapNodes = List.copyOf(nodes);
      return this;
    }

    /**
     * Sets a file to keep the DHT routing table in: read at start (a missing or damaged file is
     * ignored), written when the session closes, so that a restart needs no full bootstrap.
     *
     * @param file the file that holds the routing table between runs
     * @return this builder
     */
    public Builder dhtStateFile(Path file) {
      this.dhtStateFile = checkNotNull(file);
      return this;
    }

    /**
     * Sets the gateway to ask for port mappings (PCP or NAT-PMP, normally on port 5351), when
     * {@link SessionSettings#portMapping()} is on. Without it the session asks the gateway of the
     * default route, which it reads from Linux's routing table; elsewhere, or when the router is
     * not the default gateway, name it here.
     *
     * @param gateway the gateway's address and PCP/NAT-PMP port
     * @return this builder
     */
    public Builder portMappingGateway(InetSocketAddress gateway) {
      checkArgument(!gateway.isUnresolved(), "an unresolved gateway: %s", gateway);
      this.portMappingGateway = gateway;
      return this;
    }

    /**
     * Sets the value the session starts with, as {@link
     * SessionSettings.Builder#portMapping(boolean)}.
     *
     * @param on {@code true} to ask the gateway to forward our ports (default: off)
     * @return this builder
     */
    public Builder portMapping(boolean on) {
      settings.portMapping(on);
      return this;
    }

    /**
     * Sets the value the session starts with, as {@link
     * SessionSettings.Builder#webSeedPolicy(WebSeedPolicy)}.
     *
     * @param policy when torrents ask their web seeds (default: always)
     * @return this builder
     */
    public Builder webSeedPolicy(WebSeedPolicy policy) {
      settings.webSeedPolicy(policy);
      return this;
    }

    /**
     * Sets the value the session starts with, as {@link
     * SessionSettings.Builder#webSeedRequests(int)}.
     *
     * @param requests the web seed requests in flight per web seed, 1 to 64 (default 4)
     * @return this builder
     */
    public Builder webSeedRequests(int requests) {
      settings.webSeedRequests(requests);
      return this;
    }

    /**
     * Sets every setting that may change while the session runs at once (replacing what the setters
     * for them set before).
     *
     * @param settings the initial values of every changeable setting
     * @return this builder
     */
    public Builder settings(SessionSettings settings) {
      this.settings = settings.toBuilder();
      return this;
    }

    /** {@return the configuration} */
    public SessionConfig build() {
      return new SessionConfig(this);
    }
  }
}
