package dev.bitwright.wire;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import dev.bitwright.metainfo.InfoHash;
import dev.bitwright.metainfo.InfoHashes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Collects a torrent's info dictionary from {@code ut_metadata} pieces (BEP 9) and proves it: the
 * assembled bytes must hash to the torrent's info-hash (SHA-1 for v1, SHA-256 for v2, both for a
 * hybrid whose two hashes are known). A size over {@link #MAX_METADATA_SIZE} is refused before
 * anything is allocated.
 *
 * <p>Not one of the package's time-driven state machines: it has no clock and no output. The host
 * asks {@link #nextMissing()} what to request and times its requests out itself.
 *
 * <p>Not thread-safe: the session drives it from one thread.
 */
public final class MetadataAssembler {
  /** The largest info dictionary accepted: 16 MiB (a torrent of about 800,000 pieces). */
  public static final int MAX_METADATA_SIZE = 16 * 1024 * 1024;

  private final InfoHashes expected;
  private final int totalSize;
  private final int pieceCount;
  private final byte[] buffer;
  private final BitSet received = new BitSet();

  /**
   * Starts assembling metadata of {@code totalSize} bytes, as announced in an extension handshake.
   *
   * @param expected the info-hashes the assembled bytes must hash to
   * @param totalSize the {@code metadata_size} the peer announced, in bytes
   * @throws WireException if the size is zero, negative or over {@link #MAX_METADATA_SIZE}
   */
  public MetadataAssembler(InfoHashes expected, int totalSize) throws WireException {
    this.expected = checkNotNull(expected);
    if (totalSize <= 0 || totalSize > MAX_METADATA_SIZE) {
      throw new WireException("metadata size " + totalSize + " out of range", -1);
    }
    this.totalSize = totalSize;
    this.pieceCount = (totalSize + MetadataMessage.PIECE_SIZE - 1) / MetadataMessage.PIECE_SIZE;
    this.buffer = new byte[totalSize];
  }

  /** {@return the number of metadata pieces} */
  public int pieceCount() {
    return pieceCount;
  }

  /** {@return the size of the info dictionary} */
  public int totalSize() {
    return totalSize;
  }

  /** {@return the lowest piece not received yet, if any} */
  public OptionalInt nextMissing() {
    int next = received.nextClearBit(0);
    return next < pieceCount ? OptionalInt.of(next) : OptionalInt.empty();
  }

  /**
   * {@return whether piece {@code piece} has arrived}
   *
   * @param piece a metadata piece index, from 0
   */
  public boolean has(int piece) {
    return received.get(piece);
  }

  /** {@return whether every piece has arrived} */
  public boolean isComplete() {
    return received.cardinality() == pieceCount;
  }

  /**
   * Takes a data message.
   *
   * @param data a piece the peer sent; a piece already received is overwritten
   * @throws WireException if the piece index, the total size or the piece's length is wrong
   */
  public void accept(MetadataMessage.Data data) throws WireException {
    int piece = data.piece();
    if (piece >= pieceCount || data.totalSize() != totalSize) {
      throw new WireException("metadata piece " + piece + " does not fit the announced size", -1);
    }
    int offset = piece * MetadataMessage.PIECE_SIZE;
    int expectedLength = Math.min(MetadataMessage.PIECE_SIZE, totalSize - offset);
    byte[] bytes = data.data();
    if (bytes.length != expectedLength) {
      throw new WireException(
          "metadata piece " + piece + " has " + bytes.length + " bytes, expected " + expectedLength,
          -1);
    }
    System.arraycopy(bytes, 0, buffer, offset, bytes.length);
    received.set(piece);
  }

  /**
   * {@return the verified info dictionary once complete; if it does not hash to the info-hash,
   * every piece is discarded (so it can be fetched again, from other peers) and empty is returned}
   *
   * @throws IllegalStateException if pieces are still missing
   */
  public Optional<byte[]> verify() {
    checkState(isComplete(), "metadata incomplete");
    boolean ok =
        expected.v1().map(h -> matches(h, "SHA-1")).orElse(true)
            && expected.v2().map(h -> matches(h, "SHA-256")).orElse(true);
    if (!ok) {
      received.clear();
      return Optional.empty();
    }
    return Optional.of(buffer.clone());
  }

  private boolean matches(InfoHash hash, String algorithm) {
    try {
      return Arrays.equals(MessageDigest.getInstance(algorithm).digest(buffer), hash.bytes());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required of every Java platform", e);
    }
  }

  /**
   * {@return the answer to a request for metadata piece {@code piece} of {@code info} (the info
   * dictionary we serve): the piece, or a reject for an index out of range}
   *
   * @param info the bencoded info dictionary we serve
   * @param piece the requested piece index
   */
  public static MetadataMessage serve(byte[] info, int piece) {
    checkArgument(info.length > 0, "no metadata to serve");
    int count = (info.length + MetadataMessage.PIECE_SIZE - 1) / MetadataMessage.PIECE_SIZE;
    if (piece < 0 || piece >= count) {
      return new MetadataMessage.Reject(Math.max(piece, 0));
    }
    int from = piece * MetadataMessage.PIECE_SIZE;
    int to = Math.min(info.length, from + MetadataMessage.PIECE_SIZE);
    return new MetadataMessage.Data(piece, info.length, Arrays.copyOfRange(info, from, to));
  }
}
