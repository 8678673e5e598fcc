package dev.bitwright.session.internal.torrent;

import dev.bitwright.session.CloseReason;
import dev.bitwright.session.internal.peer.PeerConnection;
import dev.bitwright.wire.ExtensionHandshake;
import dev.bitwright.wire.MetadataAssembler;
import dev.bitwright.wire.MetadataMessage;
import dev.bitwright.wire.WireException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Fetches a magnet link's info dictionary from peers with ut_metadata (BEP 9), so that a peer that
 * lies cannot keep it from us. The size fetched is the one most peers announce (a liar connected
 * first no longer fixes it, and peers announcing another size stay connected). One piece is in
 * flight per peer, and pieces not answered in 20 s are asked again elsewhere. The assembled bytes
 * must hash to the info-hash: when they do not, a peer that sent every piece is banned; when
 * several did, the next attempts take every piece from one peer at a time, so that the next failure
 * names the liar. A peer that refuses is not asked again. Loop thread only.
 */
final class MetadataFetcher {
  private static final long TIMEOUT_NANOS = 20_000_000_000L;

  private final TorrentRuntime runtime;
  // Peers that offer the metadata, with the size each announced (insertion order: ties go to the
  // size heard first).
  private final Map<PeerConnection, Integer> offered = new LinkedHashMap<>();
  private final Set<PeerConnection> refused = new HashSet<>();
  private final Map<PeerConnection, Integer> inFlight = new LinkedHashMap<>();
  private final Map<Integer, Long> askedAt = new HashMap<>();
  private final Map<Integer, PeerConnection> deliveredBy = new HashMap<>();
  private MetadataAssembler assembler;
  // After an attempt that mixed several peers' pieces failed: one peer supplies every piece.
  private boolean oneSourceAtATime;
  private PeerConnection source;

  MetadataFetcher(TorrentRuntime runtime) {
    this.runtime = runtime;
  }

  /** A peer's extension handshake arrived. */
  void peerReady(PeerConnection p) {
    OptionalInt announced =
        p.state().extensions().map(ExtensionHandshake::metadataSize).orElse(OptionalInt.empty());
    if (p.state().extensionId(ExtensionHandshake.UT_METADATA).isEmpty() || announced.isEmpty()) {
      return;
    }
    int size = announced.getAsInt();
    if (size <= 0 || size > MetadataAssembler.MAX_METADATA_SIZE) {
      p.close(CloseReason.BAD_METADATA_SIZE, String.valueOf(size));
      return;
    }
    offered.put(p, size);
    chooseSize();
    askEveryone();
  }

  /** Fetches the size most peers announce, starting over if that changed. */
  private void chooseSize() {
    Map<Integer, Integer> votes = new LinkedHashMap<>();
    offered.forEach((peer, size) -> votes.merge(size, 1, Integer::sum));
    int best = -1;
    int most = 0;
    for (Map.Entry<Integer, Integer> e : votes.entrySet()) {
      if (e.getValue() > most) {
        best = e.getKey();
        most = e.getValue();
      }
    }
    if (best < 0 || (assembler != null && assembler.totalSize() == best)) {
      return;
    }
    try {
      assembler = new MetadataAssembler(runtime.infoHashes(), best);
    } catch (WireException impossible) {
      throw new IllegalStateException("a size checked in peerReady", impossible);
    }
    startOver();
  }

  private void startOver() {
    inFlight.clear();
    askedAt.clear();
    deliveredBy.clear();
    source = null;
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
      if (p == source) {
        source = null;
      }
      askEveryone();
      return;
    }
    if (!(m instanceof MetadataMessage.Data data)
        || piece == null
        || offered.getOrDefault(p, -1) != assembler.totalSize()) {
      return; // not asked for, or for another size
    }
    try {
      assembler.accept(data);
    } catch (WireException e) {
      runtime.ban(p, CloseReason.BAD_DATA, "bad metadata piece: " + e.getMessage());
      return;
    }
    deliveredBy.put(data.piece(), p);
    if (assembler.isComplete()) {
      var bytes = assembler.verify();
      if (bytes.isPresent()) {
        runtime.metadata().received(bytes.get());
        return;
      }
      attemptFailed();
    }
    askEveryone();
  }

  /** The metadata did not hash to the info-hash: blame who can be blamed and try again. */
  private void attemptFailed() {
    Set<PeerConnection> senders = new HashSet<>(deliveredBy.values());
    try {
      assembler = new MetadataAssembler(runtime.infoHashes(), assembler.totalSize());
    } catch (WireException impossible) {
      throw new IllegalStateException(impossible);
    }
    startOver();
    if (senders.size() == 1) {
      PeerConnection liar = senders.iterator().next();
      offered.remove(liar);
      runtime.ban(liar, CloseReason.BAD_DATA, "metadata that does not match the info-hash");
      chooseSize(); // its size may have been the odd one out
    } else {
      oneSourceAtATime = true;
    }
  }

  private void askEveryone() {
    for (PeerConnection other : List.copyOf(runtime.peers())) {
      askNext(other);
    }
  }

  private void askNext(PeerConnection p) {
    if (assembler == null
        || inFlight.containsKey(p)
        || refused.contains(p)
        || offered.getOrDefault(p, -1) != assembler.totalSize()) {
      return;
    }
    if (oneSourceAtATime) {
      if (source == null) {
        source = p;
      } else if (source != p) {
        return;
      }
    }
    long now = runtime.nanoTime();
    for (int piece = 0; piece < assembler.pieceCount(); piece++) {
      if (!assembler.has(piece) && !askedAt.containsKey(piece)) {
        if (p.sendExtended(
            ExtensionHandshake.UT_METADATA, new MetadataMessage.Request(piece).encode())) {
          inFlight.put(p, piece);
          askedAt.put(piece, now);
        }
        return;
      }
    }
  }

  /** A peer left: what it was asked goes to others. */
  void peerGone(PeerConnection p) {
    offered.remove(p);
    refused.remove(p);
    Integer piece = inFlight.remove(p);
    if (piece != null) {
      askedAt.remove(piece);
    }
    if (p == source) {
      source = null;
    }
    chooseSize();
    askEveryone();
  }

  /** Every second: asks again for pieces not answered in time (a silent source is replaced). */
  void tick() {
    long now = runtime.nanoTime();
    askedAt.entrySet().removeIf(e -> now - e.getValue() > TIMEOUT_NANOS);
    inFlight
        .entrySet()
        .removeIf(
            e -> {
              boolean late = !askedAt.containsKey(e.getValue());
              if (late && e.getKey() == source) {
                refused.add(source);
                source = null;
              }
              return late;
            });
    askEveryone();
  }
}
