package dev.bitwright.session.internal.torrent;

import dev.bitwright.metainfo.FileEntry;
import dev.bitwright.metainfo.FileMerkleTree;
import dev.bitwright.metainfo.MerkleRoot;
import dev.bitwright.metainfo.MerkleTree;
import dev.bitwright.metainfo.MetainfoException;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.session.CloseReason;
import dev.bitwright.session.internal.peer.PeerConnection;
import dev.bitwright.wire.PeerMessage;
import dev.bitwright.wire.PeerMessage.HashRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Fetches the piece layers of a v2 torrent known from a magnet link (BEP 52): the info dictionary
 * names each file's pieces root but not the hashes of its pieces, without which no piece of a file
 * longer than one piece can be checked. Each file's layer is asked for in ranges of 512 hashes with
 * the uncle hashes up to the root (as libtorrent asks), every range is checked against the file's
 * root before it is kept, and a range a peer refuses, leaves unanswered for 10 seconds or answers
 * wrongly is asked of another peer. Loop thread only.
 */
final class PieceLayerFetcher {
  private static final long TIMEOUT_NANOS = 10_000_000_000L;
  private static final int RANGE = 512;
  private static final int MAX_ASKED_PER_PEER = 4;
  // Peers that refused a range may be asked again after this long (they may have its pieces now).
  private static final long REFUSAL_MEMORY_NANOS = 30_000_000_000L;

  /** One range of a file's piece layer, and who was asked for it. */
  private static final class Range {
    final MerkleRoot root;
    final long fileLength;
    final HashRange request;
    final int pieces;
    final Set<PeerConnection> refusedBy = new HashSet<>();
    PeerConnection askedOf;
    long askedAt;
    long refusedAt;
    boolean done;

    Range(MerkleRoot root, long fileLength, HashRange request, int pieces) {
      this.root = root;
      this.fileLength = fileLength;
      this.request = request;
      this.pieces = pieces;
    }
  }

  private final TorrentRuntime runtime;
  private final Torrent info;
  private final List<Range> ranges = new ArrayList<>();
  // Allocated as each file's first range arrives: the info dictionary alone says how large.
  private final Map<MerkleRoot, byte[]> layers = new HashMap<>();
  private final Set<MerkleRoot> wanted = new HashSet<>();

  PieceLayerFetcher(TorrentRuntime runtime, Torrent info) {
    this.runtime = runtime;
    this.info = info;
    int pieceLength = info.pieceLength();
    int pieceHeight = Integer.numberOfTrailingZeros(pieceLength / MerkleTree.BLOCK_SIZE);
    for (FileEntry file : info.files()) {
      if (file.isPadding() || file.length() <= pieceLength) {
        continue;
      }
      MerkleRoot root = file.piecesRoot().orElseThrow();
      if (info.pieceLayer(root).isPresent() || !wanted.add(root)) {
        continue; // known, or a file with the same content as another
      }
      // The torrent's piece count is bounded (TorrentMetadata.MAX_PIECES), so this fits an int.
      int pieces = (int) ((file.length() + pieceLength - 1) / pieceLength);
      // Proof up to the root: the root of the whole piece layer is one level below it.
      int proof = MerkleTree.ceilLog2(pieces) - 1;
      for (int index = 0; index < pieces; index += RANGE) {
        int count = Math.max(2, Math.min(RANGE, 1 << MerkleTree.ceilLog2(pieces - index)));
        HashRange request = new HashRange(root.bytes(), pieceHeight, index, count, proof);
        ranges.add(new Range(root, file.length(), request, Math.min(count, pieces - index)));
      }
    }
  }

  /** Returns whether every layer is here. */
  boolean isComplete() {
    return ranges.stream().allMatch(r -> r.done);
  }

