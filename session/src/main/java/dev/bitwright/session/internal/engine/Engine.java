package dev.bitwright.session.internal.engine;

import dev.bitwright.dht.DhtStats;
import dev.bitwright.metainfo.InfoHashes;
import dev.bitwright.session.AddTorrent;
import dev.bitwright.session.DuplicateTorrentException;
import dev.bitwright.session.FailureReason;
import dev.bitwright.session.PortMapping;
import dev.bitwright.session.SessionConfig;
import dev.bitwright.session.SessionEvent;
import dev.bitwright.session.SessionListener;
import dev.bitwright.session.SessionMetrics;
import dev.bitwright.session.SessionSettings;
import dev.bitwright.session.internal.data.BlockBuffers;
import dev.bitwright.session.internal.data.DiskWriter;
import dev.bitwright.session.internal.data.PieceBuffers;
import dev.bitwright.session.internal.discovery.DiscoveryServices;
import dev.bitwright.session.internal.discovery.DiscoveryTarget;
import dev.bitwright.session.internal.discovery.HostResolver;
import dev.bitwright.session.internal.net.EngineIo;
import dev.bitwright.session.internal.net.EngineLoop;
import dev.bitwright.session.internal.net.NioTransport;
import dev.bitwright.session.internal.net.PeerDialer;
import dev.bitwright.session.internal.net.UdpPort;
import dev.bitwright.session.internal.net.UtpTransport;
import dev.bitwright.session.internal.peer.PeerConnection;
import dev.bitwright.session.internal.portmap.PortMappingService;
import dev.bitwright.session.internal.telemetry.DiskCounters;
import dev.bitwright.session.internal.torrent.TokenBucket;
import dev.bitwright.session.internal.torrent.TorrentHost;
import dev.bitwright.session.internal.torrent.TorrentRuntime;
import dev.bitwright.session.internal.web.WebSeedClient;
import dev.bitwright.tracker.AnnounceRequest;
import dev.bitwright.tracker.AnnounceResponse;
import dev.bitwright.tracker.ScrapeStats;
import dev.bitwright.utp.UtpConfig;
import dev.bitwright.wire.PeerId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session's engine: the I/O loop and its transport, the disk executor, the torrents ({@link
 * TorrentRegistry}), the connections across torrents ({@link SessionConnections}), disk
 * back-pressure, trackers, the DHT and local discovery ({@link DiscoveryServices}), port mapping
 * ({@link PortMappingService}) and event delivery; what a torrent sees of it is its {@link
 * TorrentHost}. Methods without a note run on the loop thread.
 */
public final class Engine implements TorrentHost {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  private final SessionConfig config;
  private final EngineIo transport;
  private final DiskThreads diskThreads;
  private final Executor disk;
  private final EventDispatcher events = new EventDispatcher();
  private final RandomGenerator random;
  private final PeerId peerId;
  private final int announceKey;
  private final TorrentRegistry torrents = new TorrentRegistry();
  private final SessionConnections connections;
  private final BlockBuffers blockBuffers = new BlockBuffers();
  private final PieceBuffers pieceBuffers = new PieceBuffers(PIECE_BUFFER_BUDGET);
  private final DiskWriter diskWriter;
  private final TokenBucket downloadLimit;
  private final TokenBucket uploadLimit;
  // Written on the loop only; read by any thread (TorrentSession.settings()).
  private volatile SessionSettings settings;
  private final DiscoveryServices discovery;
  // Null while port mapping is off.
  private PortMappingService portMapping;
  private final UdpPort udpPort;
  private final UtpTransport utp;
  private final PeerDialer dialer;
  private final LoopCalls calls = new LoopCalls();
  // Made on first use: a session without web seeds starts no HTTP client for them.
  private volatile WebSeedClient webSeedClient;
  private final WebThreads webThreads = new WebThreads();
  private final long startedAt;

  /** Starts the engine: opens the listening sockets and starts the threads. */
  public Engine(SessionConfig config) throws IOException {
    this(
        config,
        new NioTransport(
            new InetSocketAddress(config.listenAddress(), config.listenPort()),
            config.ipv6(),
            config.ticker(),
            "bitwright-io"),
        config.diskExecutor().orElse(null),
        new SecureRandom());
  }

