package dev.bitwright.session.internal.discovery;

import dev.bitwright.dht.DhtConfig;
import dev.bitwright.dht.DhtDatagram;
import dev.bitwright.dht.DhtLookup;
import dev.bitwright.dht.DhtNode;
import dev.bitwright.dht.DhtStats;
import dev.bitwright.dht.LookupStats;
import dev.bitwright.dht.NodeId;
import dev.bitwright.dht.PeerListener;
import dev.bitwright.session.SessionConfig;
import dev.bitwright.session.internal.jfr.DhtLookupEvent;
import dev.bitwright.session.internal.net.EngineLoop;
import dev.bitwright.session.internal.net.UdpPort;
import dev.bitwright.session.internal.telemetry.TorrentLog;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The session's DHT node on the session's UDP port: bootstrap host names resolved off the loop
 * ({@link HostResolver}), datagrams in and out on the loop, the node's timers on the loop's clock,
 * every running public torrent announced every 15 minutes with the peers found handed to the
 * torrent, nodes learnt from peers' {@code port} messages added, the routing table kept in a file
 * between runs. Loop thread only.
 */
public final class DhtService {
  private static final Logger log = LoggerFactory.getLogger(DhtService.class);
  private static final long ANNOUNCE_INTERVAL_NANOS = 15 * 60 * 1_000_000_000L;
  private static final long FIRST_RETRY_NANOS = 5_000_000_000L;
  private static final long LONELY_CHECK_NANOS = 60_000_000_000L;
  private static final int MAX_STATE_BYTES = 1 << 20;

  private final EngineLoop loop;
  private final SessionConfig config;
  private final RandomGenerator random;
  private final Executor disk;
  private final UdpPort udpPort;
  private final IntSupplier listenPort;
  private final HostResolver resolver;
  private final Map<DiscoveryTarget, Tracked> announcing = new LinkedHashMap<>();
  private final List<InetSocketAddress> pendingNodes = new ArrayList<>();
  private DhtNode node;
  private EngineLoop.Timer wake;
  private EngineLoop.Timer lonely;
  private long wakeAt;
  private boolean closed;

  /**
   * Creates the service; {@link #start} opens {@code udpPort} and starts the node.
   *
   * @param listenPort our TCP listening port, announced for our torrents
   */
  public DhtService(
      EngineLoop loop,
      SessionConfig config,
      RandomGenerator random,
      Executor disk,
      UdpPort udpPort,
      HostResolver resolver,
      IntSupplier listenPort) {
    this.loop = loop;
    this.config = config;
    this.random = random;
    this.disk = disk;
    this.udpPort = udpPort;
    this.listenPort = listenPort;
    this.resolver = resolver;
  }

  /** Opens the UDP port and resolves the bootstrap nodes; the node starts once they are known. */
  public void start() {
    udpPort.onDhtDatagram(this::onDatagram);
    if (!udpPort.open()) {
      log.warn("the DHT is off: no UDP socket");
      return;
    }
    List<InetSocketAddress> bootstrap = config.dhtBootstrapNodes();
    Optional<Path> stateFile = config.dhtStateFile();
    long seed = random.nextLong();
    resolver
        .resolve(bootstrap)
        .thenAcceptBoth(
            CompletableFuture.supplyAsync(() -> readState(stateFile), disk),
            (nodes, state) -> loop.execute(() -> startNode(nodes, state, seed)));
  }

  private void startNode(List<InetSocketAddress> bootstrap, Optional<byte[]> state, long seed) {
    if (closed) {
      return;
    }
    DhtConfig.Builder config =
        DhtConfig.builder()
            .bootstrapNodes(bootstrap)
            .random(new SplittableRandom(seed))
            .ipv6(udpPort.dualStack());
    long now = loop.nanoTime();
    state.ifPresent(config::savedState); // the node ignores a damaged state
    node = DhtNode.create(config.build(), now);
    node.start(now);
    log.debug("DHT node {} started with {} bootstrap nodes", node.id(), bootstrap.size());
    pendingNodes.forEach(a -> node.addNode(a, now));
    pendingNodes.clear();
    for (DiscoveryTarget t : List.copyOf(announcing.keySet())) {
      announce(t);
    }
    pump();
    lonely = loop.schedule(LONELY_CHECK_NANOS, this::checkLonely);
  }

