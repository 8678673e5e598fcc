package dev.bitwright.session.internal;

import dev.bitwright.metainfo.InfoHashes;
import dev.bitwright.metainfo.MagnetLink;
import dev.bitwright.metainfo.MetainfoException;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentVersion;
import dev.bitwright.session.AddTorrent;
import dev.bitwright.session.PeerInfo;
import dev.bitwright.session.SessionEvent;
import dev.bitwright.session.TorrentFailedException;
import dev.bitwright.session.TorrentState;
import dev.bitwright.session.TorrentStatus;
import dev.bitwright.storage.FilePriority;
import dev.bitwright.storage.PieceMap;
import dev.bitwright.storage.PieceStore;
import dev.bitwright.tracker.AnnounceEvent;
import dev.bitwright.tracker.AnnounceRequest;
import dev.bitwright.tracker.AnnounceResponse;
import dev.bitwright.wire.PeerMessage;
import dev.bitwright.wire.WireLimits;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One torrent inside the engine: its lifecycle (checking, fetching metadata, downloading, seeding,
 * paused, error), its peers and the messages they send, and the status snapshot. The piece data
 * work (writes, verification, checks) is in {@link TorrentData}, the protocol of one peer's
 * messages in {@link PeerProtocol}. Loop thread only, except {@link #status()}.
 */
public final class TorrentRuntime implements Announcer.Host {
  private static final Logger log = LoggerFactory.getLogger(TorrentRuntime.class);
  private static final long RETRY_PLAINTEXT_NANOS = 500_000_000L;

  /**
   * The most pieces a torrent may have: its per-piece state (picker, bit sets, v2 piece layers) is
   * allocated up front, and an info dictionary of a few hundred bytes can claim billions of them.
   * 4,194,304 pieces is 4 TiB in 1 MiB pieces.
   */
  static final int MAX_PIECES = 1 << 22;

  final Engine engine;
  final AddTorrent request;
  final InfoHashes infoHashes;
  final byte[] wireHash;
  private final List<byte[]> wireHashes = new ArrayList<>();
  final List<PeerConnection> peers = new ArrayList<>();
  final PeerCandidates candidates = new PeerCandidates();
  // Replaced by a new attempt's future when the torrent is resumed after an error (any thread).
  private final AtomicReference<CompletableFuture<Void>> completion =
      new AtomicReference<>(new CompletableFuture<>());
  final TokenBucket downloadLimit;
  final TokenBucket uploadLimit;
  final RateMeter downloadRate = new RateMeter();
  final RateMeter uploadRate = new RateMeter();
  final PeerProtocol protocol;
  final Choker choker;
  private final AtomicReference<TorrentStatus> status = new AtomicReference<>();
  TorrentData data;
  MetadataFetcher metadata;
  // After the info dictionary of a v2 magnet: its piece layers, from peers.
  PieceLayerFetcher layers;
  Announcer announcer;
  volatile TorrentState state;
  String error;
  private String name;
  private boolean wantRunning;
  private boolean completedAnnounced;
  boolean sequentialMode;

  /** Piece deadlines asked for while there is no checked data yet, by piece. */
  final Map<Integer, Long> pendingDeadlines = new HashMap<>();

  private long lastChoke = Long.MIN_VALUE;
  private EngineLoop.Timer ticker;

  TorrentRuntime(Engine engine, AddTorrent request) {
    this.engine = engine;
    this.request = request;
    this.infoHashes =
        request
            .torrent()
            .map(Torrent::infoHashes)
            .orElseGet(() -> request.magnet().orElseThrow().infoHashes());
    this.wireHash = infoHashes.v1().orElseGet(() -> infoHashes.v2().orElseThrow()).truncated();
    this.wireHashes.addAll(infoHashes.wireHashes());
    this.name =
        request
            .torrent()
            .map(Torrent::name)
            .orElseGet(
                () ->
                    request
                        .magnet()
                        .flatMap(MagnetLink::displayName)
                        .orElse(infoHashes.best().hex()));
    this.downloadLimit = new TokenBucket(request.downloadRateLimit());
    this.uploadLimit = new TokenBucket(request.uploadRateLimit());
    this.protocol = new PeerProtocol(this);
    this.choker = new Choker(engine.random());
    this.state = TorrentState.PAUSED;
    this.sequentialMode = request.sequential();
    List<InetSocketAddress> given = new ArrayList<>(request.peers());
    request.magnet().ifPresent(m -> given.addAll(m.peers()));
    addPeers(given, false);
    publishStatus();
  }

  /** Returns the future of the current attempt to complete the torrent (any thread). */
  CompletableFuture<Void> completion() {
    return completion.get();
  }

  /**
   * Starts a new attempt when the last one failed on an error, so that the future of {@link
   * #completion()} can complete again (any thread: the caller of a resume sees the new future at
   * once).
   */
  void renewCompletionAfterError() {
    // A removal swaps in a future failed for good (see remove), which this never replaces.
    completion.updateAndGet(f -> failedOnError(f) ? new CompletableFuture<>() : f);
  }

  private static boolean failedOnError(CompletableFuture<Void> f) {
    if (!f.isCompletedExceptionally()) {
      return false;
    }
    try {
      f.getNow(null);
      return false;
    } catch (CompletionException e) {
      return e.getCause() instanceof TorrentFailedException;
    } catch (CancellationException e) {
      return false;
    }
  }

  /** Returns the 20-byte hash this torrent goes by in handshakes. */
  byte[] wireHash() {
    return wireHash.clone();
  }

  /** Returns the hashes peers may use for this torrent (v1 and truncated v2). */
  List<byte[]> allWireHashes() {
    return List.copyOf(wireHashes);
  }

  /** Adds a hash peers may use for this torrent, learnt with its metadata. */
  void addWireHash(byte[] hash) {
    wireHashes.add(hash.clone());
  }

  String name() {
    return name;
  }

  PieceStore store() {
    return data.store;
  }

  // ---------------------------------------------------------------- lifecycle

  /** Starts or resumes the torrent (on the loop). */
  void start() {
    if (state == TorrentState.REMOVED) {
      return;
    }
    wantRunning = true;
    error = null;
    renewCompletionAfterError();
    candidates.restarted(engine.loop().nanoTime());
    if (ticker == null) {
      ticker = engine.loop().schedule(1_000_000_000L, this::tick);
    }
    if (data == null && request.torrent().isPresent()) {
      openData(request.torrent().get());
      return;
    }
    if (data == null) {
      if ((metadata != null || layers != null) && announcer != null) {
        return; // running already: fetching the metadata
      }
      setState(TorrentState.DOWNLOADING_METADATA);
      if (layers == null) {
        metadata = new MetadataFetcher(this);
      }
      startAnnouncing(request.magnet().orElseThrow().trackers().stream().map(List::of).toList());
      connectMore();
      return;
    }
    if (data.checked()) {
      running();
    } else {
      data.check();
    }
  }

  private void openData(Torrent torrent) {
    if (torrent.pieceCount() > MAX_PIECES) {
      fail(tooManyPieces(torrent));
      return;
    }
    try {
      data = new TorrentData(this, torrent);
    } catch (Exception e) {
      fail("cannot open storage: " + e.getMessage());
      return;
    }
    name = torrent.name();
    setState(TorrentState.CHECKING);
    data.check();
  }

  private static String tooManyPieces(Torrent torrent) {
    return "the torrent has "
        + torrent.pieceCount()
        + " pieces, more than the "
        + MAX_PIECES
        + " supported";
  }

  /** The info dictionary of a magnet arrived and verified. */
  void metadataReceived(byte[] infoBytes) {
    Torrent torrent;
    try {
      torrent = Torrent.parseInfo(infoBytes);
    } catch (MetainfoException e) {
      fail("invalid metadata: " + e.getMessage());
      return;
    }
    engine.emit(new SessionEvent.MetadataReceived(infoHashes, torrent.name()));
    metadata = null;
    name = torrent.name();
    // Peers that know the torrent by its other hash (a hybrid found by its v2 hash) find us too.
    engine.alsoKnownAs(this, torrent.infoHashes());
    if (torrent.pieceCount() > MAX_PIECES) {
      fail(tooManyPieces(torrent));
      return;
    }
    if (torrent.version() == TorrentVersion.V2 && !torrent.hasAllPieceLayers()) {
      layers = new PieceLayerFetcher(this, torrent);
      layers.askMore();
      publishStatus();
      return;
    }
    metadataComplete(torrent);
  }

  /** The piece layers of a v2 magnet arrived and proved out: the torrent is whole. */
  void pieceLayersReceived(Torrent torrent) {
    layers = null;
    metadataComplete(torrent);
  }

  private void metadataComplete(Torrent torrent) {
    openData(torrent);
    for (PeerConnection p : List.copyOf(peers)) {
      p.updateLimits(wireLimits());
    }
  }

  /** Checking is over: the data is known. */
  void checked() {
    if (!wantRunning) {
      setState(TorrentState.PAUSED);
      return;
    }
    running();
  }

  private void running() {
    boolean done = data.picker.isComplete();
    setState(done ? doneState() : TorrentState.DOWNLOADING);
    if (done) {
      completion.get().complete(null);
    }
    if (announcer == null) {
      startAnnouncing(data.torrent.trackers());
    }
    for (PeerConnection p : List.copyOf(peers)) {
      if (protocol.count(p)) {
        protocol.sendHaves(p);
        protocol.updateInterest(p);
      }
    }
    connectMore();
  }

  private void startAnnouncing(List<List<String>> tiers) {
    announcer = new Announcer(this, tiers, engine.random(), engine.config().announceToAllTiers());
    if (announcer.hasTrackers()) {
      announcer.start();
    }
    engine.dht().ifPresent(d -> d.track(this));
  }

  /** Pauses: stops announcing (with a bounded {@code stopped}), closes peers, saves resume data. */
  CompletableFuture<Void> pause() {
    wantRunning = false;
    CompletableFuture<Void> stopped = stopAnnouncing();
    for (PeerConnection p : List.copyOf(peers)) {
      p.close("paused");
    }
    if (data != null) {
      data.spillAssemblies();
      data.saveResume();
    }
    if (state != TorrentState.ERROR) {
      setState(TorrentState.PAUSED);
    }
    return stopped;
  }

  private CompletableFuture<Void> stopAnnouncing() {
    CompletableFuture<Void> stopped =
        announcer == null ? CompletableFuture.completedFuture(null) : announcer.stop();
    announcer = null;
    engine.dht().ifPresent(d -> d.untrack(this));
    return stopped;
  }

  /**
   * Removes the torrent: pause, close storage, optionally delete files. Returns the {@code stopped}
   * announces (unbounded: the caller bounds the wait) and the closing of the storage, which fails
   * if resume data could not be saved or a file could not be deleted.
   */
  Removal remove(boolean deleteFiles) {
    if (data != null) {
      data.abandonAssemblies(); // not spilled by the pause: the files are closed right after
    }
    CompletableFuture<Void> stopped = pause();
    if (ticker != null) {
      ticker.cancel();
      ticker = null;
    }
    CompletableFuture<Void> closed =
        data == null ? CompletableFuture.completedFuture(null) : data.close(deleteFiles);
    setState(TorrentState.REMOVED);
    CompletableFuture<Void> gone = new CompletableFuture<>();
    gone.completeExceptionally(new IllegalStateException("torrent removed"));
    completion.getAndSet(gone).completeExceptionally(new IllegalStateException("torrent removed"));
    return new Removal(stopped, closed);
  }

  /**
   * What a removal waits for.
   *
   * @param announced the {@code stopped} announces, answered or failed
   * @param storageClosed the storage closed and, if asked, its files deleted
   */
  record Removal(CompletableFuture<Void> announced, CompletableFuture<Void> storageClosed) {}

  /** Stops on an error. */
  void fail(String message) {
    if ((state == TorrentState.ERROR && error != null) || state == TorrentState.REMOVED) {
      return; // the attempt's first error stands; a removed torrent reports nothing
    }
    log.warn("torrent {} failed: {}", name, message);
    error = message;
    engine.emit(new SessionEvent.TorrentError(infoHashes, message));
    wantRunning = false;
    stopAnnouncing();
    for (PeerConnection p : List.copyOf(peers)) {
      p.close("torrent error");
    }
    if (data != null) {
      // The buffers go back to the other torrents; resuming fetches those blocks again.
      data.abandonAssemblies();
      data.attemptFailed();
    }
    setState(TorrentState.ERROR);
    // After the state: whoever the future wakes sees the error in the status.
    completion.get().completeExceptionally(new TorrentFailedException(infoHashes, message));
  }

  /** Every wanted piece verified, and the files of the wanted empty files created. */
  void finished() {
    setState(doneState());
    engine.emit(new SessionEvent.TorrentFinished(infoHashes));
    completion.get().complete(null);
    // As libtorrent: trackers hear "completed" once, when every piece is here (not for a partial
    // copy, and not again when a skipped file is finished later).
    if (announcer != null && state == TorrentState.SEEDING && !completedAnnounced) {
      completedAnnounced = true;
      announcer.completed();
    }
    for (PeerConnection p : List.copyOf(peers)) {
      protocol.uploadOnlyChanged(p);
      protocol.updateInterest(p);
      if (p.peerSeed) {
        p.close("both seeds");
      }
    }
  }

  /**
   * Returns the state of a torrent that has every wanted piece: seeding when it has every piece,
   * finished when skipped files leave some out.
   */
  private TorrentState doneState() {
    return data.picker.haveSet().cardinality() == data.map.pieceCount()
        ? TorrentState.SEEDING
        : TorrentState.FINISHED;
  }

  /** Returns whether the torrent only uploads: finished or seeding (BEP 21 upload only). */
  boolean isUploadOnly() {
    return state == TorrentState.SEEDING || state == TorrentState.FINISHED;
  }

  void setState(TorrentState next) {
    if (next != state) {
      TorrentState previous = state;
      state = next;
      engine.emit(new SessionEvent.StateChanged(infoHashes, previous, next));
    }
    publishStatus();
  }

  boolean isActive() {
    return wantRunning
        && (state == TorrentState.DOWNLOADING
            || state == TorrentState.SEEDING
            || state == TorrentState.FINISHED
            || state == TorrentState.DOWNLOADING_METADATA);
  }

  // ---------------------------------------------------------------- peers

  void addCandidate(InetSocketAddress address) {
    candidates.add(address);
  }

  /** Adds a peer by hand and connects to it at once if possible. */
  void addPeer(InetSocketAddress address) {
    addPeers(List.of(address), true);
  }

  /**
   * Adds peers given by the user (the request, the magnet's {@code x.pe}, {@link #addPeer}): host
   * names are resolved off the loop first, each to every address it has.
   *
   * @param now whether to dial them at once, even if they were tried a moment ago
   */
  private void addPeers(List<InetSocketAddress> peers, boolean now) {
    engine
        .resolver()
        .resolve(peers)
        .thenAccept(
            resolved ->
                engine
                    .loop()
                    .execute(
                        () -> {
                          for (InetSocketAddress a : resolved) {
                            candidates.add(a);
                            if (now) {
                              candidates.retryNow(a, engine.loop().nanoTime());
                            }
                          }
                          connectMore();
                        }));
  }

  /**
   * A finished torrent wants pieces again (files no longer skipped): seeds it left, or that left
   * it, are dialled again at once instead of after the back-off.
   */
  void downloadingAgain() {
    candidates.restarted(engine.loop().nanoTime());
    for (PeerConnection p : List.copyOf(peers)) {
      protocol.uploadOnlyChanged(p);
      protocol.updateInterest(p);
    }
    connectMore();
  }

  /** Opens connections up to the torrent's and the session's limits. */
  void connectMore() {
    if (!isActive()) {
      return;
    }
    int room = connectionRoom();
    for (InetSocketAddress address : candidates.take(Math.max(0, room), engine.loop().nanoTime())) {
      engine.connect(this, address, false);
    }
  }

  /** Returns how many more connections this torrent may open now. */
  int connectionRoom() {
    return Math.min(
        engine.config().maxConnectionsPerTorrent() - peers.size(), engine.connectionRoom());
  }

  /** Decides whether a peer that finished its handshake may stay. */
  boolean admit(PeerConnection peer) {
    if (!isActive()) {
      peer.closeReason = "torrent not running";
      return false;
    }
    if (peer.peerId.equals(engine.peerId())) {
      peer.closeReason = "connected to ourselves";
      return false;
    }
    if (candidates.isBanned(peer.key())) {
      peer.closeReason = "banned";
      return false;
    }
    for (PeerConnection other : peers) {
      if (other.peerId != null && other.peerId.equals(peer.peerId)) {
        peer.closeReason = "duplicate peer id";
        return false;
      }
    }
    if (!peer.outgoing && peers.size() >= engine.config().maxConnectionsPerTorrent()) {
      peer.closeReason = "too many connections";
      return false;
    }
    return true;
  }

  /** A peer finished its handshake. */
  void peerReady(PeerConnection peer) {
    if (!peer.outgoing) {
      engine.adoptIncoming(peer);
    }
    peers.add(peer);
    candidates.inUse(peer.address());
    engine.emit(
        new SessionEvent.PeerConnected(infoHashes, peer.address(), peer.clientName().orElse("")));
    protocol.connected(peer);
    if (layers != null) {
      layers.askMore();
    }
    // Between the once-a-second snapshots, a new peer shows at once: a short-lived one would
    // otherwise never appear in the status.
    publishStatus();
  }

  void onMessage(PeerConnection peer, PeerMessage message) {
    protocol.handle(peer, message);
  }

  void afterMessages(PeerConnection peer) {
    protocol.afterMessages(peer);
  }

  void peerClosed(PeerConnection peer, String reason, boolean wasActive, boolean duringMse) {
    log.debug("{}: {} closed: {}", name, peer, reason);
    engine.connectionClosed(peer);
    boolean removed = peers.remove(peer);
    if (removed) {
      protocol.disconnected(peer);
      engine.emit(new SessionEvent.PeerDisconnected(infoHashes, peer.address(), reason));
    }
    if (peer.connection != null) {
      InetSocketAddress address = peer.connection.remoteAddress();
      if (duringMse
          && peer.outgoing
          && !peer.plaintextOnly
          && isActive()
          && engine.config().encryption() == dev.bitwright.wire.EncryptionPolicy.ENABLED) {
        // The peer refused MSE: try plaintext, after a pause (libtorrent drops a connection
        // that follows a failed one from the same address too closely).
        engine
            .loop()
            .schedule(
                RETRY_PLAINTEXT_NANOS,
                () -> {
                  if (isActive()) {
                    engine.connect(this, address, true);
                  }
                });
        return;
      }
      candidates.released(address, !wasActive, engine.loop().nanoTime());
    }
    connectMore();
  }

  void ban(PeerConnection peer, String reason) {
    candidates.ban(peer.key(), peer.listenEndpoint());
    engine.emit(new SessionEvent.PeerBanned(infoHashes, peer.address(), reason));
    peer.close("banned: " + reason);
  }

  WireLimits wireLimits() {
    if (data == null) {
      return WireLimits.unknownTorrent();
    }
    PieceMap map = data.map;
    if (data.torrent.version() == TorrentVersion.V2) {
      // Every piece of a v2 torrent is padded to the piece length on the wire: libtorrent asks
      // for whole blocks past the end of a file, and the padding is served as zeros.
      int length = map.pieceLength();
      return WireLimits.forTorrent(map.pieceCount(), piece -> length);
    }
    return WireLimits.forTorrent(map.pieceCount(), map::pieceSize);
  }

  /** Returns whether {@code bytes} may be uploaded now (rate limits), spending them if so. */
  boolean mayUpload(PeerConnection peer, int bytes) {
    long now = engine.loop().nanoTime();
    TokenBucket global = engine.uploadLimit();
    if (uploadLimit.available(now) < bytes || global.available(now) < bytes) {
      long wait = Math.max(uploadLimit.waitFor(bytes, now), global.waitFor(bytes, now));
      engine.loop().schedule(wait, peer::flush);
      return false;
    }
    uploadLimit.spend(bytes, now);
    global.spend(bytes, now);
    return true;
  }

  void uploaded(PeerConnection peer, int bytes) {
    uploadRate.add(bytes, engine.loop().nanoTime());
  }

  /** Counts downloaded payload and pauses reading when a rate limit is exceeded. */
  void downloaded(PeerConnection peer, int bytes) {
    long now = engine.loop().nanoTime();
    downloadRate.add(bytes, now);
    peer.downloadRate.add(bytes, now);
    TokenBucket global = engine.downloadLimit();
    downloadLimit.spend(bytes, now);
    global.spend(bytes, now);
    if (engine.holdIfDiskBehind(peer)) {
      return;
    }
    long wait = downloadWait(now);
    if (wait > 0 && peer.connection != null) {
      peer.connection.setReading(false);
      // One timer per held peer: a timer per block would let the earliest resume reading while
      // the later blocks' debt is still unpaid, and the limit would not hold.
      if (!peer.heldForRate) {
        peer.heldForRate = true;
        engine.loop().schedule(wait, () -> resumeReading(peer));
      }
    }
  }

  private long downloadWait(long now) {
    return Math.max(downloadLimit.waitFor(1, now), engine.downloadLimit().waitFor(1, now));
  }

  /** Resumes reading from a peer held back by a download limit, once the limits allow it. */
  private void resumeReading(PeerConnection peer) {
    if (!peer.connection.isOpen()) {
      peer.heldForRate = false;
      return;
    }
    long wait = downloadWait(engine.loop().nanoTime());
    if (wait > 0) {
      engine.loop().schedule(wait, () -> resumeReading(peer));
      return;
    }
    peer.heldForRate = false;
    peer.connection.setReading(true);
  }

  // ---------------------------------------------------------------- timers

  private void tick() {
    ticker = engine.loop().schedule(1_000_000_000L, this::tick);
    long now = engine.loop().nanoTime();
    if (isActive()) {
      protocol.tick(now);
      if (now - lastChoke >= Choker.ROUND_NANOS || lastChoke == Long.MIN_VALUE) {
        lastChoke = now;
        protocol.rechoke(now);
      }
      if (announcer != null) {
        announcer.tick();
      }
      if (metadata != null) {
        metadata.tick();
      }
      if (layers != null) {
        layers.tick();
      }
      if (data != null) {
        data.tick(now);
      }
      connectMore();
    }
    publishStatus();
  }

  // ---------------------------------------------------------------- trackers

  @Override
  public AnnounceRequest request(AnnounceEvent event) {
    long left = data == null ? 1 : data.bytesMissing();
    return new AnnounceRequest(
        wireHash,
        engine.peerId().bytes(),
        engine.listenPort(),
        uploadRate.total(),
        downloadRate.total(),
        left,
        event,
        event == AnnounceEvent.STOPPED ? 0 : 200,
        engine.announceKey(),
        Optional.empty(),
        engine.config().encryption() != dev.bitwright.wire.EncryptionPolicy.DISABLED,
        engine.config().encryption() == dev.bitwright.wire.EncryptionPolicy.FORCED);
  }

  @Override
  public CompletableFuture<AnnounceResponse> send(String trackerUrl, AnnounceRequest r) {
    return engine.announce(trackerUrl, r);
  }

  @Override
  public void replied(String trackerUrl, AnnounceResponse response) {
    response.peers().forEach(candidates::add);
    engine.emit(new SessionEvent.TrackerReply(infoHashes, trackerUrl, response.peers().size()));
    connectMore();
  }

  @Override
  public void failed(String trackerUrl, Throwable error) {
    Throwable cause = error.getCause() != null ? error.getCause() : error;
    engine.emit(
        new SessionEvent.TrackerError(infoHashes, trackerUrl, String.valueOf(cause.getMessage())));
  }

  @Override
  public EngineLoop loop() {
    return engine.loop();
  }

  // ---------------------------------------------------------------- status

  TorrentStatus status() {
    return status.get();
  }

  void publishStatus() {
    long now = engine.loop().nanoTime();
    List<PeerInfo> peerInfos = new ArrayList<>(peers.size());
    int pieceCount = data == null ? 0 : data.map.pieceCount();
    for (PeerConnection p : peers) {
      EnumSet<PeerInfo.Flag> flags = EnumSet.noneOf(PeerInfo.Flag.class);
      if (p.outgoing) {
        flags.add(PeerInfo.Flag.OUTGOING);
      }
      if (p.encrypted) {
        flags.add(PeerInfo.Flag.ENCRYPTED);
      }
      if (p.amInterested) {
        flags.add(PeerInfo.Flag.INTERESTED);
      }
      if (p.peerChoking) {
        flags.add(PeerInfo.Flag.CHOKED);
      }
      if (p.peerInterested) {
        flags.add(PeerInfo.Flag.PEER_INTERESTED);
      }
      if (p.amChoking) {
        flags.add(PeerInfo.Flag.PEER_CHOKED);
      }
      if (p.peerSeed) {
        flags.add(PeerInfo.Flag.SEED);
      }
      if (p.remoteHandshake != null && p.remoteHandshake.supportsFast()) {
        flags.add(PeerInfo.Flag.FAST);
      }
      if (p.remoteHandshake != null && p.remoteHandshake.supportsExtensionProtocol()) {
        flags.add(PeerInfo.Flag.EXTENSIONS);
      }
      double progress =
          p.peerSeed ? 1.0 : pieceCount == 0 ? 0 : (double) p.peerHave.cardinality() / pieceCount;
      peerInfos.add(
          new PeerInfo(
              p.address(),
              p.clientName(),
              p.downloadRate.rate(now),
              p.uploadRate.rate(now),
              p.downloadRate.total(),
              p.uploadRate.total(),
              progress,
              flags));
    }
    long wanted = data == null ? 0 : data.bytesWanted();
    long done = data == null ? 0 : data.bytesDone();
    long rate = downloadRate.rate(now);
    Optional<Duration> eta =
        state == TorrentState.DOWNLOADING && rate > 0
            ? Optional.of(Duration.ofSeconds((wanted - done) / rate))
            : Optional.empty();
    status.set(
        new TorrentStatus(
            name,
            state,
            wanted == 0 ? (isUploadOnly() ? 1.0 : 0.0) : (double) done / wanted,
            done,
            wanted,
            data == null || data.picker == null ? 0 : data.picker.haveSet().cardinality(),
            pieceCount,
            rate,
            uploadRate.rate(now),
            downloadRate.total(),
            uploadRate.total(),
            peerInfos,
            eta,
            Optional.ofNullable(error)));
  }

  /** Checks every piece again, ignoring resume data; {@code done} completes after. */
  void recheck(CompletableFuture<Void> done) {
    if (data == null) {
      done.complete(null);
      return;
    }
    for (PeerConnection p : List.copyOf(peers)) {
      p.close("recheck");
    }
    data.recheck(done);
  }

  void setSequential(boolean sequential) {
    sequentialMode = sequential;
    if (data != null && data.picker != null) {
      data.picker.setSequential(sequential);
    }
  }

  void setDeadline(int piece, Duration deadline) {
    long at = engine.loop().nanoTime() + deadline.toNanos();
    if (data != null && data.checked()) {
      if (piece < data.map.pieceCount()) {
        data.picker.setDeadline(piece, at);
      }
    } else {
      pendingDeadlines.put(piece, at); // applied when the check is done
    }
  }

  /** Applies a file priority (on the loop). */
  void setPriority(int file, FilePriority priority) {
    if (data != null) {
      data.setPriority(file, priority);
      for (PeerConnection p : List.copyOf(peers)) {
        protocol.updateInterest(p);
      }
    }
  }

  BitSet haveForHandshake() {
    return data == null || data.picker == null ? new BitSet() : data.picker.haveSet();
  }
}
