package dev.bitwright.session.internal.discovery;

import dev.bitwright.dht.DhtStats;
import dev.bitwright.session.SessionConfig;
import dev.bitwright.session.internal.net.EngineIo;
import dev.bitwright.session.internal.net.UdpPort;
import dev.bitwright.tracker.AnnounceRequest;
import dev.bitwright.tracker.AnnounceResponse;
import dev.bitwright.tracker.ScrapeStats;
import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.IntSupplier;
import java.util.random.RandomGenerator;

/**
 * A session's sources of peers and what they share: the {@link TrackerClients}, the DHT node
 * ({@link DhtService}) when the session runs one on the session's UDP port, Local Service Discovery
 * ({@link LocalDiscovery}) when it is on, and host name resolution. Owned and closed by the engine.
 * Loop thread, unless a method says otherwise.
 */
public final class DiscoveryServices {
  private final SessionConfig config;
  private final EngineIo io;
  private final Executor disk;
  private final RandomGenerator random;
  private final IntSupplier listenPort;
  private final HostResolver resolver = new HostResolver();
  private final UdpPort udpPort;
  private final TrackerClients trackers;
  // The torrents announced, kept so that a DHT or LSD turned on again announces them.
  private final Set<DiscoveryTarget> tracked = new LinkedHashSet<>();
  private final LsdCounters lsdCounters = new LsdCounters();
  private DhtService dht;
  private LocalDiscovery lsd;
  // The routing table of a DHT turned off is saved before one turned on again reads it.
  private CompletableFuture<Void> saved = CompletableFuture.completedFuture(null);

  /**
   * The services of a session of {@code config} on {@code io}; {@code disk} runs blocking work,
   * {@code udpPort} is the session's UDP port (the engine's, shared with uTP), {@code listenPort}
   * tells the DHT our TCP port.
   */
  public DiscoveryServices(
      SessionConfig config,
      EngineIo io,
      Executor disk,
      RandomGenerator random,
      UdpPort udpPort,
      IntSupplier listenPort) {
    this.config = config;
    this.io = io;
    this.disk = disk;
    this.random = random;
    this.listenPort = listenPort;
    this.udpPort = udpPort;
    this.trackers = new TrackerClients(config, disk, io, resolver, random);
    this.dht = config.settings().dht() ? newDht() : null;
    this.lsd = config.settings().lsd() ? newLsd() : null;
  }

  private LocalDiscovery newLsd() {
    return new LocalDiscovery(io, config, random, listenPort, lsdCounters);
  }

  private DhtService newDht() {
    return new DhtService(io, config, random, disk, udpPort, resolver, listenPort);
  }

  /**
   * Starts the DHT node and local discovery, if the session runs them, on the loop (any thread).
   */
  public void start() {
    if (dht != null) {
      io.execute(dht::start);
    }
    if (lsd != null) {
      io.execute(lsd::start);
    }
  }

  /**
   * Turns Local Service Discovery on or off (loop thread); on, it announces every torrent tracked.
   */
  public void lsd(boolean on) {
    if (on == (lsd != null)) {
      return;
    }
    if (!on) {
      lsd.close();
      lsd = null;
      return;
    }
    lsd = newLsd();
    lsd.start();
    tracked.forEach(lsd::track);
  }

  /** Returns what local discovery sent and heard so far. */
  public LsdCounters lsdCounters() {
    return lsdCounters;
  }

  /**
   * Starts or stops the DHT node (loop thread). Stopping saves its routing table, if the session
   * keeps one; starting again reads it once it is saved, and announces every torrent tracked.
   */
  public void dht(boolean on) {
    if (on == (dht != null)) {
      return;
    }
    if (!on) {
      saved = dht.close();
      dht = null;
      return;
    }
    DhtService starting = newDht();
    dht = starting;
    tracked.forEach(starting::track);
    saved.whenComplete(
        (v, e) ->
            io.execute(
                () -> {
                  if (dht == starting) {
                    starting.start();
                  }
                }));
  }

  /** Returns the host name resolver (thread-safe). */
  public HostResolver resolver() {
    return resolver;
  }

  /** Announces to a tracker (HTTP or UDP). */
  public CompletableFuture<AnnounceResponse> announce(String url, AnnounceRequest request) {
    return trackers.announce(url, request);
  }

  /** Scrapes one torrent at a tracker (see {@link TrackerClients#scrape}). */
  public CompletableFuture<ScrapeStats> scrape(String url, byte[] infoHash) {
    return trackers.scrape(url, infoHash);
  }

  /** Returns whether our DHT node runs. */
  public boolean dhtRunning() {
    return dht != null && dht.isRunning();
  }

  /** Returns our DHT node's UDP port, or 0 when it does not run. */
  public int dhtPort() {
    return dhtRunning() ? udpPort.port() : 0;
  }

  /** Starts announcing {@code torrent} on the DHT and the local network, where they are on. */
  public void track(DiscoveryTarget torrent) {
    tracked.add(torrent);
    if (dht != null) {
      dht.track(torrent);
    }
    if (lsd != null) {
      lsd.track(torrent);
    }
  }

  /** Stops announcing {@code torrent} on the DHT and the local network. */
  public void untrack(DiscoveryTarget torrent) {
    tracked.remove(torrent);
    if (dht != null) {
      dht.untrack(torrent);
    }
    if (lsd != null) {
      lsd.untrack(torrent);
    }
  }

  /** Adds a DHT node a peer told us of. */
  public void addDhtNode(InetAddress address, int port) {
    if (dht != null) {
      dht.addNode(address, port);
    }
  }

  /** Returns the DHT node's figures, empty when there is none. */
  public Optional<DhtStats> dhtStats() {
    return dht == null ? Optional.empty() : dht.stats();
  }

  /**
   * Closes the tracker clients, local discovery and the DHT node; the future completes when the DHT
   * has saved its state.
   */
  public CompletableFuture<Void> close() {
    trackers.close();
    if (lsd != null) {
      lsd.close();
      lsd = null;
    }
    CompletableFuture<Void> done = dht == null ? saved : dht.close();
    dht = null;
    return done;
  }

  /** Stops resolving host names (any thread, after the loop stopped). */
  public void closeResolver() throws InterruptedException {
    resolver.close();
  }
}
