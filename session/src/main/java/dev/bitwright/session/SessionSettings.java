package dev.bitwright.session;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.base.MoreObjects;
import dev.bitwright.wire.EncryptionPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings of a session that may change while it runs, as libtorrent's {@code apply_settings}:
 * a launcher throttles the download while a game is being played and lets it go when the game
 * closes. The session starts with {@link SessionConfig#settings()}; {@link
 * TorrentSession#applySettings} puts new ones in force within a turn of its loop, and {@link
 * TorrentSession#settings()} returns those in force. Immutable; make one with {@link #builder()} or
 * change one with {@link #toBuilder()}.
 *
 * <p>What a change does to what is already under way: rate limits hold from the next byte; a lower
 * connection limit closes the connections above it (the least useful first: those still in their
 * handshake, then those that moved the fewest bytes lately); an encryption policy applies to
 * connections made from then on (the open ones keep what they agreed on); turning the DHT off stops
 * its node (saving its routing table, if the session keeps one) and turning it on starts it again
 * for every running public torrent, and local discovery likewise; turning port mapping off deletes
 * the mappings and turning it on asks for them again; web-seed settings hold from the next request;
 * the transports (uTP, TCP and which is tried first) hold for connections dialled or accepted from
 * then on.
 *
 * <p>Defaults: no rate limits, 200 connections in all and 50 per torrent, encryption {@link
 * EncryptionPolicy#ENABLED enabled}, the DHT, local discovery and port mapping off, web seeds
 * {@link WebSeedPolicy#always() always} asked with 4 requests on their way, no share ratio or seed
 * time limit, uTP and TCP both on with uTP tried first.
 */
public final class SessionSettings {
  private final long downloadRateLimit;
  private final long uploadRateLimit;
  private final int maxConnections;
  private final int maxConnectionsPerTorrent;
  private final EncryptionPolicy encryption;
  private final boolean dht;
  private final boolean lsd;
  private final boolean portMapping;
  private final WebSeedPolicy webSeedPolicy;
  private final int webSeedRequests;
  private final double shareRatioLimit;
  private final Duration seedTimeLimit;
  private final boolean utp;
  private final boolean tcp;
  private final boolean preferUtp;

  private SessionSettings(Builder b) {
    this.downloadRateLimit = b.downloadRateLimit;
    this.uploadRateLimit = b.uploadRateLimit;
    this.maxConnections = b.maxConnections;
    this.maxConnectionsPerTorrent = b.maxConnectionsPerTorrent;
    this.encryption = b.encryption;
    this.dht = b.dht;
    this.lsd = b.lsd;
    this.portMapping = b.portMapping;
    this.webSeedPolicy = b.webSeedPolicy;
    this.webSeedRequests = b.webSeedRequests;
    this.shareRatioLimit = b.shareRatioLimit;
    this.seedTimeLimit = b.seedTimeLimit;
    this.utp = b.utp;
    this.tcp = b.tcp;
    this.preferUtp = b.preferUtp;
  }

  /** {@return a builder with the defaults} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder that starts from these settings} */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.downloadRateLimit = downloadRateLimit;
    b.uploadRateLimit = uploadRateLimit;
    b.maxConnections = maxConnections;
    b.maxConnectionsPerTorrent = maxConnectionsPerTorrent;
    b.encryption = encryption;
    b.dht = dht;
    b.lsd = lsd;
    b.portMapping = portMapping;
    b.webSeedPolicy = webSeedPolicy;
    b.webSeedRequests = webSeedRequests;
    b.shareRatioLimit = shareRatioLimit;
    b.seedTimeLimit = seedTimeLimit;
    b.utp = utp;
    b.tcp = tcp;
    b.preferUtp = preferUtp;
    return b;
  }

  /** {@return the global download limit in bytes per second; 0 for none} */
  public long downloadRateLimit() {
    return downloadRateLimit;
  }

  /** {@return the global upload limit in bytes per second; 0 for none} */
  public long uploadRateLimit() {
    return uploadRateLimit;
  }

  /** {@return the most peer connections in all} */
  public int maxConnections() {
    return maxConnections;
  }

  /** {@return the most peer connections per torrent} */
  public int maxConnectionsPerTorrent() {
    return maxConnectionsPerTorrent;
  }

  /** {@return the encryption policy of the connections made from now on} */
  public EncryptionPolicy encryption() {
    return encryption;
  }

  /** {@return whether the session runs a Mainline DHT node (BEP 5) on its UDP port} */
  public boolean dht() {
    return dht;
  }

  /**
   * {@return whether the session finds peers on the local network by Local Service Discovery (BEP
   * 14)}
   */
  public boolean lsd() {
    return lsd;
  }

  /**
   * {@return whether the session asks its gateway to forward its ports (PCP, NAT-PMP or UPnP), so
   * that peers outside a home router's network can dial it}
   */
  public boolean portMapping() {
    return portMapping;
  }

  /** {@return when torrents ask their web seeds (BEP 19)} */
  public WebSeedPolicy webSeedPolicy() {
    return webSeedPolicy;
  }

  /** {@return how many requests may be on their way to one web seed at once} */
  public int webSeedRequests() {
    return webSeedRequests;
  }

  /**
   * {@return the share ratio at which a seeding torrent is paused (bytes uploaded over the larger
   * of the bytes downloaded and the torrent's wanted size); 0 for none}
   */
  public double shareRatioLimit() {
    return shareRatioLimit;
  }

  /** {@return how long a torrent seeds before it is paused; zero for no limit} */
  public Duration seedTimeLimit() {
    return seedTimeLimit;
  }

  /** {@return whether peers are dialled and accepted over uTP (BEP 29)} */
  public boolean utp() {
    return utp;
  }

  /** {@return whether peers are dialled and accepted over TCP} */
  public boolean tcp() {
    return tcp;
  }

  /** {@return whether outgoing connections try uTP before TCP, when both are on} */
  public boolean preferUtp() {
    return preferUtp;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SessionSettings s
        && downloadRateLimit == s.downloadRateLimit
        && uploadRateLimit == s.uploadRateLimit
        && maxConnections == s.maxConnections
        && maxConnectionsPerTorrent == s.maxConnectionsPerTorrent
        && encryption == s.encryption
        && dht == s.dht
        && lsd == s.lsd
        && portMapping == s.portMapping
        && webSeedPolicy.equals(s.webSeedPolicy)
        && webSeedRequests == s.webSeedRequests
        && Double.compare(shareRatioLimit, s.shareRatioLimit) == 0
        && seedTimeLimit.equals(s.seedTimeLimit)
        && utp == s.utp
        && tcp == s.tcp
        && preferUtp == s.preferUtp;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        downloadRateLimit,
        uploadRateLimit,
        maxConnections,
        maxConnectionsPerTorrent,
        encryption,
        dht,
        lsd,
        portMapping,
        webSeedPolicy,
        webSeedRequests,
        shareRatioLimit,
        seedTimeLimit,
        utp,
        tcp,
        preferUtp);
  }

  @Override
  public String toString() {
    return MoreObjects.toStringHelper(this)
        .add("downloadRateLimit", downloadRateLimit)
        .add("uploadRateLimit", uploadRateLimit)
        .add("maxConnections", maxConnections)
        .add("maxConnectionsPerTorrent", maxConnectionsPerTorrent)
        .add("encryption", encryption)
        .add("dht", dht)
        .add("lsd", lsd)
        .add("portMapping", portMapping)
        .add("webSeedPolicy", webSeedPolicy)
        .add("webSeedRequests", webSeedRequests)
        .add("shareRatioLimit", shareRatioLimit)
        .add("seedTimeLimit", seedTimeLimit)
        .add("utp", utp)
        .add("tcp", tcp)
        .add("preferUtp", preferUtp)
        .toString();
  }

  /** Makes {@link SessionSettings}. */
  public static final class Builder {
    private long downloadRateLimit;
    private long uploadRateLimit;
    private int maxConnections = 200;
    private int maxConnectionsPerTorrent = 50;
    private EncryptionPolicy encryption = EncryptionPolicy.ENABLED;
    private boolean dht;
    private boolean lsd;
    private boolean portMapping;
    private WebSeedPolicy webSeedPolicy = WebSeedPolicy.always();
    private int webSeedRequests = 4;
    private double shareRatioLimit;
    private Duration seedTimeLimit = Duration.ZERO;
    private boolean utp = true;
    private boolean tcp = true;
    private boolean preferUtp = true;

    private Builder() {}

    /**
     * Sets the global download limit in bytes per second, 0 for none.
     *
     * @param bytesPerSecond the download limit in bytes per second, 0 for none (the default)
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder downloadRateLimit(long bytesPerSecond) {
      checkArgument(bytesPerSecond >= 0, "negative limit");
      this.downloadRateLimit = bytesPerSecond;
      return this;
    }

    /**
     * Sets the global upload limit in bytes per second, 0 for none.
     *
     * @param bytesPerSecond the upload limit in bytes per second, 0 for none (the default)
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder uploadRateLimit(long bytesPerSecond) {
      checkArgument(bytesPerSecond >= 0, "negative limit");
      this.uploadRateLimit = bytesPerSecond;
      return this;
    }

    /**
     * Sets the most peer connections in all.
     *
     * @param max the most peer connections in all (default 200)
     * @return this builder
     * @throws IllegalArgumentException if less than 1
     */
    public Builder maxConnections(int max) {
      checkArgument(max >= 1, "maxConnections must be at least 1");
      this.maxConnections = max;
      return this;
    }

    /**
     * Sets the most peer connections per torrent.
     *
     * @param max the most peer connections of one torrent (default 50)
     * @return this builder
     * @throws IllegalArgumentException if less than 1
     */
    public Builder maxConnectionsPerTorrent(int max) {
      checkArgument(max >= 1, "maxConnectionsPerTorrent must be at least 1");
      this.maxConnectionsPerTorrent = max;
      return this;
    }

    /**
     * Sets the encryption policy.
     *
     * @param policy whether connections use MSE encryption (default {@link
     *     EncryptionPolicy#ENABLED})
     * @return this builder
     */
    public Builder encryption(EncryptionPolicy policy) {
      this.encryption = checkNotNull(policy);
      return this;
    }

    /**
     * Sets whether to run a Mainline DHT node (BEP 5, 32, 42, 43, 51) on the session's UDP port,
     * which shares the listening port. It finds peers for every running public torrent (BEP 27:
     * never for private ones), so that magnet links without trackers work, and answers other nodes.
     * Default: off.
     *
     * @param dht {@code true} to run a DHT node
     * @return this builder
     */
    public Builder dht(boolean dht) {
      this.dht = dht;
      return this;
    }

    /**
     * Sets whether to find peers on the local network by Local Service Discovery (BEP 14): every
     * running public torrent (never a private one, BEP 27) is announced by multicast to
     * 239.192.152.143:6771, and to [ff15::efc0:988f]:6771 when the session listens on IPv6, on each
     * interface it listens on that can multicast (every one for a wildcard listen address, loopback
     * aside), at once when it starts and every 5 minutes; peers that announce a torrent of ours
     * from those interfaces' networks are dialled. At most one datagram a second goes out, carrying
     * up to 24 info-hashes, so that many torrents are announced over time rather than in a burst.
     * The sockets share port 6771 with other programs on the host. Default: off, as the DHT: a
     * library sends nothing onto the network its application did not ask for.
     *
     * @param lsd {@code true} to announce and listen on the local network
     * @return this builder
     */
    public Builder lsd(boolean lsd) {
      this.lsd = lsd;
      return this;
    }

    /**
     * Sets whether to ask the gateway to forward the session's ports, so that peers outside a home
     * router's network can dial us: the TCP listening port and, when open, the UDP port (uTP, the
     * DHT). The session speaks PCP (RFC 6887) to the gateway's port 5351, falls back to NAT-PMP
     * (RFC 6886) when the gateway does not speak PCP, and to UPnP IGD (v1 and v2, found by an SSDP
     * search sent to the gateway) when it speaks neither; mappings are asked for 2 hours, renewed
     * at half that, asked for again at once when an answer shows that the gateway restarted (its
     * PCP or NAT-PMP epoch went back), and deleted when the session closes or this is turned off.
     * The gateway is {@link SessionConfig.Builder#portMappingGateway} or else the default route's.
     * A session listening on loopback maps nothing. {@link TorrentSession#portMappings()} and
     * {@link TorrentSession#externalAddress()} tell what the gateway granted. Default: off, as the
     * DHT and local discovery: a library sends nothing to the user's router that its application
     * did not ask for.
     *
     * @param on {@code true} to ask the gateway to forward our ports
     * @return this builder
     */
    public Builder portMapping(boolean on) {
      this.portMapping = on;
      return this;
    }

    /**
     * Sets when torrents ask their web seeds (BEP 19). Default: {@link WebSeedPolicy#always()};
     * {@link WebSeedPolicy#whenPeersSlowerThan} puts peers first and the web seeds as a top-up.
     *
     * @param policy when torrents ask their web seeds
     * @return this builder
     */
    public Builder webSeedPolicy(WebSeedPolicy policy) {
      this.webSeedPolicy = checkNotNull(policy);
      return this;
    }

    /**
     * Sets how many requests (of up to 1 MiB each, one ranged HTTP request per file they touch) may
     * be on their way to one web seed at once. Default: 4.
     *
     * @param requests the web seed requests in flight per web seed
     * @return this builder
     * @throws IllegalArgumentException if not 1 to 64
     */
    public Builder webSeedRequests(int requests) {
      checkArgument(requests >= 1 && requests <= 64, "webSeedRequests must be 1 to 64");
      this.webSeedRequests = requests;
      return this;
    }

    /**
     * Sets the share ratio at which a seeding torrent is paused, as qBittorrent's and
     * Transmission's ratio limits: bytes uploaded over the larger of the bytes downloaded and the
     * torrent's wanted size (so a torrent added complete counts its size). 0 for none (the
     * default). A torrent's own limit ({@link AddTorrent.Builder#shareLimits}) comes first. A
     * torrent resumed past its limit is paused again within a second, unless the limit is raised.
     *
     * @param ratio the share ratio at which a seeding torrent is paused, 0 for none
     * @return this builder
     * @throws IllegalArgumentException if negative or not a number
     */
    public Builder shareRatioLimit(double ratio) {
      checkArgument(ratio >= 0 && !Double.isInfinite(ratio), "invalid ratio %s", ratio);
      this.shareRatioLimit = ratio;
      return this;
    }

    /**
     * Sets how long a torrent seeds (in {@link TorrentState#SEEDING} or {@link
     * TorrentState#FINISHED}, counted while it runs) before it is paused; zero for no limit (the
     * default). A torrent's own limit comes first.
     *
     * @param limit the seeding time after which a torrent is paused, zero for none
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder seedTimeLimit(Duration limit) {
      checkArgument(!limit.isNegative(), "negative seed time limit");
      this.seedTimeLimit = limit;
      return this;
    }

    /**
     * Sets whether peers are dialled and accepted over uTP (BEP 29), on the session's UDP port,
     * which shares the listening port with TCP and the DHT. Default: on, as libtorrent.
     *
     * @param on {@code false} to use no uTP
     * @return this builder
     */
    public Builder utp(boolean on) {
      this.utp = on;
      return this;
    }

    /**
     * Sets whether peers are dialled and accepted over TCP. Default: on.
     *
     * @param on {@code false} to use no TCP
     * @return this builder
     */
    public Builder tcp(boolean on) {
      this.tcp = on;
      return this;
    }

    /**
     * Sets whether outgoing connections try uTP first and fall back to TCP (the default, as
     * libtorrent), or the other way round. Either way the first attempt gets at most 3 s when the
     * other may follow, and a peer that did not answer over uTP is dialled over TCP first from then
     * on.
     *
     * @param prefer {@code true} to dial uTP first, {@code false} to dial TCP first
     * @return this builder
     */
    public Builder preferUtp(boolean prefer) {
      this.preferUtp = prefer;
      return this;
    }

    /**
     * {@return the settings}
     *
     * @throws IllegalArgumentException if uTP and TCP are both off
     */
    public SessionSettings build() {
      checkArgument(utp || tcp, "uTP and TCP cannot both be off");
      return new SessionSettings(this);
    }
  }
}