  /**
   * Starts an engine on the given loop and transport, for simulations: with {@code disk} null it
   * starts its own disk threads; {@code random} seeds every random choice, including the peer id
   * and the encryption keys (production passes a {@link SecureRandom}).
   */
  public Engine(SessionConfig config, EngineIo io, Executor disk, RandomGenerator random) {
    this.config = config;
    this.transport = io;
    this.random = new SplittableRandom(random.nextLong());
    this.peerId = PeerId.generate(random);
    this.announceKey = random.nextInt();
    this.diskThreads = new DiskThreads(disk);
    this.disk = diskThreads.executor();
    this.settings = config.settings();
    this.startedAt = io.nanoTime();
    this.downloadLimit = new TokenBucket(settings.downloadRateLimit());
    this.uploadLimit = new TokenBucket(settings.uploadRateLimit());
    this.diskWriter = new DiskWriter(this.disk, transport, new DiskCounters());
    this.udpPort = new UdpPort(io, config.ipv6());
    this.utp = new UtpTransport(io, udpPort, UtpConfig.defaults(), random);
    this.discovery =
        new DiscoveryServices(config, transport, this.disk, this.random, udpPort, this::listenPort);
    this.dialer = new PeerDialer(io, transport, utp, this::dialPolicy);
    this.connections =
        new SessionConnections(
            config,
            this::settings,
            transport,
            dialer,
            random,
            peerId,
            torrents,
            discovery,
            diskWriter.counters());
    transport.onAccept(connections::accept);
    utp.onAccept(connections::accept);
    transport.onFailure(this::loopFailed);
    transport.execute(this::openUdpForUtp);
    discovery.start();
    transport.execute(() -> portMapping(settings.portMapping()));
  }

  private PeerDialer.DialPolicy dialPolicy() {
    SessionSettings now = settings;
    return new PeerDialer.DialPolicy(now.utp(), now.tcp(), now.preferUtp());
  }

