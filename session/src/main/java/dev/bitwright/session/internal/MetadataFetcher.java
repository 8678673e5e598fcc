package dev.bitwright.session.internal;

import dev.bitwright.wire.ExtensionHandshake;
import dev.bitwright.wire.MetadataAssembler;
import dev.bitwright.wire.MetadataMessage;
import dev.bitwright.wire.WireException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Fetches a magnet link's info dictionary from peers with ut_metadata (BEP 9): one piece in flight
 * per peer, pieces not answered in 20 s asked again elsewhere, peers that reject or send bad pieces
 * dropped from the fetch. The assembled bytes must hash to the info-hash. Loop thread only.
 */
final class MetadataFetcher {
  private static final long TIMEOUT_NANOS = 20_000_000_000L;

  private final TorrentRuntime runtime;
  private MetadataAssembler assembler;
  private final Map<PeerConnection, Integer> inFlight = new LinkedHashMap<>();
  private final Map<Integer, Long> askedAt = new LinkedHashMap<>();
  private final Set<PeerConnection> refused = new LinkedHashSet<>();

  MetadataFetcher(TorrentRuntime runtime) {
    this.runtime = runtime;
  }

  /** A peer's extension handshake arrived. */
  void peerReady(PeerConnection p) {
    OptionalInt size = p.extensions.metadataSize();
    if (p.extensions.idOf(ExtensionHandshake.UT_METADATA).isEmpty() || size.isEmpty()) {
      return;
    }
    if (assembler == null) {
      try {
        assembler = new MetadataAssembler(runtime.infoHashes, size.getAsInt());
      } catch (WireException e) {
        p.close("unacceptable metadata size " + size.getAsInt());
        return;
      }
    } else if (size.getAsInt() != assembler.totalSize()) {
      return;
    }
    askNext(p);
  }

  void received(PeerConnection p, MetadataMessage m) {
    Integer piece = inFlight.remove(p);
    if (piece != null) {
      askedAt.remove(piece);
    }
    if (assembler == null) {
      return;
    }
    if (m instanceof MetadataMessage.Reject) {
      refused.add(p);
      askOthers();
      return;
    }
    if (!(m instanceof MetadataMessage.Data data)) {
      return;
    }
    try {
      assembler.accept(data);
    } catch (WireException e) {
      refused.add(p);
      p.close("bad metadata piece: " + e.getMessage());
      return;
    }
    if (assembler.isComplete()) {
      var bytes = assembler.verify();
      if (bytes.isPresent()) {
        runtime.metadataReceived(bytes.get());
        return;
      }
      askedAt.clear();
      inFlight.clear();
    }
    askNext(p);
    askOthers();
  }

  private void askOthers() {
    for (PeerConnection other : List.copyOf(runtime.peers)) {
      if (!inFlight.containsKey(other)) {
        askNext(other);
      }
    }
  }

  private void askNext(PeerConnection p) {
    if (assembler == null
        || inFlight.containsKey(p)
        || refused.contains(p)
        || p.extensions == null) {
      return;
    }
    long now = runtime.engine.loop().nanoTime();
    for (int piece = 0; piece < assembler.pieceCount(); piece++) {
      if (isMissing(piece) && !askedAt.containsKey(piece)) {
        if (p.sendExtended(
            ExtensionHandshake.UT_METADATA, new MetadataMessage.Request(piece).encode())) {
          inFlight.put(p, piece);
          askedAt.put(piece, now);
        }
        return;
      }
    }
  }

  private boolean isMissing(int piece) {
    OptionalInt next = assembler.nextMissing();
    if (next.isEmpty()) {
      return false;
    }
    return piece >= next.getAsInt() && !assemblerHas(piece);
  }

  private boolean assemblerHas(int piece) {
    return assembler.has(piece);
  }

  /** Every second: asks again for pieces not answered in time. */
  void tick() {
    long now = runtime.engine.loop().nanoTime();
    askedAt.entrySet().removeIf(e -> now - e.getValue() > TIMEOUT_NANOS);
    inFlight.values().removeIf(piece -> !askedAt.containsKey(piece));
    askOthers();
  }
}
