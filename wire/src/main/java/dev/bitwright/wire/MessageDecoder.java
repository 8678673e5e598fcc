package dev.bitwright.wire;

import static com.google.common.base.Preconditions.checkNotNull;

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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jspecify.annotations.Nullable;

/**
 * Reads length-prefixed peer messages from a byte stream, one complete frame at a time.
 *
 * <p>The decoder contract: {@link #decode(ByteBuffer)} takes a buffer in read mode, consumes one
 * complete frame and returns its message, or returns {@code null} and leaves the position at the
 * start of an incomplete frame, so the caller can read more bytes and call again. It keeps no
 * reference to the buffer. The same messages come out whether the bytes arrive whole, one at a time
 * or split anywhere.
 *
 * <p>Every field is checked before anything is allocated: the length prefix against {@link
 * WireLimits#maxMessageLength()}, fixed-size messages for their exact size, piece indices against
 * the piece count, blocks against the piece size, requests against {@link
 * WireLimits#maxRequestLength()}, the bitfield's size and spare bits. A violation raises {@link
 * WireException} with the offset of the frame; the position is then unchanged. A {@link Piece}'s
 * data is a view of the input, not a copy.
 *
 * <p>Not thread-safe: one decoder per connection; it is cheap.
 */
public final class MessageDecoder {
  private static final KeepAlive KEEP_ALIVE = new KeepAlive();
  private static final Choke CHOKE = new Choke();
  private static final Unchoke UNCHOKE = new Unchoke();
  private static final Interested INTERESTED = new Interested();
  private static final NotInterested NOT_INTERESTED = new NotInterested();
  private static final HaveAll HAVE_ALL = new HaveAll();
  private static final HaveNone HAVE_NONE = new HaveNone();

  private WireLimits limits;
  private long consumed;

  /**
   * Creates a decoder checking against {@code limits}.
   *
   * @param limits what frames and fields to accept, such as {@link WireLimits#unknownTorrent()}
   */
  public MessageDecoder(WireLimits limits) {
    this.limits = checkNotNull(limits);
  }

  /**
   * Replaces the limits, as when a magnet link's metadata arrives.
   *
   * @param limits the limits that apply to the next frames
   */
  public void setLimits(WireLimits limits) {
    this.limits = checkNotNull(limits);
  }

  /** {@return the limits} */
  public WireLimits limits() {
    return limits;
  }

  /** {@return how many bytes this decoder has consumed in all (for error offsets)} */
  public long consumed() {
    return consumed;
  }

  /**
   * Decodes the next complete message.
   *
   * @param in the received bytes, in read mode; the position moves past the decoded frame and stays
   *     at the start of an incomplete one
   * @return the message, or {@code null} if the buffer holds no complete frame yet
   * @throws WireException if the frame breaks the protocol
   */
  public @Nullable PeerMessage decode(ByteBuffer in) throws WireException {
    // The protocol is big-endian whatever order the caller's buffer is in.
    ByteOrder order = in.order();
    in.order(ByteOrder.BIG_ENDIAN);
    try {
      return decodeBigEndian(in);
    } finally {
      in.order(order);
    }
  }

  private @Nullable PeerMessage decodeBigEndian(ByteBuffer in) throws WireException {
    int start = in.position();
    if (in.remaining() < 4) {
      return null;
    }
    long length = in.getInt(start) & 0xffffffffL;
    if (length > limits.maxMessageLength()) {
      throw error(
          "message of " + length + " bytes exceeds the limit of " + limits.maxMessageLength(), 0);
    }
    if (in.remaining() - 4 < length) {
      return null;
    }
    if (length == 0) {
      in.position(start + 4);
      consumed += 4;
      return KEEP_ALIVE;
    }
    int id = in.get(start + 4) & 0xff;
    int payload = (int) length - 1;
    int body = start + 5;
    PeerMessage message = parse(in, id, body, payload);
    in.position(body + payload);
    consumed += 4 + length;
    return message;
  }