  /**
   * Starts or stops port mapping (loop thread); stopping deletes the mappings, and the future
   * completes when a UPnP gateway answered the deletions.
   */
  private CompletableFuture<Void> portMapping(boolean on) {
    if (on == (portMapping != null)) {
      return CompletableFuture.completedFuture(null);
    }
    if (on) {
      portMapping =
          new PortMappingService(transport, config, random, disk, this::listenPort, udpPort::port);
      portMapping.start();
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> deleted = portMapping.close();
    portMapping = null;
    return deleted;
  }

  /** Returns the port mappings in force (any thread: taken on the loop). */
  public CompletableFuture<List<PortMapping>> portMappings() {
    CompletableFuture<List<PortMapping>> result = calls.call();
    transport.execute(
        () -> result.complete(portMapping == null ? List.of() : portMapping.mappings()));
    return result;
  }

  /** Returns the gateway's external address, if known (any thread: taken on the loop). */
  public CompletableFuture<Optional<InetAddress>> externalAddress() {
    CompletableFuture<Optional<InetAddress>> result = calls.call();
    transport.execute(
        () ->
            result.complete(
                portMapping == null ? Optional.empty() : portMapping.externalAddress()));
    return result;
  }

  /** With uTP on, the UDP port opens at once, so that uTP peers can reach us. */
  private void openUdpForUtp() {
    if (settings.utp()) {
      utp.open();
    }
  }

  @Override
  public EngineLoop loop() {
    return transport;
  }

  @Override
  public SessionConfig config() {
    return config;
  }

  @Override
  public CompletableFuture<ScrapeStats> scrape(String url, byte[] infoHash) {
    return discovery.scrape(url, infoHash);
  }

  @Override
  public SessionSettings settings() {
    return settings;
  }

  /**
   * Puts {@code next} in force on the loop (any thread): rate limits from the next byte, surplus
   * connections closed, the DHT, local discovery and port mapping started or stopped; the future
   * completes once they are.
   */
  public CompletableFuture<Void> applySettings(SessionSettings next) {
    CompletableFuture<Void> result = calls.call();
    transport.execute(
        () -> {
          SessionSettings before = settings;
          settings = next;
          downloadLimit.setRate(next.downloadRateLimit());
          uploadLimit.setRate(next.uploadRateLimit());
          connections.limit(next.maxConnections());
          if (next.maxConnectionsPerTorrent() < before.maxConnectionsPerTorrent()) {
            torrents.all().forEach(t -> t.peerSet().trim(next.maxConnectionsPerTorrent()));
          }
          if (next.dht() != before.dht()) {
            discovery.dht(next.dht());
          }
          if (next.lsd() != before.lsd()) {
            discovery.lsd(next.lsd());
          }
          openUdpForUtp();
          portMapping(next.portMapping());
          if (portMapping != null) {
            portMapping.portsChanged();
          }
          log.info("settings now {}", next);
          result.complete(null);
        });
    return result;
  }

  @Override
  public PeerId peerId() {
    return peerId;
  }

  @Override
  public RandomGenerator random() {
    return random;
  }

  @Override
  public int announceKey() {
    return announceKey;
  }

  @Override
  public Executor disk() {
    return disk;
  }

  @Override
  public DiskWriter diskWriter() {
    return diskWriter;
  }

  @Override
  public BlockBuffers blockBuffers() {
    return blockBuffers;
  }

  @Override
  public PieceBuffers pieceBuffers() {
    return pieceBuffers;
  }

  @Override
  public TokenBucket downloadLimit() {
    return downloadLimit;
  }

  @Override
  public TokenBucket uploadLimit() {
    return uploadLimit;
  }

  @Override
  public int listenPort() {
    return transport.listenAddress().getPort();
  }

  public InetSocketAddress listenAddress() {
    return transport.listenAddress();
  }

  /** Any thread. */
  public void addListener(SessionListener listener) {
    events.add(listener);
  }

  /** Any thread. */
  public void removeListener(SessionListener listener) {
    events.remove(listener);
  }

  @Override
  public void emit(SessionEvent event) {
    events.post(event);
  }

  // ---------------------------------------------------------------- torrents

  /** Adds a torrent (any thread); fails with {@link DuplicateTorrentException} for a duplicate. */
  public CompletableFuture<TorrentRuntime> add(AddTorrent request) {
    CompletableFuture<TorrentRuntime> result = calls.call();
    transport.execute(
        () -> {
          try {
            TorrentRuntime runtime = new TorrentRuntime(this, request);
            if (!torrents.add(runtime)) {
              result.completeExceptionally(
                  new DuplicateTorrentException(runtime.infoHashes().best().hex()));
              return;
            }
            emit(
                new SessionEvent.TorrentAdded(
                    config.clock().instant(), runtime.infoHashes(), runtime.name()));
            if (!request.paused()) {
              runtime.start();
            }
            result.complete(runtime);
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        });
    return result;
  }

  /** Removes a torrent (any thread); completes when its stopped announce is done or given up. */
  public CompletableFuture<Void> remove(TorrentRuntime runtime, boolean deleteFiles) {
    CompletableFuture<Void> done = calls.call();
    transport.execute(
        () -> {
          torrents
              .remove(runtime, deleteFiles)
              .whenComplete(
                  (v, e) -> {
                    if (e == null) {
                      done.complete(null);
                    } else {
                      done.completeExceptionally(
                          e instanceof CompletionException c ? c.getCause() : e);
                    }
                  });
        });
    return done;
  }

  /** Returns the torrents (any thread: a copy taken on the loop). */
  public CompletableFuture<List<TorrentRuntime>> torrents() {
    CompletableFuture<List<TorrentRuntime>> result = calls.call();
    transport.execute(() -> result.complete(torrents.all()));
    return result;
  }

  /**
   * Registers the hashes of {@code hashes} that {@code runtime} does not go by yet (a magnet with
   * one hash of a hybrid torrent learns the other with the metadata), unless another torrent of the
   * session has them.
   */
  @Override
  public void alsoKnownAs(TorrentRuntime runtime, InfoHashes hashes) {
    torrents.alsoKnownAs(runtime, hashes);
  }

  // ---------------------------------------------------------------- disk backpressure

  // Pieces assembled in memory, for all torrents: 16 pieces of 1 MiB.
  private static final long PIECE_BUFFER_BUDGET = 16L << 20;

  private final DiskBackPressure diskPressure = new DiskBackPressure();

  /** The longest a web seed's answer to one request may take. */
  private static final Duration WEB_SEED_TIMEOUT = Duration.ofSeconds(60);

  @Override
  public void diskQueued(int bytes) {
    diskPressure.queued(bytes);
  }

  @Override
  public void diskDone(int bytes) {
    diskPressure.done(bytes);
  }

  @Override
  public boolean holdIfDiskBehind(PeerConnection peer) {
    return diskPressure.holdIfBehind(peer);
  }

  // ---------------------------------------------------------------- connections

  @Override
  public int connectionRoom() {
    return connections.room();
  }

  @Override
  public void connect(TorrentRuntime torrent, InetSocketAddress address, boolean plaintextOnly) {
    connections.connect(torrent, address, plaintextOnly);
  }

  @Override
  public void speaksUtp(InetSocketAddress address) {
    dialer.speaksUtp(address);
  }

  /** An incoming connection finished its handshake. */
  @Override
  public void adoptIncoming(PeerConnection peer) {
    connections.handshakeDone(peer);
  }

  @Override
  public void connectionClosed(PeerConnection peer) {
    connections.closed(peer);
    diskPressure.closed(peer);
  }

  @Override
  public void startDiscovering(DiscoveryTarget torrent) {
    discovery.track(torrent);
  }

  @Override
  public void stopDiscovering(DiscoveryTarget torrent) {
    discovery.untrack(torrent);
  }

  @Override
  public int dhtPort() {
    return discovery.dhtPort();
  }

  @Override
  public void addDhtNode(InetAddress address, int port) {
    discovery.addDhtNode(address, port);
  }

  @Override
  public WebSeedClient webSeedClient() {
    if (webSeedClient == null) {
      webSeedClient =
          new WebSeedClient(
              () ->
                  HttpClient.newBuilder()
                      .followRedirects(HttpClient.Redirect.NORMAL)
                      .connectTimeout(config.connectTimeout())
                      .executor(disk)
                      .build(),
              webThreads.executor(),
              config.userAgent(),
              WEB_SEED_TIMEOUT,
              config.ticker()::read);
    }
    return webSeedClient;
  }

  // ---------------------------------------------------------------- trackers

  @Override
  public CompletableFuture<AnnounceResponse> announce(String url, AnnounceRequest request) {
    return discovery.announce(url, request);
  }

  /** Returns the DHT node's figures (any thread: taken on the loop), empty when there is none. */
  public CompletableFuture<Optional<DhtStats>> dhtStats() {
    CompletableFuture<Optional<DhtStats>> result = calls.call();
    transport.execute(() -> result.complete(discovery.dhtStats()));
    return result;
  }

  /** Returns the session's metrics (any thread: taken on the loop). */
  public CompletableFuture<SessionMetrics> metrics() {
    CompletableFuture<SessionMetrics> result = calls.call();
    transport.execute(
        () ->
            result.complete(
                SessionMetricSnapshots.of(
                    config.clock().instant(),
                    Duration.ofNanos(transport.nanoTime() - startedAt),
                    torrents.all(),
                    connections,
                    diskPressure.backlog(),
                    diskWriter.counters(),
                    discovery.dhtStats(),
                    discovery.lsdCounters())));
    return result;
  }

  @Override
  public HostResolver resolver() {
    return discovery.resolver();
  }

  // ---------------------------------------------------------------- close

  /**
   * Stops everything (any thread but the loop): pauses every torrent (stopped announces get up to
   * {@code announceMillis}), closes every socket and file, stops every thread.
   */
  public void close(long announceMillis) throws InterruptedException {
    if (calls.failure().isPresent()) {
      closeAfterFailure();
      return;
    }
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    transport.execute(() -> torrents.removeAll().whenComplete((v, e) -> stopped.complete(null)));
    awaitQuietly(stopped, announceMillis + 1000);
    CompletableFuture<Void> udpClosed = new CompletableFuture<>();
    transport.execute(
        () -> {
          utp.close();
          CompletableFuture.allOf(portMapping(false), discovery.close())
              .whenComplete((v, e) -> udpClosed.complete(null));
          udpPort.close();
        });
    awaitQuietly(udpClosed, 1000);
    transport.stop(5000);
    discovery.closeResolver();
    diskThreads.close();
    closeWebSeeds();
    events.close(2000);
  }

  /**
   * The loop died of an unexpected error (on the dying loop thread): every torrent fails with it,
   * and the session says so, instead of looking alive while nothing is served any more.
   */
  private void loopFailed(Throwable cause) {
    calls.loopFailed(cause);
    torrents.failAll(
        FailureReason.SESSION_FAILED, "the session's I/O loop failed: " + cause, cause);
    events.postFailure(cause);
  }

  /**
   * Waits at most {@code millis} for {@code step} of the close: the stopped announces are given up
   * on, or the loop is gone already; the close goes on either way.
   */
  private static void awaitQuietly(CompletableFuture<Void> step, long millis)
      throws InterruptedException {
    try {
      step.get(millis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // given up: the close goes on
    }
  }

  /** Returns what stopped the I/O loop, if it died (any thread). */
  public Optional<Throwable> failure() {
    return calls.failure();
  }

  /** The loop is gone (it closed every socket as it died): stop the other threads. */
  private void closeAfterFailure() throws InterruptedException {
    transport.stop(1000);
    discovery.closeResolver();
    diskThreads.closeNow();
    closeWebSeeds();
    events.close(2000);
  }

  /** Closes the web seeds' connections, waking the threads that wait on them, then the threads. */
  private void closeWebSeeds() throws InterruptedException {
    WebSeedClient client = webSeedClient;
    if (client != null) {
      client.close();
    }
    webThreads.close();
  }

  /** Returns whether the I/O thread still runs. */
  public boolean isRunning() {
    return transport.isAlive();
  }
}
