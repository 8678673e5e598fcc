package dev.bitwright.session.internal.engine;

import dev.bitwright.dht.DhtStats;
import dev.bitwright.metainfo.InfoHashes;
import dev.bitwright.session.AddTorrent;
import dev.bitwright.session.DuplicateTorrentException;
import dev.bitwright.session.FailureReason;
import dev.bitwright.session.SessionConfig;
import dev.bitwright.session.SessionEvent;
import dev.bitwright.session.SessionListener;
import dev.bitwright.session.internal.data.BlockBuffers;
import dev.bitwright.session.internal.data.DiskWriter;
import dev.bitwright.session.internal.data.PieceBuffers;
import dev.bitwright.session.internal.discovery.DhtService;
import dev.bitwright.session.internal.discovery.HostResolver;
import dev.bitwright.session.internal.discovery.UdpTrackers;
import dev.bitwright.session.internal.net.Connection;
import dev.bitwright.session.internal.net.ConnectionHandler;
import dev.bitwright.session.internal.net.EngineIo;
import dev.bitwright.session.internal.net.EngineLoop;
import dev.bitwright.session.internal.net.NioTransport;
import dev.bitwright.session.internal.net.UdpPort;
import dev.bitwright.session.internal.peer.OutputBuffers;
import dev.bitwright.session.internal.peer.PeerConnection;
import dev.bitwright.session.internal.peer.PeerEnvironment;
import dev.bitwright.session.internal.peer.PeerOwner;
import dev.bitwright.session.internal.torrent.TokenBucket;
import dev.bitwright.session.internal.torrent.TorrentHost;
import dev.bitwright.session.internal.torrent.TorrentRuntime;
import dev.bitwright.tracker.AnnounceRequest;
import dev.bitwright.tracker.AnnounceResponse;
import dev.bitwright.tracker.HttpTrackerClient;
import dev.bitwright.tracker.TrackerException;
import dev.bitwright.wire.EncryptionPolicy;
import dev.bitwright.wire.MseHandshake;
import dev.bitwright.wire.PeerId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * The session's engine: the I/O loop and its transport, the disk executor, the torrents, the
 * connection accounting across torrents, tracker clients and event delivery. Methods without a note
 * run on the loop thread.
 */