  /**
   * Every minute: with an empty routing table (the session started offline, say), resolves the
   * bootstrap nodes again and asks them in.
   */
  private void checkLonely() {
    if (closed) {
      return;
    }
    lonely = loop.schedule(LONELY_CHECK_NANOS, this::checkLonely);
    if (node.stats().routingTableSizeV4() + node.stats().routingTableSizeV6() > 0) {
      return;
    }
    List<InetSocketAddress> bootstrap = config.dhtBootstrapNodes();
    resolver
        .resolve(bootstrap)
        .thenAccept(
            nodes ->
                loop.execute(
                    () -> {
                      if (!closed) {
                        long now = loop.nanoTime();
                        nodes.forEach(a -> node.addNode(a, now));
                        pump();
                      }
                    }));
  }

  /** Returns whether the node runs: the UDP socket is open and the bootstrap names resolved. */
  public boolean isRunning() {
    return node != null && !closed;
  }

  /** A torrent being announced: its next announce, and the back-off after a fruitless one. */
  private static final class Tracked {
    final List<DhtLookup> lookups = new ArrayList<>();
    EngineLoop.Timer next;
    long retryNanos = FIRST_RETRY_NANOS;

    void reschedule(EngineLoop loop, long delayNanos, Runnable announce) {
      if (next != null) {
        next.cancel();
      }
      next = loop.schedule(delayNanos, announce);
    }

    /** Stops the timer and the lookups still running (no announce_peer goes out after this). */
    void stop(long now) {
      if (next != null) {
        next.cancel();
      }
      List.copyOf(lookups).forEach(l -> l.cancel(now));
      lookups.clear();
    }
  }

  /**
   * Announces {@code torrent} now and every 15 minutes until {@link #untrack}; an announce that
   * reached no node (the routing table still empty, say) is retried after 5 s, 10 s, 20 s and so
   * on.
   */
  public void track(DiscoveryTarget torrent) {
    if (!announcing.containsKey(torrent)) {
      announcing.put(torrent, new Tracked());
      announce(torrent);
    }
  }

  /** Stops announcing {@code torrent}. */
  public void untrack(DiscoveryTarget torrent) {
    Tracked tracked = announcing.remove(torrent);
    if (tracked != null) {
      tracked.stop(loop.nanoTime());
    }
  }

  private void announce(DiscoveryTarget torrent) {
    Tracked tracked = announcing.get(torrent);
    if (tracked == null || node == null) {
      return;
    }
    tracked.reschedule(loop, ANNOUNCE_INTERVAL_NANOS, () -> announce(torrent));
    // BEP 27: a private torrent's peers come from its trackers only.
    if (torrent.isPrivate()) {
      return;
    }
    long now = loop.nanoTime();
    for (byte[] hash : torrent.allWireHashes()) {
      DhtLookup[] self = new DhtLookup[1];
      Consumer<LookupStats> recorded = DhtLookupEvent.start();
      self[0] =
          node.announce(
              NodeId.of(hash),
              listenPort.getAsInt(),
              false,
              new PeerListener() {
                @Override
                public void peersFound(NodeId infoHash, List<InetSocketAddress> peers) {
                  peers.forEach(torrent::addDhtPeer);
                }

                @Override
                public void lookupDone(LookupStats stats) {
                  recorded.accept(stats);
                  // self[0] is null when the lookup ended inside announce (no node to ask)
                  boolean mine = self[0] == null || tracked.lookups.remove(self[0]);
                  if (mine && !closed && announcing.get(torrent) == tracked) {
                    announced(tracked, torrent, stats);
                  }
                }
              },
              now);
      if (!self[0].isDone()) {
        tracked.lookups.add(self[0]);
      }
    }
    pump();
  }

