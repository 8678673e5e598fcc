package dev.bitwright.session.internal.torrent;

import static com.google.common.base.Preconditions.checkElementIndex;

import dev.bitwright.metainfo.InfoHashes;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.session.AddTorrent;
import dev.bitwright.session.CloseReason;
import dev.bitwright.session.FailureReason;
import dev.bitwright.session.PeerSource;
import dev.bitwright.session.SessionEvent;
import dev.bitwright.session.TorrentFailedException;
import dev.bitwright.session.TorrentMetrics;
import dev.bitwright.session.TorrentState;
import dev.bitwright.session.TorrentStatus;
import dev.bitwright.session.internal.data.PiecePicker;
import dev.bitwright.session.internal.data.TorrentData;
import dev.bitwright.session.internal.discovery.DiscoveryTarget;
import dev.bitwright.session.internal.peer.PeerConnection;
import dev.bitwright.session.internal.peer.WireTrace;
import dev.bitwright.session.internal.telemetry.TorrentLog;
import dev.bitwright.storage.FilePriority;
import dev.bitwright.storage.FileSlice;
import dev.bitwright.storage.PieceMap;
import dev.bitwright.storage.PieceStore;
import dev.bitwright.wire.WireLimits;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * One torrent inside the engine: its lifecycle (checking, fetching metadata, downloading, seeding,
 * paused, error) and the owner of its peer connections. Its parts: the {@link PeerSet}, the {@link
 * PeerProtocol} (what messages mean), the {@link TransferLimits}, the {@link TorrentData} (the disk
 * path), the {@link TorrentSettings} (priorities, order, deadlines) and the announcers. Loop thread
 * only, except {@link #status()} and {@link #completion()}.
 */
public final class TorrentRuntime implements DiscoveryTarget {
  private static final Logger log = LoggerFactory.getLogger(TorrentRuntime.class);

  private final TorrentHost host;
  private final AddTorrent request;
  private final WireTrace wireTrace;
  private final InfoHashes infoHashes;
  private final String logKey;
  private final TorrentIdentity identity;
  private final TorrentCompletion completion = new TorrentCompletion();
  private final PeerSet peers;
  private final TransferLimits transfer;
  private final PeerProtocol protocol;
  private final TorrentSettings settings;
  private TorrentData data;
  private final TorrentMetadata metadata = new TorrentMetadata(this);
  private final DataEvents dataEvents = new DataEvents(this);
  private final TorrentAnnounces announces;
  private volatile TorrentState state;
  private volatile String error;
  private boolean wantRunning;
  private final TorrentUpkeep upkeep = new TorrentUpkeep(this);
  private final WebSeeds webSeeds = new WebSeeds(this);
  private final PieceWaits pieceWaits = new PieceWaits(this);
  private final TrackerScrapes scrapes = new TrackerScrapes(this);
  private final TorrentCounters counters = new TorrentCounters();

  public TorrentRuntime(TorrentHost host, AddTorrent request) {
    this.host = host;
    this.request = request;
    this.identity = new TorrentIdentity(request);
    this.infoHashes = identity.infoHashes();
    this.logKey = infoHashes.best().hex();
    this.transfer =
        new TransferLimits(host, request.downloadRateLimit(), request.uploadRateLimit());
    this.wireTrace =
        request
            .wireTrace()
            .map(file -> WireTrace.to(file, host.disk(), host.config().clock(), logKey))
            .orElse(WireTrace.logOnly(logKey));
    this.peers = new PeerSet(this, host);
    this.announces = new TorrentAnnounces(this);
    this.protocol = new PeerProtocol(this, new Choker(host.random()));
    this.settings = new TorrentSettings(this, request.sequential());
    this.state = TorrentState.PAUSED;
    List<InetSocketAddress> given = new ArrayList<>(request.peers());
    request.magnet().ifPresent(m -> given.addAll(m.peers()));
    peers.addGiven(given, false, PeerSource.MANUAL);
    publishStatus();
    TorrentLog.at(log, Level.INFO, logKey()).log("{}: added ({})", name(), infoHashes);
  }

  // ---------------------------------------------------------------- what the parts read

  TorrentHost host() {
    return host;
  }

  /**
   * Returns the wire trace, {@link WireTrace#OFF} unless {@link AddTorrent#wireTrace} asked for
   * one.
   */
  WireTrace wireTrace() {
    return wireTrace;
  }

  AddTorrent request() {
    return request;
  }

  /** Returns the torrent's info-hashes. */
  public InfoHashes infoHashes() {
    return infoHashes;
  }

  /** Returns the key-value that tags the torrent's log lines ({@link TorrentLog}). */
  @Override
  public String logKey() {
    return logKey;
  }

  /** Returns the torrent's name (from its metadata once known). */
  @Override
  public String name() {
    return identity.name();
  }

  TorrentState state() {
    return state;
  }

  Optional<String> error() {
    return Optional.ofNullable(error);
  }

  /** Returns the data, or null while the metadata is not known. */
  TorrentData data() {
    return data;
  }

  /** Returns whether the data is known and checked. */
  boolean dataKnown() {
    return data != null && data.checked();
  }

  /** Returns the connected peers (a live, unmodifiable view). */
  List<PeerConnection> peers() {
    return peers.connected();
  }

  public PeerSet peerSet() {
    return peers;
  }

  public TransferLimits transfer() {
    return transfer;
  }

  PeerProtocol protocol() {
    return protocol;
  }

  TorrentCounters counters() {
    return counters;
  }

  /**
   * Returns the bytes verified of each file, in the torrent's file order (empty before the metadata
   * and the first check).
   */
  public long[] fileProgress() {
    if (!dataKnown()) {
      return new long[0];
    }
    PieceMap map = data.map();
    long[] done = new long[map.fileCount()];
    BitSet have = data.picker().haveSet();
    for (int p = have.nextSetBit(0); p >= 0; p = have.nextSetBit(p + 1)) {
      for (FileSlice s : map.slices(p, 0, map.pieceSize(p))) {
        done[s.file()] += s.length();
      }
    }
    return done;
  }

  /** Returns the verified pieces (empty before the metadata and the first check). */
  public BitSet pieces() {
    return dataKnown() ? data.picker().haveSet() : new BitSet();
  }

  /**
   * Returns how many connected peers have each piece (empty before the metadata and the first
   * check).
   */
  public int[] pieceAvailability() {
    if (!dataKnown()) {
      return new int[0];
    }
    PiecePicker picker = data.picker();
    int[] counts = new int[data.pieceCount()];
    for (int p = 0; p < counts.length; p++) {
      counts[p] = picker.availability(p);
    }
    return counts;
  }

  TrackerScrapes scrapes() {
    return scrapes;
  }

  /** Returns what readers of the torrent's files wait for and ask for. */
  public PieceWaits pieceWaits() {
    return pieceWaits;
  }

  /**
   * Opens file {@code file} for a reader: returns the torrent's store once its metadata is known
   * (empty before), and makes a file the user skipped wanted again.
   *
   * @throws IndexOutOfBoundsException if there is no such file
   */
  public Optional<PieceStore> openForReading(int file) {
    if (data == null) {
      return Optional.empty();
    }
    checkElementIndex(file, data.map().fileCount(), "file");
    if (data.store().priority(file) == FilePriority.SKIP) {
      settings.setPriority(file, FilePriority.NORMAL);
    }
    return Optional.of(data.store());
  }

  /** Returns the torrent's settings: priorities, sequential mode, deadlines. */
  public TorrentSettings settings() {
    return settings;
  }

  TorrentMetadata metadata() {
    return metadata;
  }

  DataEvents dataEvents() {
    return dataEvents;
  }

  TorrentAnnounces announces() {
    return announces;
  }

  WebSeeds webSeeds() {
    return webSeeds;
  }

  long nanoTime() {
    return host.loop().nanoTime();
  }

  /** Returns the future of the current attempt to complete the torrent (any thread). */
  public CompletableFuture<Void> completion() {
    return completion.future();
  }

  /** Starts a new attempt after an error (any thread); see {@link TorrentCompletion}. */
  public void renewCompletionAfterError() {
    completion.renewAfterError();
  }

  /** Returns the 20-byte hash this torrent goes by in handshakes. */
  public byte[] wireHash() {
    return identity.wireHash();
  }

  /** Returns the hashes peers may use for this torrent (v1 and truncated v2). */
  @Override
  public List<byte[]> allWireHashes() {
    return identity.wireHashes();
  }

  /** Adds a hash peers may use for this torrent, learnt with its metadata. */
  public void addWireHash(byte[] hash) {
    identity.addWireHash(hash);
  }

  /** Returns whether the torrent is known to be private (BEP 27: no PEX, no DHT). */
  @Override
  public boolean isPrivate() {
    return data != null && data.isPrivate();
  }

  /** Returns whether the torrent only uploads: finished or seeding (BEP 21 upload only). */
  boolean isUploadOnly() {
    return state == TorrentState.SEEDING || state == TorrentState.FINISHED;
  }

  boolean isActive() {
    return wantRunning
        && (state == TorrentState.DOWNLOADING
            || state == TorrentState.SEEDING
            || state == TorrentState.FINISHED
            || state == TorrentState.DOWNLOADING_METADATA);
  }

  /** Returns the time for events: now, by the session's clock. */
  Instant time() {
    return host.config().clock().instant();
  }

  void emit(SessionEvent event) {
    host.emit(event);
  }

  // ---------------------------------------------------------------- lifecycle

  /** Starts or resumes the torrent (on the loop). */
  public void start() {
    if (state == TorrentState.REMOVED) {
      return;
    }
    wantRunning = true;
    error = null;
    renewCompletionAfterError();
    peers.restarted();
    upkeep.start();
    if (data == null && request.torrent().isPresent()) {
      metadata.open(request.torrent().get());
    } else if (data == null) {
      fetchMetadata();
    } else if (data.checked()) {
      running();
    } else {
      data.check();
    }
  }

  private void fetchMetadata() {
    if (metadata.fetching() && announces.isAnnouncing()) {
      return; // running already: fetching the metadata
    }
    setState(TorrentState.DOWNLOADING_METADATA);
    metadata.startFetching();
    announces.start(request.magnet().orElseThrow().trackers().stream().map(List::of).toList());
    peers.connectMore();
  }

  /** The data of the torrent opened: it is checked now. */
  void dataOpened(TorrentData opened, String torrentName) {
    data = opened;
    identity.named(torrentName);
    if (request.linkedWebSeeds()) {
      webSeeds.addAll(opened.torrent().webSeeds());
      request.magnet().ifPresent(m -> webSeeds.addAll(m.webSeeds()));
    }
    request.webSeeds().forEach(webSeeds::add);
    setState(TorrentState.CHECKING);
    data.check();
  }

  /** The metadata named the torrent, and the other hashes peers may know it by. */
  void metadataNamed(Torrent torrent) {
    TorrentLog.at(log, Level.INFO, logKey()).log(
        "{}: metadata received: {} files, {} bytes, {} pieces",
        torrent.name(),
        torrent.files().size(),
        torrent.totalLength(),
        torrent.pieceCount());
    identity.named(torrent.name());
    // Peers that know the torrent by its other hash (a hybrid found by its v2 hash) find us too.
    host.alsoKnownAs(this, torrent.infoHashes());
  }

  /** Checking is over: the data is known. */
  void checked() {
    TorrentLog.at(log, Level.INFO, logKey()).log(
        "{}: files checked: {} of {} pieces verified{}",
        name(),
        data.picker().haveSet().cardinality(),
        data.pieceCount(),
        data.piecesAssumed() > 0 ? " (seed mode: " + data.piecesAssumed() + " trusted)" : "");
    pieceWaits.checked();
    if (!wantRunning) {
      setState(TorrentState.PAUSED);
      return;
    }
    running();
  }

  private void running() {
    boolean done = data.picker().isComplete();
    setState(done ? doneState() : TorrentState.DOWNLOADING);
    if (done) {
      completion.complete();
    }
    if (!announces.isAnnouncing()) {
      announces.start(data.trackers());
    }
    protocol.availability().dataReady();
    peers.connectMore();
    webSeeds.tick();
  }

  /** Pauses: stops announcing (with a bounded {@code stopped}), closes peers, saves resume data. */
  public CompletableFuture<Void> pause() {
    wantRunning = false;
    webSeeds.stopped();
    CompletableFuture<Void> stopped = announces.stop();
    peers.closeAll(CloseReason.PAUSED);
    if (data != null) {
      data.spillAssemblies();
      data.saveResume();
    }
    if (state != TorrentState.ERROR) {
      setState(TorrentState.PAUSED);
    }
    return stopped;
  }

  /**
   * Removes the torrent: pause, close storage, optionally delete files. Returns the {@code stopped}
   * announces (unbounded: the caller bounds the wait) and the closing of the storage, which fails
   * if resume data could not be saved or a file could not be deleted.
   */
  public Removal remove(boolean deleteFiles) {
    TorrentLog.at(log, Level.INFO, logKey()).log(
        "{}: closed{}", name(), deleteFiles ? ", its files deleted" : "");
    if (data != null) {
      data.abandonAssemblies(); // not spilled by the pause: the files are closed right after
    }
    CompletableFuture<Void> stopped = pause();
    upkeep.stop();
    CompletableFuture<Void> closed =
        data == null ? CompletableFuture.completedFuture(null) : data.close(deleteFiles);
    setState(TorrentState.REMOVED);
    wireTrace.close();
    completion.removed();
    pieceWaits.removed();
    return new Removal(stopped, closed);
  }

  /**
   * What a removal waits for.
   *
   * @param announced the {@code stopped} announces, answered or failed
   * @param storageClosed the storage closed and, if asked, its files deleted
   */
  public record Removal(CompletableFuture<Void> announced, CompletableFuture<Void> storageClosed) {}

  /**
   * Stops on an error: {@code message} says what went wrong, for people (the status shows it),
   * {@code cause} (or null) the exception behind it.
   */
  public void fail(FailureReason reason, String message, Throwable cause) {
    if ((state == TorrentState.ERROR && error != null) || state == TorrentState.REMOVED) {
      return; // the attempt's first error stands; a removed torrent reports nothing
    }
    TorrentLog.at(log, Level.WARN, logKey()).log(
        "torrent {} failed: {}: {}", name(), reason.description(), message);
    error = message;
    emit(
        new SessionEvent.TorrentError(
            time(), infoHashes, reason, message, Optional.ofNullable(cause)));
    wantRunning = false;
    webSeeds.stopped();
    announces.stop();
    peers.closeAll(CloseReason.TORRENT_ERROR);
    if (data != null) {
      // The buffers go back to the other torrents; resuming fetches those blocks again.
      data.abandonAssemblies();
      data.attemptFailed();
    }
    setState(TorrentState.ERROR);
    // After the state: whoever the future wakes sees the error in the status.
    completion.fail(new TorrentFailedException(infoHashes, reason, error, cause));
  }

  /** Every wanted piece is verified, the wanted empty files created, resume data saved. */
  void finished() {
    TorrentLog.at(log, Level.INFO, logKey()).log(
        "{}: finished: {} bytes downloaded, {} uploaded",
        name(),
        transfer.downloaded(),
        transfer.uploaded());
    setState(doneState());
    emit(new SessionEvent.TorrentFinished(time(), infoHashes));
    completion.complete();
    // Trackers hear "completed" when every piece is here, not for a partial copy.
    if (state == TorrentState.SEEDING) {
      announces.completedOnce();
    }
    protocol.availability().torrentFinished();
  }

  /**
   * A finished torrent wants pieces again (files no longer skipped): seeds it left, or that left
   * it, are dialled again at once instead of after the back-off.
   */
  void downloadingAgain() {
    setState(TorrentState.DOWNLOADING);
    peers.restarted();
    protocol.availability().downloadingAgain();
    peers.connectMore();
  }

  /**
   * Returns the state of a torrent that has every wanted piece: seeding when it has every piece,
   * finished when skipped files leave some out.
   */
  private TorrentState doneState() {
    return data.picker().haveSet().cardinality() == data.pieceCount()
        ? TorrentState.SEEDING
        : TorrentState.FINISHED;
  }

  void setState(TorrentState next) {
    if (next != state) {
      TorrentState previous = state;
      state = next;
      emit(new SessionEvent.StateChanged(time(), infoHashes, previous, next));
    }
    publishStatus();
  }

  // ---------------------------------------------------------------- peers

  /** Adds a web seed at run time (it is used once the data is checked). */
  public void addWebSeed(URI url) {
    webSeeds.add(url);
  }

  /** Removes a web seed. */
  public void removeWebSeed(URI url) {
    webSeeds.remove(url);
  }

  /** Adds a peer the application gave, and dials it at once. */
  public void addPeer(InetSocketAddress address) {
    peers.addGiven(List.of(address), true, PeerSource.MANUAL);
  }

  @Override
  public void addDhtPeer(InetSocketAddress address) {
    peers.addGiven(List.of(address), true, PeerSource.DHT);
  }

  @Override
  public void addLocalPeer(InetSocketAddress address) {
    // A candidate like a tracker's peers: announces repeat every few minutes, and one from a peer
    // that failed a moment ago must not make us dial it again at once.
    peers.addCandidate(address, PeerSource.LSD);
    peers.connectMore();
  }

  /** Bans {@code peer} for {@code reason} and closes it. */
  void ban(PeerConnection peer, CloseReason reason, String detail) {
    peers.ban(peer);
    emit(
        new SessionEvent.PeerBanned(
            time(), infoHashes, peer.address(), reason, Optional.ofNullable(detail)));
  }

  /** Returns the limits the peers' message decoders apply. */
  WireLimits wireLimits() {
    return metadata.wireLimits(data);
  }

  // ---------------------------------------------------------------- timers and status

  /** Returns the latest status snapshot (any thread). */
  public TorrentStatus status() {
    return upkeep.status();
  }

  void publishStatus() {
    upkeep.publish();
  }

  /** Returns the torrent's metrics now (loop thread). */
  public TorrentMetrics metrics() {
    return MetricSnapshots.of(this);
  }

  /** Checks every piece again, ignoring resume data; {@code done} completes after. */
  public void recheck(CompletableFuture<Void> done) {
    if (data == null) {
      done.complete(null);
      return;
    }
    peers.closeAll(CloseReason.RECHECK);
    webSeeds.stopped();
    data.recheck(done);
  }
}
