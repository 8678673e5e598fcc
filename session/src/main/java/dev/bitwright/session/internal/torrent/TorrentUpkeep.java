package dev.bitwright.session.internal.torrent;

import dev.bitwright.session.TorrentStatus;
import dev.bitwright.session.internal.net.EngineLoop;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A torrent's once-a-second upkeep (peers, choking rounds, announces, metadata requests, resume
 * data, more connections) and the status snapshot it publishes for other threads. Loop thread,
 * except {@link #status()}.
 */
final class TorrentUpkeep {
  private static final long TICK_NANOS = 1_000_000_000L;

  private final TorrentRuntime torrent;
  private final AtomicReference<TorrentStatus> status = new AtomicReference<>();
  private final ShareLimits shareLimits;
  private long lastChoke = Long.MIN_VALUE;
  private EngineLoop.Timer ticker;

  TorrentUpkeep(TorrentRuntime torrent) {
    this.torrent = torrent;
    this.shareLimits = new ShareLimits(torrent);
  }

  /** Starts the ticks, unless they run. */
  void start() {
    if (ticker == null) {
      ticker = torrent.host().loop().schedule(TICK_NANOS, this::tick);
    }
  }

  /** Stops the ticks for good (the torrent is removed). */
  void stop() {
    if (ticker != null) {
      ticker.cancel();
      ticker = null;
    }
  }

  private void tick() {
    ticker = torrent.host().loop().schedule(TICK_NANOS, this::tick);
    long now = torrent.nanoTime();
    if (torrent.isActive()) {
      PeerProtocol protocol = torrent.protocol();
      protocol.tick(now);
      if (now - lastChoke >= Choker.ROUND_NANOS || lastChoke == Long.MIN_VALUE) {
        lastChoke = now;
        protocol.uploads().rechoke(now);
      }
      torrent.announces().tick();
      torrent.metadata().tick();
      torrent.webSeeds().tick();
      if (torrent.data() != null) {
        torrent.data().tick(now);
      }
      torrent.peerSet().connectMore();
      shareLimits.tick(now);
      torrent.scrapes().tick(now);
    }
    publish();
  }

  /** Returns the latest status snapshot (any thread). */
  TorrentStatus status() {
    return status.get();
  }

  /** Publishes a new status snapshot now. */
  void publish() {
    status.set(StatusSnapshots.of(torrent, torrent.nanoTime()));
  }
}
