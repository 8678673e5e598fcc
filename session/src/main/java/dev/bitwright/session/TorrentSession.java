package dev.bitwright.session;

import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import dev.bitwright.dht.DhtStats;
import dev.bitwright.session.internal.engine.Engine;
import dev.bitwright.session.internal.engine.TorrentControl;
import dev.bitwright.wire.PeerId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A BitTorrent client in your program: torrents, peers, trackers, disk and threads.
 *
 * <pre>{@code
 * try (TorrentSession session = TorrentSession.start(SessionConfig.builder().build())) {
 *   Torrent torrent = Torrent.read(Path.of("release.torrent"));
 *   TorrentHandle handle = session.add(AddTorrent.torrent(torrent, Path.of("downloads")).build());
 *   handle.completion().get();                      // downloaded and verified
 * }
 * }</pre>
 *
 * <p>The session owns one I/O thread ({@code bitwright-io}) for every socket, a small pool for disk
 * I/O and hashing ({@code bitwright-disk-*}, unless you supply an executor) and one thread for
 * listener events ({@code bitwright-events}). {@link #close()} stops them all, closes every socket
 * and file, and returns within a few seconds (stopped announces get at most 2 seconds).
 *
 * <p>Thread-safe.
 */
public final class TorrentSession implements AutoCloseable {
  /** The longest any call waits for the session's loop to answer, in seconds. */
  static final int ANSWER_SECONDS = 30;

  private static final long STOP_ANNOUNCE_MILLIS = 2000;

  private final Engine engine;
  private volatile boolean closed;

  private TorrentSession(Engine engine) {
    this.engine = engine;
  }

  /**
   * Starts a session: opens the listening socket(s) and starts the threads.
   *
   * @param config the session's configuration
   * @return the running session; {@link #close()} releases its threads, sockets and files
   * @throws IOException if the listening socket cannot be opened
   */
  public static TorrentSession start(SessionConfig config) throws IOException {
    return new TorrentSession(new Engine(checkNotNull(config)));
  }

  /**
   * Adds a torrent and starts it (unless asked to start paused), waiting until the session has
   * registered it — a turn of its loop, not the check of its files (see {@link
   * TorrentHandle#completion()}); {@link #addAsync} is the same without the wait. Like every call
   * of this class that waits for the session's loop, it waits at most {@value #ANSWER_SECONDS} s.
   *
   * @param request the torrent or magnet link and its options
   * @return the torrent's handle
   * @throws DuplicateTorrentException if the session has the torrent already
   * @throws IllegalStateException if the session is closed or has failed (see {@link #failure()}),
   *     or does not answer in time
   */
  public TorrentHandle add(AddTorrent request) {
    return await(addAsync(request));
  }

  /**
   * Adds a torrent and starts it (unless asked to start paused), without waiting: the future
   * completes with its handle once the session has registered it, or fails with a {@link
   * DuplicateTorrentException} if the session has it already.
   *
   * @param request the torrent or magnet link and its options
   * @return the torrent's handle once the session has registered it
   * @throws IllegalStateException if the session is closed or has failed
   */
  public CompletableFuture<TorrentHandle> addAsync(AddTorrent request) {
    checkNotNull(request);
    checkState(!closed, "session closed");
    checkRunning();
    return engine.add(request).thenApply(r -> new TorrentHandle(new TorrentControl(engine, r)));
  }

  /**
   * Removes a torrent: its peers are let go, its {@code stopped} announce gets at most 3 seconds,
   * its resume data is saved and its storage closed; with {@link RemoveOption#DELETE_FILES} its
   * files are deleted instead. The future completes once that is done; it fails with the {@link
   * dev.bitwright.storage.StorageException} of a file that could not be deleted (every other file
   * is deleted all the same), or of resume data that could not be saved. Removing a torrent that is
   * gone already completes at once.
   *
   * @param torrent the torrent to remove
   * @param options what else to do, such as {@link RemoveOption#DELETE_FILES}
   * @return a future that completes once the torrent is removed
   */
  public CompletableFuture<Void> remove(TorrentHandle torrent, RemoveOption... options) {
    boolean deleteFiles = List.of(options).contains(RemoveOption.DELETE_FILES);
    return engine.remove(torrent.control().runtime(), deleteFiles);
  }

  /** {@return the settings in force now: those the session started with, or the last applied} */
  public SessionSettings settings() {
    return engine.settings();
  }

  /**
   * Changes the settings of the running session, as libtorrent's {@code apply_settings}: a launcher
   * throttles while a game is played and lets go when it closes. They are in force when the future
   * completes, within a turn of the session's loop (see {@link SessionSettings} for what a change
   * does to connections and transfers under way). To change one setting, start from the current
   * ones: {@code session.applySettings(session.settings().toBuilder() .downloadRateLimit(1 <<
   * 20).build())}.
   *
   * @param settings the new settings, all of them at once
   * @return a future that completes once the settings are in force, or fails if the session closed
   *     first
   * @throws IllegalStateException if the session is closed or has failed
   */
  public CompletableFuture<Void> applySettings(SessionSettings settings) {
    checkNotNull(settings);
    checkState(!closed, "session closed");
    checkRunning();
    return engine.applySettings(settings);
  }

  /**
   * {@return handles of every torrent, in the order they were added; a handle equals the one {@link
   * #add} returned for the same torrent}
   *
   * @throws IllegalStateException if the session is closed or does not answer within {@value
   *     #ANSWER_SECONDS} s
   */
  public List<TorrentHandle> torrents() {
    checkState(!closed, "session closed");
    return await(engine.torrents()).stream()
        .map(r -> new TorrentHandle(new TorrentControl(engine, r)))
        .toList();
  }

  /**
   * Waits for the session's loop to answer, at most {@value #ANSWER_SECONDS} s; rethrows what it
   * failed with as it is when unchecked.
   */
  static <T> T await(CompletableFuture<T> answer) {
    try {
      return answer.get(ANSWER_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the session did not answer", e);
    }
  }

  /**
   * {@return the session's {@link Metric metrics} now: its own counters and gauges (connections,
   * the disk, the DHT) and each torrent's (bytes by source, wasted and redundant bytes, hash
   * failures, requests, choking, peers by state and transport), as one immutable snapshot taken on
   * the I/O thread} Cheap enough to call every second with many torrents and peers.
   *
   * @throws IllegalStateException if the session is closed or does not answer within {@value
   *     #ANSWER_SECONDS} s
   */
  public SessionMetrics metrics() {
    checkState(!closed, "session closed");
    checkRunning();
    return await(engine.metrics());
  }

  /**
   * {@return the DHT node's figures (routing table sizes, queries, stored peers, our external
   * address); empty when the DHT is off or has not started yet (while its bootstrap host names are
   * resolved)}
   *
   * @throws IllegalStateException if the session is closed or does not answer within {@value
   *     #ANSWER_SECONDS} s
   */
  public Optional<DhtStats> dhtStats() {
    checkState(!closed, "session closed");
    checkRunning();
    return await(engine.dhtStats());
  }

  /**
   * {@return the ports the session's gateway forwards to it now (empty while {@link
   * SessionSettings#portMapping() port mapping} is off, before the gateway answers, or when it
   * refuses)}
   *
   * @throws IllegalStateException if the session is closed or does not answer within {@value
   *     #ANSWER_SECONDS} s
   */
  public List<PortMapping> portMappings() {
    checkState(!closed, "session closed");
    checkRunning();
    return await(engine.portMappings());
  }

  /**
   * {@return our address on the internet as the gateway told it while mapping our ports; empty
   * while port mapping is off or the gateway has not said}
   *
   * @throws IllegalStateException if the session is closed or does not answer within {@value
   *     #ANSWER_SECONDS} s
   */
  public Optional<InetAddress> externalAddress() {
    checkState(!closed, "session closed");
    checkRunning();
    return await(engine.externalAddress());
  }

  /**
   * {@return what stopped the session's I/O loop if it died of an unexpected error (such as running
   * out of memory); every torrent then failed with it ({@link SessionListener#onSessionFailed} says
   * so too), and the session can only be closed} Empty while the session works.
   */
  public Optional<Throwable> failure() {
    return engine.failure();
  }

  private void checkRunning() {
    engine
        .failure()
        .ifPresent(
            cause -> {
              throw new IllegalStateException("the session failed: " + cause, cause);
            });
  }

  /** {@return the address peers can connect to (with the real port when 0 was configured)} */
  public InetSocketAddress listenAddress() {
    return engine.listenAddress();
  }

  /** {@return the peer id this session uses} */
  public PeerId peerId() {
    return engine.peerId();
  }

  /**
   * Adds a listener for events; it runs on the session's event thread.
   *
   * @param listener the listener to add
   */
  public void addListener(SessionListener listener) {
    engine.addListener(checkNotNull(listener));
  }

  /**
   * Removes a listener.
   *
   * @param listener a listener added before; nothing happens if it was not
   */
  public void removeListener(SessionListener listener) {
    engine.removeListener(listener);
  }

  /**
   * Stops every torrent (saving resume data, announcing {@code stopped} for at most 2 seconds),
   * closes every socket and file and stops every thread. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      engine.close(STOP_ANNOUNCE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