public final class Engine implements TorrentHost, PeerEnvironment {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Engine.class);
  private final SessionConfig config;
  private final EngineIo transport;
  private final ExecutorService ownDisk;
  private final Executor disk;
  private final EventDispatcher events = new EventDispatcher();
  private final RandomGenerator secureRandom;
  private final RandomGenerator random;
  private final PeerId peerId;
  private final int announceKey;
  private final Map<ByteBuffer, TorrentRuntime> byHash = new HashMap<>();
  private final Map<ByteBuffer, byte[]> byReq2 = new HashMap<>();
  private final List<TorrentRuntime> torrents = new ArrayList<>();
  // Insertion-ordered (here and below): iteration order must not depend on identity hash codes,
  // so that a simulated swarm replays exactly from its seed.
  private final ConnectionSlots connections;
  private final BlockBuffers blockBuffers = new BlockBuffers();
  private final OutputBuffers outputBuffers = new OutputBuffers();
  private final PieceBuffers pieceBuffers = new PieceBuffers(PIECE_BUFFER_BUDGET);
  private final DiskWriter diskWriter;
  private final TokenBucket downloadLimit;
  private final TokenBucket uploadLimit;
  private HttpClient httpClient;
  private HttpTrackerClient http;
  private final UdpPort udpPort;
  private final UdpTrackers udp;
  private final DhtService dht;
  private final HostResolver resolver = new HostResolver();
  private volatile Throwable failure;
  private final Set<CompletableFuture<?>> pendingCalls = ConcurrentHashMap.newKeySet();

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
    this.secureRandom = random;
    this.random = new SplittableRandom(random.nextLong());
    this.peerId = PeerId.generate(random);
    this.announceKey = random.nextInt();
    if (disk != null) {
      this.ownDisk = null;
      this.disk = disk;
    } else {
      AtomicInteger n = new AtomicInteger();
      this.ownDisk =
          Executors.newFixedThreadPool(
              2,
              r -> {
                Thread t = new Thread(r, "bitwright-disk-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      this.disk = ownDisk;
    }
    this.connections = new ConnectionSlots(config.maxConnections());
    this.downloadLimit = new TokenBucket(config.downloadRateLimit());
    this.uploadLimit = new TokenBucket(config.uploadRateLimit());
    this.udpPort = new UdpPort(transport, config.ipv6());
    this.udp = new UdpTrackers(transport, resolver, this.random);
    this.diskWriter = new DiskWriter(this.disk, transport);
    this.dht =
        config.dht()
            ? new DhtService(
                transport, config, this.random, this.disk, udpPort, resolver, this::listenPort)
            : null;
    transport.onAccept(this::accept);
    transport.onFailure(this::loopFailed);
    if (dht != null) {
      transport.execute(dht::start);
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
  public PeerId peerId() {
    return peerId;
  }

  @Override
  public RandomGenerator secureRandom() {
    return secureRandom;
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
  public OutputBuffers outputBuffers() {
    return outputBuffers;
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
    CompletableFuture<TorrentRuntime> result = call();
    transport.execute(
        () -> {
          try {
            TorrentRuntime runtime = new TorrentRuntime(this, request);
            for (byte[] h : runtime.allWireHashes()) {
              if (byHash.containsKey(ByteBuffer.wrap(h))) {
                result.completeExceptionally(
                    new DuplicateTorrentException(runtime.infoHashes().best().hex()));
                return;
              }
            }
            for (byte[] h : runtime.allWireHashes()) {
              byHash.put(ByteBuffer.wrap(h), runtime);
              byReq2.put(ByteBuffer.wrap(MseHandshake.req2Hash(h)), h);
            }
            torrents.add(runtime);
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
    CompletableFuture<Void> done = call();
    transport.execute(
        () -> {
          if (!torrents.remove(runtime)) {
            done.complete(null);
            return;
          }
          for (byte[] h : runtime.allWireHashes()) {
            byHash.remove(ByteBuffer.wrap(h));
            byReq2.remove(ByteBuffer.wrap(MseHandshake.req2Hash(h)));
          }
          TorrentRuntime.Removal removal = runtime.remove(deleteFiles);
          removal
              .announced()
              .completeOnTimeout(null, 3, TimeUnit.SECONDS)
              .exceptionally(e -> null)
              .thenCombine(removal.storageClosed(), (a, b) -> b)
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
    CompletableFuture<List<TorrentRuntime>> result = call();
    transport.execute(() -> result.complete(List.copyOf(torrents)));
    return result;
  }

  /**
   * Registers the hashes of {@code hashes} that {@code runtime} does not go by yet (a magnet with
   * one hash of a hybrid torrent learns the other with the metadata), unless another torrent of the
   * session has them.
   */
  @Override
  public void alsoKnownAs(TorrentRuntime runtime, InfoHashes hashes) {
    if (!torrents.contains(runtime)) {
      return;
    }
    for (byte[] h : hashes.wireHashes()) {
      if (!byHash.containsKey(ByteBuffer.wrap(h))) {
        byHash.put(ByteBuffer.wrap(h), runtime);
        byReq2.put(ByteBuffer.wrap(MseHandshake.req2Hash(h)), h);
        runtime.addWireHash(h);
      }
    }
  }

  @Override
  public Optional<byte[]> infoHashForReq2(byte[] req2) {
    return Optional.ofNullable(byReq2.get(ByteBuffer.wrap(req2)));
  }

  // ---------------------------------------------------------------- disk backpressure

  // Pieces assembled in memory, for all torrents: 16 pieces of 1 MiB.
  private static final long PIECE_BUFFER_BUDGET = 16L << 20;

  private final DiskBackPressure diskPressure = new DiskBackPressure();

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
    if (connectionRoom() <= 0) {
      torrent.peerSet().notDialled(address);
      return;
    }
    PeerConnection peer = new PeerConnection(this, torrent.peerSet(), true, plaintextOnly);
    log.debug("connecting to {} (plaintext only: {})", address, plaintextOnly);
    connections.opened(peer);
    transport.connect(address, config.connectTimeout().toNanos(), peer);
  }

  private ConnectionHandler accept(Connection connection) {
    PeerConnection peer = new PeerConnection(this, null, false, false);
    return connections.admitIncoming(peer, connection.remoteAddress().getAddress()) ? peer : null;
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
  public void closedUnowned(PeerConnection peer) {
    connections.closed(peer);
  }

  @Override
  public PeerOwner ownerFor(byte[] infoHash) {
    TorrentRuntime torrent = byHash.get(ByteBuffer.wrap(infoHash));
    return torrent == null ? null : torrent.peerSet();
  }

  @Override
  public EncryptionPolicy encryption() {
    return config.encryption();
  }

  @Override
  public boolean dhtRunning() {
    return dht != null && dht.isRunning();
  }

  @Override
  public void trackOnDht(DhtService.Target torrent) {
    if (dht != null) {
      dht.track(torrent);
    }
  }

  @Override
  public void untrackOnDht(DhtService.Target torrent) {
    if (dht != null) {
      dht.untrack(torrent);
    }
  }

  @Override
  public int dhtPort() {
    return dhtRunning() ? udpPort.port() : 0;
  }

  @Override
  public void addDhtNode(InetAddress address, int port) {
    if (dht != null) {
      dht.addNode(address, port);
    }
  }

  // ---------------------------------------------------------------- trackers

  @Override
  public CompletableFuture<AnnounceResponse> announce(String url, AnnounceRequest request) {
    String scheme = url.substring(0, Math.max(0, url.indexOf(':'))).toLowerCase(Locale.ROOT);
    if (scheme.equals("http") || scheme.equals("https")) {
      return httpTrackers().announce(url, request);
    }
    if (scheme.equals("udp")) {
      return udp.announce(url, request);
    }
    return CompletableFuture.failedFuture(
        new TrackerException("unsupported tracker scheme: " + url, false));
  }

  private HttpTrackerClient httpTrackers() {
    if (http == null) {
      httpClient =
          HttpClient.newBuilder()
              .followRedirects(HttpClient.Redirect.NEVER)
              .connectTimeout(config.connectTimeout())
              .executor(disk)
              .build();
      http = new HttpTrackerClient(httpClient, Duration.ofSeconds(20), config.userAgent());
    }
    return http;
  }

  /** Returns the DHT, when the session runs one. */
  Optional<DhtService> dht() {
    return Optional.ofNullable(dht);
  }

  /** Returns the DHT node's figures (any thread: taken on the loop), empty when there is none. */
  public CompletableFuture<Optional<DhtStats>> dhtStats() {
    CompletableFuture<Optional<DhtStats>> result = call();
    transport.execute(() -> result.complete(dht == null ? Optional.empty() : dht.stats()));
    return result;
  }

  UdpPort udpPort() {
    return udpPort;
  }

  @Override
  public HostResolver resolver() {
    return resolver;
  }

  EngineIo io() {
    return transport;
  }

  // ---------------------------------------------------------------- close

  /**
   * Stops everything (any thread but the loop): pauses every torrent (stopped announces get up to
   * {@code announceMillis}), closes every socket and file, stops every thread.
   */
  public void close(long announceMillis) throws InterruptedException {
    if (failure != null) {
      closeAfterFailure();
      return;
    }
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    transport.execute(
        () -> {
          List<CompletableFuture<Void>> all = new ArrayList<>();
          for (TorrentRuntime t : List.copyOf(torrents)) {
            TorrentRuntime.Removal removal = t.remove(false);
            all.add(removal.announced());
            all.add(removal.storageClosed().exceptionally(e -> null));
          }
          torrents.clear();
          CompletableFuture.allOf(all.toArray(CompletableFuture<?>[]::new))
              .whenComplete((v, e) -> stopped.complete(null));
        });
    try {
      stopped.get(announceMillis + 1000, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // give up on the stopped announces
    }
    CompletableFuture<Void> udpClosed = new CompletableFuture<>();
    transport.execute(
        () -> {
          udp.close();
          CompletableFuture<Void> saved =
              dht == null ? CompletableFuture.completedFuture(null) : dht.close();
          udpPort.close();
          saved.whenComplete((v, e) -> udpClosed.complete(null));
        });
    try {
      udpClosed.get(1, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // the loop is gone already
    }
    transport.stop(5000);
    resolver.close();
    if (ownDisk != null) {
      ownDisk.shutdown();
      if (!ownDisk.awaitTermination(5, TimeUnit.SECONDS)) {
        ownDisk.shutdownNow();
      }
    }
    events.close(2000);
    httpClient = null;
    http = null;
  }

  /**
   * The loop died of an unexpected error (on the dying loop thread): every torrent fails with it,
   * and the session says so, instead of looking alive while nothing is served any more.
   */
  private void loopFailed(Throwable cause) {
    failure = cause;
    failPendingCalls(cause);
    String message = "the session's I/O loop failed: " + cause;
    for (TorrentRuntime t : List.copyOf(torrents)) {
      try {
        t.fail(FailureReason.SESSION_FAILED, message, cause);
      } catch (RuntimeException | Error e) {
        log.error("failing {} after the loop failed", t.name(), e);
      }
    }
    events.postFailure(cause);
  }

  /**
   * Returns a future for a call posted to the loop (any thread): it fails at once if the loop has
   * died, or when it dies before answering.
   */
  private <T> CompletableFuture<T> call() {
    CompletableFuture<T> f = new CompletableFuture<>();
    Throwable dead = failure;
    if (dead != null) {
      f.completeExceptionally(new IllegalStateException("the session failed: " + dead, dead));
      return f;
    }
    pendingCalls.add(f);
    f.whenComplete((v, e) -> pendingCalls.remove(f));
    if (failure != null) {
      failPendingCalls(failure); // it died between the check and the registration
    }
    return f;
  }

  private void failPendingCalls(Throwable cause) {
    for (CompletableFuture<?> f : List.copyOf(pendingCalls)) {
      f.completeExceptionally(new IllegalStateException("the session failed: " + cause, cause));
    }
  }

  /** Returns what stopped the I/O loop, if it died (any thread). */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  /** The loop is gone (it closed every socket as it died): stop the other threads. */
  private void closeAfterFailure() throws InterruptedException {
    transport.stop(1000);
    resolver.close();
    if (ownDisk != null) {
      ownDisk.shutdownNow();
      ownDisk.awaitTermination(5, TimeUnit.SECONDS);
    }
    events.close(2000);
  }

  /** Returns whether the I/O thread still runs. */
  public boolean isRunning() {
    return transport.isAlive();
  }
}