  /** Asks the connected peers for what is missing. */
  void askMore() {
    long now = runtime.nanoTime();
    for (Range range : ranges) {
      if (range.done || range.askedOf != null) {
        continue;
      }
      if (!range.refusedBy.isEmpty() && now - range.refusedAt > REFUSAL_MEMORY_NANOS) {
        range.refusedBy.clear();
      }
      PeerConnection peer = pickPeer(range);
      if (peer == null) {
        continue;
      }
      range.askedOf = peer;
      range.askedAt = now;
      peer.send(new PeerMessage.HashRequest(range.request));
    }
  }

  private PeerConnection pickPeer(Range range) {
    PeerConnection best = null;
    int bestLoad = MAX_ASKED_PER_PEER;
    for (PeerConnection p : runtime.peers()) {
      if (!p.isActive() || range.refusedBy.contains(p)) {
        continue;
      }
      int load = askedOf(p);
      if (load < bestLoad) {
        best = p;
        bestLoad = load;
      }
    }
    return best;
  }

  private int askedOf(PeerConnection p) {
    int n = 0;
    for (Range r : ranges) {
      if (r.askedOf == p) {
        n++;
      }
    }
    return n;
  }

  /**
   * Hashes arrived: kept if they answer what this peer was asked and prove out against the root; a
   * peer that sends hashes that do not is closed. Returns the complete torrent once every layer is
   * here.
   */
  Optional<Torrent> received(PeerConnection p, PeerMessage.Hashes hashes) {
    Range range = askedRange(p, hashes.request());
    if (range == null) {
      return Optional.empty(); // late, after a timeout, or never asked: ignored
    }
    range.askedOf = null;
    HashRange r = range.request;
    Optional<byte[]> proven =
        FileMerkleTree.verify(
            range.root,
            range.fileLength,
            info.pieceLength(),
            r.baseLayer(),
            r.index(),
            r.length(),
            r.proofLayers(),
            hashes.hashes());
    if (proven.isEmpty()) {
      range.refusedBy.add(p);
      range.refusedAt = runtime.nanoTime();
      p.close(CloseReason.BAD_DATA, "piece hashes that do not match the file's root");
      askMore();
      return Optional.empty();
    }
    int filePieces = (int) ((range.fileLength + info.pieceLength() - 1) / info.pieceLength());
    System.arraycopy(
        proven.get(),
        0,
        layers.computeIfAbsent(range.root, k -> new byte[filePieces * MerkleTree.HASH_LENGTH]),
        r.index() * MerkleTree.HASH_LENGTH,
        range.pieces * MerkleTree.HASH_LENGTH);
    range.done = true;
    if (!isComplete()) {
      askMore();
      return Optional.empty();
    }
    try {
      return Optional.of(info.withPieceLayers(layers));
    } catch (MetainfoException e) {
      // Every range proved out against its root, so the layers do too.
      throw new IllegalStateException("proven piece layers refused", e);
    }
  }

  /** The peer refused a request: another peer is asked. */
  void rejected(PeerConnection p, PeerMessage.HashReject reject) {
    Range range = askedRange(p, reject.request());
    if (range != null) {
      range.askedOf = null;
      range.refusedBy.add(p);
      range.refusedAt = runtime.nanoTime();
      askMore();
    }
  }

  private Range askedRange(PeerConnection p, HashRange request) {
    for (Range r : ranges) {
      if (r.askedOf == p && r.request.equals(request)) {
        return r;
      }
    }
    return null;
  }

  /** A peer left: what it was asked goes to others. */
  void peerGone(PeerConnection p) {
    for (Range r : ranges) {
      r.refusedBy.remove(p);
      if (r.askedOf == p) {
        r.askedOf = null;
      }
    }
  }

  /** Every second: asks again for ranges not answered in time. */
  void tick() {
    long now = runtime.nanoTime();
    for (Range r : ranges) {
      if (r.askedOf != null && now - r.askedAt > TIMEOUT_NANOS) {
        r.refusedBy.add(r.askedOf);
        r.refusedAt = now;
        r.askedOf = null;
      }
    }
    askMore();
  }
}
