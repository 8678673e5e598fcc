package dev.bitwright.wire;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.function.IntUnaryOperator;

/**
 * What the {@link MessageDecoder} checks messages against: the torrent's pieces (when known) and
 * the largest messages it accepts.
 *
 * @param pieceCount the number of pieces, or -1 while the torrent's metadata is not known (piece
 *     indices are then only checked to be non-negative)
 * @param pieceSize the size of each piece, by index; used only when {@code pieceCount >= 0}
 * @param maxRequestLength the largest block a peer may request from us (default 16 KiB)
 * @param maxMessageLength the largest message accepted, checked before anything is read or
 *     allocated for it
 */
public record WireLimits(
    int pieceCount, IntUnaryOperator pieceSize, int maxRequestLength, int maxMessageLength) {
  /** The block size every client uses, and the largest request served by default: 16 KiB. */
  public static final int BLOCK_SIZE = 16 * 1024;

  /**
   * The default largest message: a 16 KiB piece message, or an extended message of 1 MiB (BEP 9
   * metadata pieces are 16 KiB; the headroom is for extension handshakes and PEX).
   */
  public static final int DEFAULT_MAX_MESSAGE_LENGTH = 1 << 20;

  /**
   * Creates limits.
   *
   * @param pieceCount the number of pieces, or -1 while the torrent's metadata is not known (piece
   *     indices are then only checked to be non-negative)
   * @param pieceSize the size of each piece, by index; used only when {@code pieceCount >= 0}
   * @param maxRequestLength the largest block a peer may request from us (default 16 KiB)
   * @param maxMessageLength the largest message accepted, checked before anything is read or
   *     allocated for it
   */
  public WireLimits {
    checkNotNull(pieceSize);
    checkArgument(pieceCount >= -1, "pieceCount must be -1 or more");
    checkArgument(maxRequestLength > 0, "maxRequestLength must be positive");
    checkArgument(maxMessageLength >= 13 + BLOCK_SIZE, "maxMessageLength too small");
  }

  /**
   * Limits for a connection before the torrent's metadata is known.
   *
   * @return limits that accept any non-negative piece index, requests of up to {@link #BLOCK_SIZE}
   *     and messages of up to {@link #DEFAULT_MAX_MESSAGE_LENGTH}
   */
  public static WireLimits unknownTorrent() {
    return new WireLimits(-1, p -> Integer.MAX_VALUE, BLOCK_SIZE, DEFAULT_MAX_MESSAGE_LENGTH);
  }

  /**
   * Limits for a torrent of {@code pieceCount} pieces. The largest message is at least big enough
   * for the torrent's bitfield.
   *
   * @param pieceCount the torrent's number of pieces; not negative
   * @param pieceSize the size of piece {@code i}
   * @return limits that check piece indices and block ranges against the torrent's pieces
   */
  public static WireLimits forTorrent(int pieceCount, IntUnaryOperator pieceSize) {
    checkArgument(pieceCount >= 0, "negative piece count");
    int bitfield = (int) Math.min(Integer.MAX_VALUE, 1L + (pieceCount + 7L) / 8);
    return new WireLimits(
        pieceCount, pieceSize, BLOCK_SIZE, Math.max(DEFAULT_MAX_MESSAGE_LENGTH, bitfield));
  }

  /** {@return whether the torrent's pieces are known} */
  public boolean knowsPieces() {
    return pieceCount >= 0;
  }
}