  private PeerMessage parse(ByteBuffer in, int id, int at, int payload) throws WireException {
    switch (id) {
      case PeerMessage.CHOKE:
        return fixed(payload, 0, CHOKE);
      case PeerMessage.UNCHOKE:
        return fixed(payload, 0, UNCHOKE);
      case PeerMessage.INTERESTED:
        return fixed(payload, 0, INTERESTED);
      case PeerMessage.NOT_INTERESTED:
        return fixed(payload, 0, NOT_INTERESTED);
      case PeerMessage.HAVE_ALL:
        return fixed(payload, 0, HAVE_ALL);
      case PeerMessage.HAVE_NONE:
        return fixed(payload, 0, HAVE_NONE);
      case PeerMessage.HAVE:
        size(payload, 4, "have");
        return new Have(piece(in.getInt(at)));
      case PeerMessage.SUGGEST:
        size(payload, 4, "suggest");
        return new Suggest(piece(in.getInt(at)));
      case PeerMessage.ALLOWED_FAST:
        size(payload, 4, "allowed fast");
        return new AllowedFast(piece(in.getInt(at)));
      case PeerMessage.BITFIELD:
        return bitfield(in, at, payload);
      case PeerMessage.REQUEST:
        size(payload, 12, "request");
        checkRequest(in, at, true);
        return new Request(in.getInt(at), in.getInt(at + 4), in.getInt(at + 8));
      case PeerMessage.CANCEL:
        size(payload, 12, "cancel");
        checkRequest(in, at, false);
        return new Cancel(in.getInt(at), in.getInt(at + 4), in.getInt(at + 8));
      case PeerMessage.REJECT:
        size(payload, 12, "reject");
        checkRequest(in, at, false);
        return new Reject(in.getInt(at), in.getInt(at + 4), in.getInt(at + 8));
      case PeerMessage.PIECE:
        return piece(in, at, payload);
      case PeerMessage.PORT:
        size(payload, 2, "port");
        return new Port(in.getShort(at) & 0xffff);
      case PeerMessage.EXTENDED:
        if (payload < 1) {
          throw error("extended message without an id", 0);
        }
        byte[] data = new byte[payload - 1];
        in.get(at + 1, data);
        return new Extended(in.get(at) & 0xff, data);
      case PeerMessage.HASH_REQUEST:
        size(payload, 48, "hash request");
        return new HashRequest(hashRange(in, at));
      case PeerMessage.HASH_REJECT:
        size(payload, 48, "hash reject");
        return new HashReject(hashRange(in, at));
      case PeerMessage.HASHES:
        return hashes(in, at, payload);
      default:
        return new Unknown(id, payload);
    }
  }

  private PeerMessage fixed(int payload, int expected, PeerMessage message) throws WireException {
    if (payload != expected) {
      throw error("message id of a payload-less message carries " + payload + " bytes", 0);
    }
    return message;
  }

  private void size(int payload, int expected, String name) throws WireException {
    if (payload != expected) {
      throw error(name + " message of " + payload + " bytes, expected " + expected, 0);
    }
  }

  private int piece(int index) throws WireException {
    if (index < 0 || (limits.knowsPieces() && index >= limits.pieceCount())) {
      throw error("piece index " + (index & 0xffffffffL) + " out of range", 5);
    }
    return index;
  }

  private Bitfield bitfield(ByteBuffer in, int at, int payload) throws WireException {
    if (limits.knowsPieces()) {
      int expected = (limits.pieceCount() + 7) / 8;
      if (payload != expected) {
        throw error("bitfield of " + payload + " bytes, expected " + expected, 0);
      }
      int spare = expected * 8 - limits.pieceCount();
      if (spare > 0 && (in.get(at + payload - 1) & ((1 << spare) - 1)) != 0) {
        throw error("bitfield has spare bits set", 5 + payload - 1);
      }
    }
    byte[] bits = new byte[payload];
    in.get(at, bits);
    return new Bitfield(bits);
  }

  /** Checks (piece, offset, length) of a request-shaped message. */
  private void checkRequest(ByteBuffer in, int at, boolean ours) throws WireException {
    int piece = piece(in.getInt(at));
    int offset = in.getInt(at + 4);
    int length = in.getInt(at + 8);
    if (length <= 0 || (ours && length > limits.maxRequestLength())) {
      throw error("invalid block length " + (length & 0xffffffffL), 13);
    }
    checkInsidePiece(piece, offset, length);
  }

  private void checkInsidePiece(int piece, int offset, int length) throws WireException {
    long end = (long) offset + length;
    if (offset < 0 || (limits.knowsPieces() && end > limits.pieceSize().applyAsInt(piece))) {
      throw error("block " + offset + "+" + length + " outside piece " + piece, 9);
    }
  }

  private Piece piece(ByteBuffer in, int at, int payload) throws WireException {
    if (payload < 8) {
      throw error("piece message of " + payload + " bytes", 0);
    }
    int piece = piece(in.getInt(at));
    int offset = in.getInt(at + 4);
    int length = payload - 8;
    checkInsidePiece(piece, offset, length);
    return new Piece(piece, offset, in.slice(at + 8, length));
  }

  private HashRange hashRange(ByteBuffer in, int at) throws WireException {
    byte[] root = new byte[32];
    in.get(at, root);
    int base = in.getInt(at + 32);
    int index = in.getInt(at + 36);
    int length = in.getInt(at + 40);
    int proof = in.getInt(at + 44);
    if (base < 0
        || index < 0
        || proof < 0
        || length < 1 // BEP 52 says 2; libtorrent asks for 1 hash after 512k pieces
        || Integer.bitCount(length) != 1
        || index % length != 0) {
      throw error("invalid hash range", 5 + 32);
    }
    return new HashRange(root, base, index, length, proof);
  }

  private Hashes hashes(ByteBuffer in, int at, int payload) throws WireException {
    if (payload < 48 || (payload - 48) % 32 != 0) {
      throw error("hashes message of " + payload + " bytes", 0);
    }
    HashRange range = hashRange(in, at);
    byte[] hashes = new byte[payload - 48];
    in.get(at + 48, hashes);
    return new Hashes(range, hashes);
  }

  private WireException error(String message, int inFrame) {
    return new WireException(message, consumed + inFrame);
  }
}
