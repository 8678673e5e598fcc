package dev.bitwright.session.internal.engine;

import dev.bitwright.metainfo.InfoHashes;
import dev.bitwright.session.FailureReason;
import dev.bitwright.session.internal.telemetry.TorrentLog;
import dev.bitwright.session.internal.torrent.TorrentRuntime;
import dev.bitwright.wire.MseHandshake;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The session's torrents, in the order they were added, and the info hashes they go by on the wire
 * (each with its MSE {@code req2} hash, by which an encrypted handshake names its torrent). Loop
 * thread only.
 */
final class TorrentRegistry {
  // The engine's logger: the registry fails torrents for it.
  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  // A list: iteration order must not depend on identity hash codes, so that a simulated swarm
  // replays exactly from its seed.
  private final List<TorrentRuntime> torrents = new ArrayList<>();
  private final Map<ByteBuffer, TorrentRuntime> byHash = new HashMap<>();
  private final Map<ByteBuffer, byte[]> byReq2 = new HashMap<>();

  /**
   * Registers {@code runtime} under all of its hashes; returns false, registering nothing, if
   * another torrent goes by one of them.
   */
  boolean add(TorrentRuntime runtime) {
    for (byte[] h : runtime.allWireHashes()) {
      if (byHash.containsKey(ByteBuffer.wrap(h))) {
        return false;
      }
    }
    runtime.allWireHashes().forEach(h -> register(runtime, h));
    torrents.add(runtime);
    return true;
  }

  private void register(TorrentRuntime runtime, byte[] hash) {
    byHash.put(ByteBuffer.wrap(hash), runtime);
    byReq2.put(ByteBuffer.wrap(MseHandshake.req2Hash(hash)), hash);
  }

  /**
   * Removes {@code runtime}, deleting its files if asked. The future completes when its {@code
   * stopped} announce is answered or given up (after 3 seconds) and its storage is closed,
   * exceptionally if that failed; at once if it was not registered.
   */
  CompletableFuture<Void> remove(TorrentRuntime runtime, boolean deleteFiles) {
    if (!torrents.remove(runtime)) {
      return CompletableFuture.completedFuture(null);
    }
    for (byte[] h : runtime.allWireHashes()) {
      byHash.remove(ByteBuffer.wrap(h));
      byReq2.remove(ByteBuffer.wrap(MseHandshake.req2Hash(h)));
    }
    TorrentRuntime.Removal removal = runtime.remove(deleteFiles);
    return removal
        .announced()
        .completeOnTimeout(null, 3, TimeUnit.SECONDS)
        .exceptionally(e -> null)
        .thenCombine(removal.storageClosed(), (a, b) -> b);
  }

  /**
   * Registers the hashes of {@code hashes} that {@code runtime} does not go by yet, unless another
   * torrent has them, and tells {@code runtime} of each; nothing if {@code runtime} is not
   * registered.
   */
  void alsoKnownAs(TorrentRuntime runtime, InfoHashes hashes) {
    if (!torrents.contains(runtime)) {
      return;
    }
    for (byte[] h : hashes.wireHashes()) {
      if (!byHash.containsKey(ByteBuffer.wrap(h))) {
        register(runtime, h);
        runtime.addWireHash(h);
      }
    }
  }

  /** Returns the torrent that goes by {@code infoHash}, or null. */
  TorrentRuntime byHash(byte[] infoHash) {
    return byHash.get(ByteBuffer.wrap(infoHash));
  }

  /** Returns the info hash whose {@code req2} hash is {@code req2}, if a torrent goes by it. */
  Optional<byte[]> infoHashForReq2(byte[] req2) {
    return Optional.ofNullable(byReq2.get(ByteBuffer.wrap(req2)));
  }

  /** Returns the torrents, a copy. */
  List<TorrentRuntime> all() {
    return List.copyOf(torrents);
  }

  /**
   * Removes every torrent as the session closes, keeping their files; the future completes when
   * every {@code stopped} announce is answered and every storage closed (failed or not, the close
   * goes on). Their hashes still lead to them, removed, until the loop stops right after.
   */
  CompletableFuture<Void> removeAll() {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (TorrentRuntime t : List.copyOf(torrents)) {
      TorrentRuntime.Removal removal = t.remove(false);
      all.add(removal.announced());
      all.add(removal.storageClosed().exceptionally(e -> null));
    }
    torrents.clear();
    return CompletableFuture.allOf(all.toArray(CompletableFuture<?>[]::new));
  }

  /**
   * Fails every torrent for {@code reason}; one that throws does not keep the others from it.
   *
   * @param cause the exception behind it, or null
   */
  void failAll(FailureReason reason, String message, Throwable cause) {
    for (TorrentRuntime t : List.copyOf(torrents)) {
      try {
        t.fail(reason, message, cause);
      } catch (RuntimeException | Error e) {
        TorrentLog.at(log, Level.ERROR, t.logKey())
            .setCause(e)
            .log("failing {} after the loop failed", t.name());
      }
    }
  }
}
