package dev.bitwright.storage;

import dev.bitwright.metainfo.FileEntry;
import dev.bitwright.metainfo.MerkleTree;
import dev.bitwright.metainfo.Torrent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Checks pieces against a torrent's hashes: SHA-1 over the whole piece (v1, padding zeros
 * included), and for v2 the piece's merkle subtree over its file's 16 KiB blocks, compared with the
 * file's piece layer (or its pieces root when the file is one piece long). Hybrid pieces must pass
 * both.
 *
 * <p>Each thread gets its own digests and a 128 KiB direct read buffer; a piece is read and hashed
 * in chunks, so memory stays bounded whatever the piece length.
 */
final class PieceVerifier {
  private static final int CHUNK = 128 * 1024;

  private final PieceStore store;
  private final Torrent torrent;
  private final PieceMap map;
  private final boolean v1;
  private final boolean v2;
  private final int[] fileOfPiece;
  private final byte[] @Nullable [] layers;
  private final ThreadLocal<Lane> lanes = ThreadLocal.withInitial(Lane::new);

  PieceVerifier(PieceStore store) {
    this.store = store;
    this.torrent = store.torrent();
    this.map = store.map();
    this.v1 = torrent.version().hasV1();
    this.v2 = torrent.version().hasV2();
    List<FileEntry> files = torrent.files();
    this.layers = new byte[files.size()][];
    this.fileOfPiece = new int[v2 ? map.pieceCount() : 0];
    if (v2) {
      for (int f = 0; f < files.size(); f++) {
        FileEntry file = files.get(f);
        if (file.isPadding() || file.length() == 0) {
          continue;
        }
        for (int p = map.firstPiece(f); p <= map.lastPiece(f); p++) {
          fileOfPiece[p] = f;
        }
        if (file.length() > map.pieceLength()) {
          layers[f] = file.piecesRoot().flatMap(torrent::pieceLayer).orElse(null);
        }
      }
    }
  }

  boolean verify(int piece) throws IOException {
    return lanes.get().verify(piece, null);
  }

  /** Checks piece {@code piece} held whole in {@code data} (from its position), reading nothing. */
  boolean verify(int piece, ByteBuffer data) throws IOException {
    return lanes.get().verify(piece, data);
  }

  /** Per-thread state. */
  private final class Lane {
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(CHUNK);
    private final MessageDigest sha1 = digest("SHA-1");
    private final MessageDigest sha256 = digest("SHA-256");
    private final byte[] leaves =
        new byte[map.pieceLength() / MerkleTree.BLOCK_SIZE * MerkleTree.HASH_LENGTH];
    private final byte[] sha1Out = new byte[20];

    boolean verify(int piece, @Nullable ByteBuffer inMemory) throws IOException {
      // A read that failed half-way on this thread must not leave bytes in the digests.
      sha1.reset();
      sha256.reset();
      int size = map.pieceSize(piece);
      int file = v2 ? fileOfPiece[piece] : -1;
      Optional<byte[]> expectedV2 = v2 ? expectedV2(piece, file) : Optional.empty();
      boolean checkV2 = expectedV2.isPresent();
      if (!v1 && !checkV2) {
        throw new IllegalStateException("piece layers of the torrent are not known yet");
      }
      long fileDataEnd =
          checkV2 ? torrent.files().get(file).offset() + torrent.files().get(file).length() : 0;
      int v2Length =
          checkV2 ? (int) Math.min(size, fileDataEnd - (long) piece * map.pieceLength()) : 0;
      int leafCount = 0;
      for (int done = 0; done < size; ) {
        int n = Math.min(CHUNK, size - done);
        ByteBuffer chunk;
        if (inMemory != null) {
          chunk = inMemory.slice(inMemory.position() + done, n);
        } else {
          chunk = readBuffer.clear().limit(n);
          // Bytes the files do not hold are not zeros that may happen to hash right: a piece of a
          // missing file whose data is all zeros must not pass.
          if (store.readStoredBlock(piece, done, chunk) < n) {
            sha1.reset();
            sha256.reset();
            return false;
          }
          chunk.flip();
        }
        if (v1) {
          sha1.update(chunk.duplicate());
        }
        int v2InChunk = Math.max(0, Math.min(n, v2Length - done));
        for (int from = 0; from < v2InChunk; from += MerkleTree.BLOCK_SIZE) {
          int len = Math.min(MerkleTree.BLOCK_SIZE, v2InChunk - from);
          sha256.update(chunk.duplicate().position(from).limit(from + len));
          digestInto(sha256, leaves, leafCount++ * MerkleTree.HASH_LENGTH);
        }
        done += n;
      }
      boolean ok = true;
      if (v1) {
        digestInto(sha1, sha1Out, 0);
        ok = Arrays.equals(sha1Out, torrent.pieceHash(piece));
      }
      if (checkV2) {
        ok &= Arrays.equals(v2Hash(file, leafCount), expectedV2.get());
      }
      return ok;
    }

    private byte[] v2Hash(int file, int leafCount) {
      if (torrent.files().get(file).length() <= map.pieceLength()) {
        return MerkleTree.root(leaves, leafCount, 0, sha256);
      }
      int levels = Integer.numberOfTrailingZeros(map.pieceLength() / MerkleTree.BLOCK_SIZE);
      return MerkleTree.reduce(leaves, leafCount, 0, levels, sha256);
    }

    /** The layer entry of the piece, the file's root for a one-piece file, or empty if unknown. */
    private Optional<byte[]> expectedV2(int piece, int file) {
      FileEntry entry = torrent.files().get(file);
      if (entry.length() <= map.pieceLength()) {
        return entry.piecesRoot().map(r -> r.bytes());
      }
      byte[] layer = layers[file];
      if (layer == null) {
        return Optional.empty();
      }
      int j = piece - map.firstPiece(file);
      return Optional.of(
          Arrays.copyOfRange(layer, j * MerkleTree.HASH_LENGTH, (j + 1) * MerkleTree.HASH_LENGTH));
    }
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required of every Java platform", e);
    }
  }

  private static void digestInto(MessageDigest digest, byte[] out, int offset) {
    try {
      digest.digest(out, offset, digest.getDigestLength());
    } catch (DigestException e) {
      throw new IllegalStateException(e);
    }
  }
}
