package dev.bitwright.simulation;

import dev.bitwright.session.Metric;
import dev.bitwright.session.TorrentMetrics;
import dev.bitwright.session.internal.torrent.TorrentRuntime;
import dev.bitwright.storage.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/** One engine of a {@link SwarmSimulation}, with its torrent and its data in memory. */
public final class SimulatedPeer {
  private final InetSocketAddress address;
  private final boolean seed;
  private final TorrentRuntime runtime;
  private final Storage storage;
  private final SimulatedPayload payload;
  private long completedAt = -1;

  SimulatedPeer(
      InetSocketAddress address,
      boolean seed,
      TorrentRuntime runtime,
      Storage storage,
      SimulatedPayload payload) {
    this.address = address;
    this.seed = seed;
    this.runtime = runtime;
    this.storage = storage;
    this.payload = payload;
  }

  TorrentRuntime runtime() {
    return runtime;
  }

  void completed(long nanos) {
    completedAt = nanos;
  }

  /**
   * Returns where the peer listens.
   *
   * @return its address and port
   */
  public InetSocketAddress address() {
    return address;
  }

  /**
   * Returns whether the peer started as a seed.
   *
   * @return whether it did
   */
  public boolean isSeed() {
    return seed;
  }

  /**
   * Returns whether the peer has every piece, verified.
   *
   * @return whether it has
   */
  public boolean isComplete() {
    return completedAt >= 0;
  }

  /**
   * Returns when the peer had every piece, in simulated time since the swarm was created (a seed:
   * when its check ended).
   *
   * @return the time, empty while it lacks pieces
   */
  public Optional<Duration> completedAt() {
    return completedAt < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(completedAt));
  }

  /**
   * Returns the peer's torrent metrics now: bytes up and down, requests, choking, peers.
   *
   * @return the metrics
   */
  public TorrentMetrics metrics() {
    return runtime.metrics();
  }

  /**
   * Returns the payload bytes the peer received from other peers, redundant ones included.
   *
   * @return the bytes
   */
  public long downloaded() {
    return metrics().get(Metric.DOWNLOADED_FROM_PEERS);
  }

  /**
   * Returns the payload bytes the peer sent to other peers.
   *
   * @return the bytes
   */
  public long uploaded() {
    return metrics().get(Metric.UPLOADED);
  }

  /**
   * Returns whether the peer's storage holds exactly the payload's bytes, read back from it.
   *
   * @return whether every file is byte for byte the payload's
   * @throws UncheckedIOException if the storage cannot be read
   */
  public boolean holdsThePayload() {
    try {
      for (int i = 0; i < payload.files().size(); i++) {
        byte[] expected = payload.files().get(i);
        ByteBuffer stored = ByteBuffer.allocate(expected.length);
        while (stored.hasRemaining()) {
          if (storage.read(i, stored.position(), stored) <= 0) {
            return false;
          }
        }
        if (!Arrays.equals(stored.array(), expected)) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "SimulatedPeer{" + address + (seed ? ", seed" : "") + "}";
  }
}
