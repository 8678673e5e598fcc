package dev.bitwright.session.internal.torrent;

import dev.bitwright.metainfo.FileEntry;
import dev.bitwright.metainfo.FileMerkleTree;
import dev.bitwright.metainfo.MerkleRoot;
import dev.bitwright.metainfo.MerkleTree;
import dev.bitwright.session.internal.data.TorrentData;
import dev.bitwright.session.internal.net.EngineLoop;
import dev.bitwright.session.internal.peer.PeerConnection;
import dev.bitwright.storage.PieceMap;
import dev.bitwright.storage.PieceStore;
import dev.bitwright.wire.PeerMessage;
import dev.bitwright.wire.PeerMessage.HashRange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Answers other peers' BEP 52 hash requests from a v2 torrent's merkle trees: ranges at or above
 * the piece layer from the piece layers, ranges below it (leaf hashes, which libtorrent asks for
 * when a piece fails) by hashing the piece on the disk executor. Bounded: at most {@value
 * #MAX_HASHES} hashes per request (libtorrent asks for 512), leaf hashes of one piece we have,
 * {@value #MAX_PENDING_PER_PEER} requests under way per peer, and a budget of {@value
 * #WORK_PER_SECOND} bytes a second per peer of hashes sent and data hashed; anything else is
 * answered with a hash reject. Ranges the piece layers answer are answered at once, on the loop (so
 * that they go out ahead of the blocks queued for the peer); hashing goes to the disk executor.
 * Loop thread, except that hashing.
 */
final class HashServer {
  static final int MAX_PENDING_PER_PEER = 8;
  static final int MAX_HASHES = 512;
  static final long WORK_PER_SECOND = 4L << 20;

  /**
   * A file's tree whose piece layer is at most this long is built on the loop thread when first
   * asked for (about a millisecond of hashing); a longer one on the disk executor.
   */
  static final int MAX_PIECES_BUILT_ON_LOOP = 8192;

  private final TorrentData data;
  private final EngineLoop loop;
  private final Executor disk;
  private final Map<MerkleRoot, Integer> fileByRoot = new HashMap<>();
  private final Map<PeerConnection, Integer> pending = new HashMap<>();
  private final Map<PeerConnection, TokenBucket> work = new HashMap<>();
  private final boolean[] layerKnown;
  // Built on first use; on a disk thread if its piece layer is long (it takes a while to hash up).
  private final FileMerkleTree[] trees;

  HashServer(TorrentData data, EngineLoop loop, Executor disk) {
    this.data = data;
    this.loop = loop;
    this.disk = disk;
    List<FileEntry> files = data.torrent().files();
    this.trees = new FileMerkleTree[files.size()];
    this.layerKnown = new boolean[files.size()];
    if (data.torrent().version().hasV2()) {
      for (int f = 0; f < files.size(); f++) {
        FileEntry file = files.get(f);
        if (!file.isPadding() && file.length() > 0) {
          MerkleRoot root = file.piecesRoot().orElseThrow();
          fileByRoot.putIfAbsent(root, f);
          layerKnown[f] =
              file.length() <= data.torrent().pieceLength()
                  || data.torrent().pieceLayer(root).isPresent();
        }
      }
    }
  }

  /** A peer asked for hashes: answered now, after hashing on the disk, or rejected. */
  void request(PeerConnection p, HashRange range) {
    Integer file = fileByRoot.get(new MerkleRoot(range.piecesRoot()));
    if (file == null
        || range.length() > MAX_HASHES
        || pending.getOrDefault(p, 0) >= MAX_PENDING_PER_PEER
        || !layerKnown[file]) {
      reject(p, range);
      return;
    }
    FileEntry entry = data.torrent().files().get(file);
    int pieceLength = data.torrent().pieceLength();
    int base = range.baseLayer();
    if (!FileMerkleTree.isValidRange(
        entry.length(), pieceLength, base, range.index(), range.length(), range.proofLayers())) {
      reject(p, range);
      return;
    }
    Optional<int[]> needed =
        FileMerkleTree.piecesNeeded(
            entry.length(), pieceLength, base, range.index(), range.length(), range.proofLayers());
    int firstPiece = data.map().firstPiece(file);
    if (needed.isPresent() && !mayHash(firstPiece, needed.get())) {
      reject(p, range);
      return;
    }
    long cost =
        (long) (range.length() + range.proofLayers() + 1) * MerkleTree.HASH_LENGTH
            + (needed.isPresent() ? pieceLength : 0);
    long now = loop.nanoTime();
    TokenBucket budget = work.computeIfAbsent(p, k -> new TokenBucket(WORK_PER_SECOND));
    if (budget.available(now) < cost) {
      reject(p, range);
      return;
    }
    budget.spend(cost, now);
    if (needed.isEmpty() && (built(file) || pieceCountOf(entry) <= MAX_PIECES_BUILT_ON_LOOP)) {
      // Answered at once, ahead of the blocks still queued for this peer: libtorrent 2.0 requests
      // a file's hashes and its first blocks together, and a hybrid torrent's piece that passes
      // its v1 check but is not yet on disk when late hashes prove it is reported as
      // "inconsistent hashes", pausing the torrent.
      Optional<byte[]> answer = answer(file, entry, range);
      if (answer.isPresent()) {
        p.send(new PeerMessage.Hashes(range, answer.get()));
      } else {
        reject(p, range);
      }
      return;
    }
    pending.merge(p, 1, Integer::sum);
    disk.execute(
        () -> {
          Optional<byte[]> answer;
          try {
            FileMerkleTree tree = tree(file, entry);
            if (needed.isPresent()) {
              tree = withLeaves(tree, file, firstPiece, needed.get());
            }
            answer =
                tree.hashes(range.baseLayer(), range.index(), range.length(), range.proofLayers());
          } catch (IOException | RuntimeException e) {
            answer = Optional.empty(); // the files changed under us: say no
          }
          Optional<byte[]> result = answer;
          loop.execute(() -> answered(p, range, result));
        });
  }

  /** Returns the hashes of a range at or above the piece layer, or empty if they are not known. */
  private Optional<byte[]> answer(int file, FileEntry entry, HashRange range) {
    try {
      return tree(file, entry)
          .hashes(range.baseLayer(), range.index(), range.length(), range.proofLayers());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private synchronized boolean built(int file) {
    return trees[file] != null;
  }

  private int pieceCountOf(FileEntry entry) {
    int pieceLength = data.torrent().pieceLength();
    return (int) Math.min(Integer.MAX_VALUE, (entry.length() + pieceLength - 1) / pieceLength);
  }

  private void answered(PeerConnection p, HashRange range, Optional<byte[]> hashes) {
    pending.computeIfPresent(p, (k, n) -> n > 1 ? n - 1 : null);
    if (hashes.isPresent()) {
      p.send(new PeerMessage.Hashes(range, hashes.get()));
    } else {
      reject(p, range);
    }
  }

  /** A peer left: its count of requests under way is dropped (their answers go nowhere). */
  void peerGone(PeerConnection p) {
    pending.remove(p);
    work.remove(p);
  }

  private static void reject(PeerConnection p, HashRange range) {
    p.send(new PeerMessage.HashReject(range));
  }

  /** Whether the pieces (of the file, from its first) are one piece, and ours. */
  private boolean mayHash(int firstPiece, int[] pieces) {
    return pieces[0] == pieces[1]
        && data.picker() != null
        && data.picker().have(firstPiece + pieces[0]);
  }

  private synchronized FileMerkleTree tree(int file, FileEntry entry) {
    if (trees[file] == null) {
      MerkleRoot root = entry.piecesRoot().orElseThrow();
      trees[file] =
          FileMerkleTree.of(
              root, entry.length(), data.torrent().pieceLength(), data.torrent().pieceLayer(root));
    }
    return trees[file];
  }

  /** Hashes the blocks of the file's pieces {@code pieces[0]..pieces[1]} (disk thread). */
  private FileMerkleTree withLeaves(FileMerkleTree tree, int file, int firstPiece, int[] pieces)
      throws IOException {
    PieceStore store = data.store();
    PieceMap map = data.map();
    FileEntry entry = data.torrent().files().get(file);
    MessageDigest sha256 = MerkleTree.sha256();
    ByteBuffer block = ByteBuffer.allocate(MerkleTree.BLOCK_SIZE);
    for (int p = pieces[0]; p <= pieces[1]; p++) {
      int piece = firstPiece + p;
      long start = (long) p * map.pieceLength();
      int length = (int) Math.min(map.pieceLength(), entry.length() - start);
      byte[] leaves = new byte[(int) MerkleTree.blockCount(length) * MerkleTree.HASH_LENGTH];
      for (int b = 0, offset = 0; offset < length; b++, offset += MerkleTree.BLOCK_SIZE) {
        block.clear().limit(Math.min(MerkleTree.BLOCK_SIZE, length - offset));
        store.readBlock(piece, offset, block);
        sha256.update(block.flip());
        System.arraycopy(sha256.digest(), 0, leaves, b * MerkleTree.HASH_LENGTH, 32);
      }
      tree = tree.withLeaves(p, leaves);
    }
    return tree;
  }
}
