package dev.bitwright.wire;

import static com.google.common.base.Preconditions.checkArgument;

import java.nio.ByteBuffer;

/**
 * An {@code lt_donthave} message (BEP 54): the sender no longer has a piece it announced. The
 * payload is the piece index as a 4-byte big-endian integer.
 *
 * @param piece the piece index
 */
public record DontHave(int piece) {
  /**
   * Creates the message; {@code piece} must not be negative.
   *
   * @param piece the piece index
   */
  public DontHave {
    checkArgument(piece >= 0, "negative piece %s", piece);
  }

  /** {@return the extended-message payload} */
  public byte[] encode() {
    return ByteBuffer.allocate(4).putInt(piece).array();
  }

  /**
   * Reads an extended-message payload.
   *
   * @param payload the extended message's payload
   * @param pieceCount the torrent's number of pieces
   * @return the message
   * @throws WireException if the payload is not 4 bytes or the index is out of range
   */
  public static DontHave decode(byte[] payload, int pieceCount) throws WireException {
    if (payload.length != 4) {
      throw new WireException("lt_donthave payload of " + payload.length + " bytes", 0);
    }
    int piece = ByteBuffer.wrap(payload).getInt();
    if (piece < 0 || piece >= pieceCount) {
      throw new WireException("lt_donthave piece " + (piece & 0xffffffffL) + " out of range", 0);
    }
    return new DontHave(piece);
  }
}
