package dev.bitwright.wire;

import dev.bitwright.wire.PeerMessage.AllowedFast;
import dev.bitwright.wire.PeerMessage.Bitfield;
import dev.bitwright.wire.PeerMessage.Cancel;
import dev.bitwright.wire.PeerMessage.Choke;
import dev.bitwright.wire.PeerMessage.Extended;
import dev.bitwright.wire.PeerMessage.HashRange;
import dev.bitwright.wire.PeerMessage.HashReject;
import dev.bitwright.wire.PeerMessage.HashRequest;
import dev.bitwright.wire.PeerMessage.Hashes;
import dev.bitwright.wire.PeerMessage.Have;
import dev.bitwright.wire.PeerMessage.HaveAll;
import dev.bitwright.wire.PeerMessage.HaveNone;
import dev.bitwright.wire.PeerMessage.Interested;
import dev.bitwright.wire.PeerMessage.KeepAlive;
import dev.bitwright.wire.PeerMessage.NotInterested;
import dev.bitwright.wire.PeerMessage.Piece;
import dev.bitwright.wire.PeerMessage.Port;
import dev.bitwright.wire.PeerMessage.Reject;
import dev.bitwright.wire.PeerMessage.Request;
import dev.bitwright.wire.PeerMessage.Suggest;
import dev.bitwright.wire.PeerMessage.Unchoke;
import dev.bitwright.wire.PeerMessage.Unknown;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes peer messages as length-prefixed frames. For uploads without copies, {@link
 * #encodePieceHeader} writes only the 13-byte header of a piece message; the data can then follow
 * straight from the file ({@code FileChannel.transferTo}).
 *
 * <p>All methods are static and thread-safe.
 */
public final class MessageEncoder {
  /** Length of a piece message's header: length prefix, id, index and offset. */
  public static final int PIECE_HEADER_LENGTH = 13;

  private MessageEncoder() {}

  /**
   * {@return the length of {@code message}'s frame, length prefix included}
   *
   * @param message any message but {@link PeerMessage.Unknown}
   */
  public static int encodedLength(PeerMessage message) {
    return 4 + payloadLength(message);
  }

  private static int payloadLength(PeerMessage m) {
    if (m instanceof KeepAlive) {
      return 0;
    }
    if (m instanceof Have || m instanceof Suggest || m instanceof AllowedFast) {
      return 5;
    }
    if (m instanceof Request || m instanceof Cancel || m instanceof Reject) {
      return 13;
    }
    if (m instanceof Bitfield b) {
      return 1 + b.length();
    }
    if (m instanceof Piece p) {
      return 9 + p.length();
    }
    if (m instanceof Port) {
      return 3;
    }
    if (m instanceof Extended e) {
      return 2 + e.payloadBuffer().remaining();
    }
    if (m instanceof HashRequest || m instanceof HashReject) {
      return 49;
    }
    if (m instanceof Hashes h) {
      return 49 + h.hashes().length;
    }
    if (m instanceof Unknown) {
      throw new IllegalArgumentException("an unknown message cannot be encoded");
    }
    return 1;
  }

  /**
   * {@return {@code message}'s frame in a new buffer, ready to read}
   *
   * @param message any message but {@link PeerMessage.Unknown}
   */
  public static ByteBuffer encode(PeerMessage message) {
    ByteBuffer out = ByteBuffer.allocate(encodedLength(message));
    encode(message, out);
    return out.flip();
  }

  /**
   * Writes {@code message}'s frame at the buffer's position.
   *
   * @param message any message but {@link PeerMessage.Unknown}
   * @param out the buffer to write into, in write mode; its position advances by the frame's length
   * @throws BufferOverflowException if it does not fit; nothing is written then
   * @throws IllegalArgumentException for an {@link PeerMessage.Unknown} message
   */
  public static void encode(PeerMessage message, ByteBuffer out) {
    int payload = payloadLength(message);
    if (out.remaining() < 4 + payload) {
      throw new BufferOverflowException();
    }
    ByteOrder order = out.order();
    out.order(ByteOrder.BIG_ENDIAN);
    try {
      encodeBigEndian(message, payload, out);
    } finally {
      out.order(order);
    }
  }

  private static void encodeBigEndian(PeerMessage message, int payload, ByteBuffer out) {
    out.putInt(payload);
    if (payload == 0) {
      return;
    }
    if (message instanceof Choke) {
      out.put((byte) PeerMessage.CHOKE);
    } else if (message instanceof Unchoke) {
      out.put((byte) PeerMessage.UNCHOKE);
    } else if (message instanceof Interested) {
      out.put((byte) PeerMessage.INTERESTED);
    } else if (message instanceof NotInterested) {
      out.put((byte) PeerMessage.NOT_INTERESTED);
    } else if (message instanceof HaveAll) {
      out.put((byte) PeerMessage.HAVE_ALL);
    } else if (message instanceof HaveNone) {
      out.put((byte) PeerMessage.HAVE_NONE);
    } else if (message instanceof Have h) {
      out.put((byte) PeerMessage.HAVE).putInt(h.piece());
    } else if (message instanceof Suggest s) {
      out.put((byte) PeerMessage.SUGGEST).putInt(s.piece());
    } else if (message instanceof AllowedFast a) {
      out.put((byte) PeerMessage.ALLOWED_FAST).putInt(a.piece());
    } else if (message instanceof Bitfield b) {
      out.put((byte) PeerMessage.BITFIELD).put(b.bits());
    } else if (message instanceof Request r) {
      block(out, PeerMessage.REQUEST, r.piece(), r.offset(), r.length());
    } else if (message instanceof Cancel c) {
      block(out, PeerMessage.CANCEL, c.piece(), c.offset(), c.length());
    } else if (message instanceof Reject r) {
      block(out, PeerMessage.REJECT, r.piece(), r.offset(), r.length());
    } else if (message instanceof Piece p) {
      out.put((byte) PeerMessage.PIECE).putInt(p.piece()).putInt(p.offset()).put(p.data());
    } else if (message instanceof Port p) {
      out.put((byte) PeerMessage.PORT).putShort((short) p.port());
    } else if (message instanceof Extended e) {
      out.put((byte) PeerMessage.EXTENDED).put((byte) e.id()).put(e.payloadBuffer());
    } else if (message instanceof HashRequest r) {
      hashRange(out.put((byte) PeerMessage.HASH_REQUEST), r.request());
    } else if (message instanceof HashReject r) {
      hashRange(out.put((byte) PeerMessage.HASH_REJECT), r.request());
    } else if (message instanceof Hashes h) {
      hashRange(out.put((byte) PeerMessage.HASHES), h.request()).put(h.hashes());
    }
  }

  /**
   * Writes the 13-byte header of a piece message whose {@code length} data bytes the caller sends
   * next.
   *
   * @param piece the piece index
   * @param offset the offset of the block in the piece
   * @param length the number of data bytes that follow the header
   * @param out the buffer to write into, in write mode
   * @throws BufferOverflowException if fewer than 13 bytes remain
   */
  public static void encodePieceHeader(int piece, int offset, int length, ByteBuffer out) {
    if (out.remaining() < PIECE_HEADER_LENGTH) {
      throw new BufferOverflowException();
    }
    ByteOrder order = out.order();
    out.order(ByteOrder.BIG_ENDIAN)
        .putInt(9 + length)
        .put((byte) PeerMessage.PIECE)
        .putInt(piece)
        .putInt(offset)
        .order(order);
  }

  /**
   * Writes a request message; the same as encoding a {@link Request} without creating it.
   *
   * @param piece the piece index
   * @param offset the offset of the block in the piece
   * @param length the block length
   * @param out the buffer to write into, in write mode
   * @throws BufferOverflowException if fewer than 17 bytes remain
   */
  public static void encodeRequest(int piece, int offset, int length, ByteBuffer out) {
    if (out.remaining() < 17) {
      throw new BufferOverflowException();
    }
    ByteOrder order = out.order();
    out.order(ByteOrder.BIG_ENDIAN).putInt(13);
    block(out, PeerMessage.REQUEST, piece, offset, length);
    out.order(order);
  }

  private static void block(ByteBuffer out, int id, int piece, int offset, int length) {
    out.put((byte) id).putInt(piece).putInt(offset).putInt(length);
  }

  private static ByteBuffer hashRange(ByteBuffer out, HashRange r) {
    return out.put(r.piecesRoot())
        .putInt(r.baseLayer())
        .putInt(r.index())
        .putInt(r.length())
        .putInt(r.proofLayers());
  }
}