  private void announced(Tracked tracked, DiscoveryTarget torrent, LookupStats stats) {
    TorrentLog.at(log, Level.DEBUG, torrent.logKey()).log(
        "DHT announce of {}: {}", torrent.name(), stats);
    if (stats.nodesWithTokens() > 0) {
      if (tracked.retryNanos > 2 * FIRST_RETRY_NANOS) {
        TorrentLog.at(log, Level.INFO, torrent.logKey()).log(
            "{}: the DHT announce reached nodes again", torrent.name());
      }
      tracked.retryNanos = FIRST_RETRY_NANOS;
    } else {
      if (tracked.retryNanos == 2 * FIRST_RETRY_NANOS) {
        // Once per spell of trouble, from its second failure (the first lookups of a session often
        // start before the routing table has nodes): the retries that follow are not logged.
        TorrentLog.at(log, Level.INFO, torrent.logKey()).log(
            "{}: the DHT announce reached no node that would take it ({} queries, {} timeouts);"
                + " retrying with back-off",
            torrent.name(),
            stats.queriesSent(),
            stats.timeouts());
      }
      tracked.reschedule(loop, tracked.retryNanos, () -> announce(torrent));
      tracked.retryNanos = Math.min(tracked.retryNanos * 2, ANNOUNCE_INTERVAL_NANOS);
    }
  }

  /** Adds a node a peer told us about in a {@code port} message. */
  public void addNode(InetAddress address, int port) {
    InetSocketAddress contact = new InetSocketAddress(address, port);
    if (node == null) {
      if (pendingNodes.size() < 64) {
        pendingNodes.add(contact);
      }
      return;
    }
    node.addNode(contact, loop.nanoTime());
    pump();
  }

  /** Returns the node's figures, or empty before it has started. */
  public Optional<DhtStats> stats() {
    return node == null ? Optional.empty() : Optional.of(node.stats());
  }

  private void onDatagram(InetSocketAddress source, ByteBuffer data) {
    if (node != null) {
      node.receive(source, data, loop.nanoTime());
      pump();
    }
  }

  /** Sends what the node wants sent and sets the timer for its next deadline. */
  private void pump() {
    DhtDatagram datagram;
    while ((datagram = node.poll()) != null) {
      udpPort.send(datagram.payload(), datagram.destination());
    }
    long next = node.nextDeadlineNanos();
    if (wake == null || next - wakeAt < 0) {
      if (wake != null) {
        wake.cancel();
      }
      wakeAt = next;
      wake = loop.schedule(next - loop.nanoTime(), this::onTimer);
    }
  }

  private void onTimer() {
    wake = null;
    if (node != null && !closed) {
      node.advance(loop.nanoTime());
      pump();
    }
  }

  /** Stops announcing and timers; saves the routing table (on the loop, the file on disk). */
  public CompletableFuture<Void> close() {
    closed = true;
    udpPort.onDhtDatagram((source, data) -> {});
    long now = loop.nanoTime();
    announcing.values().forEach(t -> t.stop(now));
    announcing.clear();
    if (wake != null) {
      wake.cancel();
    }
    if (lonely != null) {
      lonely.cancel();
    }
    Optional<Path> stateFile = config.dhtStateFile();
    if (node == null || stateFile.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    byte[] state = node.saveState();
    return CompletableFuture.runAsync(() -> writeState(stateFile.get(), state), disk);
  }

  private static Optional<byte[]> readState(Optional<Path> file) {
    if (file.isEmpty()) {
      return Optional.empty();
    }
    try (InputStream in = Files.newInputStream(file.get())) {
      byte[] bytes = in.readNBytes(MAX_STATE_BYTES + 1);
      if (bytes.length > MAX_STATE_BYTES) {
        log.warn("ignoring DHT state {}: larger than {} bytes", file.get(), MAX_STATE_BYTES);
        return Optional.empty();
      }
      return Optional.of(bytes);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      log.warn("cannot read DHT state {}", file.get(), e);
      return Optional.empty();
    }
  }

  private static void writeState(Path file, byte[] state) {
    try {
      Path temp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(temp, state);
      try {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      log.warn("cannot save DHT state {}", file, e);
    }
  }
}
