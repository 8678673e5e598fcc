package dev.bitwright.wire;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.io.BaseEncoding;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A message of the peer wire protocol after the handshake: BEP 3, the Fast extension (BEP 6), the
 * extension protocol (BEP 10) and the v2 hash messages (BEP 52). Every message is an immutable
 * record; {@link MessageDecoder} reads them and {@link MessageEncoder} writes them.
 *
 * <p>To act on a decoded message, implement {@link Handler} and call {@link #dispatch}: each type
 * calls its own method, so a new message type does not compile until every handler handles it.
 */
public sealed interface PeerMessage {
  /** Message id of {@link Choke}. */
  int CHOKE = 0;

  /** Message id of {@link Unchoke}. */
  int UNCHOKE = 1;

  /** Message id of {@link Interested}. */
  int INTERESTED = 2;

  /** Message id of {@link NotInterested}. */
  int NOT_INTERESTED = 3;

  /** Message id of {@link Have}. */
  int HAVE = 4;

  /** Message id of {@link Bitfield}. */
  int BITFIELD = 5;

  /** Message id of {@link Request}. */
  int REQUEST = 6;

  /** Message id of {@link Piece}. */
  int PIECE = 7;

  /** Message id of {@link Cancel}. */
  int CANCEL = 8;

  /** Message id of {@link Port}. */
  int PORT = 9;

  /** Message id of {@link Suggest} (BEP 6). */
  int SUGGEST = 13;

  /** Message id of {@link HaveAll} (BEP 6). */
  int HAVE_ALL = 14;

  /** Message id of {@link HaveNone} (BEP 6). */
  int HAVE_NONE = 15;

  /** Message id of {@link Reject} (BEP 6). */
  int REJECT = 16;

  /** Message id of {@link AllowedFast} (BEP 6). */
  int ALLOWED_FAST = 17;

  /** Message id of {@link Extended} (BEP 10). */
  int EXTENDED = 20;

  /** Message id of {@link HashRequest} (BEP 52). */
  int HASH_REQUEST = 21;

  /** Message id of {@link Hashes} (BEP 52). */
  int HASHES = 22;

  /** Message id of {@link HashReject} (BEP 52). */
  int HASH_REJECT = 23;

  /**
   * Calls the method of {@code handler} for this message's type, with this message. It allocates
   * nothing: the cost is one virtual call.
   *
   * @param handler what acts on the message
   * @throws WireException what the handler throws
   */
  void dispatch(Handler handler) throws WireException;

  /**
   * Acts on peer messages by type, one method per type, called by {@link PeerMessage#dispatch} (the
   * model is Netty's {@code Http2FrameListener}). There are deliberately no default methods: a
   * message type added to {@link PeerMessage} adds a method here, and every handler then fails to
   * compile until it decides what the new message means to it.
   *
   * <p>A method throws {@link WireException} when the message, though well formed, breaks the
   * protocol in the state the handler knows (a have beyond the piece count, an undecodable
   * extension payload): the caller treats it like a decoding error, disconnecting the peer and
   * reporting why. The message is valid only for the call when it is a {@link Piece} from {@link
   * MessageDecoder}; the other messages are immutable and may be kept.
   */
  interface Handler {
    /**
     * Handles a keep-alive.
     *
     * @param message the message
     * @throws WireException if the message breaks the protocol in its context
     */
    void onKeepAlive(KeepAlive message) throws WireException;

    /**
     * Handles a choke: the peer will not serve our requests.
     *
     * @param message the message
     * @throws WireException if the message breaks the protocol in its context
     */
    void onChoke(Choke message) throws WireException;

    /**
     * Handles an unchoke: the peer will serve our requests.
     *
     * @param message the message
     * @throws WireException if the message breaks the protocol in its context
     */
    void onUnchoke(Unchoke message) throws WireException;

    /**
     * Handles an interested: the peer wants pieces we have.
     *
     * @param message the message
     * @throws WireException if the message breaks the protocol in its context
     */
    void onInterested(Interested message) throws WireException;

    /**
     * Handles a not interested: the peer wants nothing from us.
     *
     * @param message the message
     * @throws WireException if the message breaks the protocol in its context
     */
    void onNotInterested(NotInterested message) throws WireException;

    /**
     * Handles a have: the peer completed a piece.
     *
     * @param message the message
     * @throws WireException if the message breaks the protocol in its context
     */
    void onHave(Have message) throws WireException;

    /**
     * Handles a bitfield: the pieces the peer has.
     *
     * @param message the message
     * @throws WireException if the message breaks the protocol in its context
     */
    void onBitfield(Bitfield message) throws WireException;

    /**
     * Handles a request for a block.
     *
     * @param message the message
     * @throws WireException if the message breaks the protocol in its context
     */
    void onRequest(Request message) throws WireException;

    /**
     * Handles a piece: a block of data, a view valid only until the decoder's input changes.
     *
     * @param message the message
     * @throws WireException if the message breaks the protocol in its context
     */
    void onPiece(Piece message) throws WireException;

    /**
     * Handles a cancel: the peer withdraws a request.
     *
     * @param message the message
     * @throws WireException if the message breaks the protocol in its context
     */
    void onCancel(Cancel message) throws WireException;

    /**
     * Handles a port: the peer's DHT port.
     *
     * @param message the message
     * @throws WireException if the message breaks the protocol in its context
     */
    void onPort(Port message) throws WireException;

    /**
     * Handles a suggest (BEP 6): advice to download a piece.
     *
     * @param message the message
     * @throws WireException if the message breaks the protocol in its context
     */
    void onSuggest(Suggest message) throws WireException;

    /**
     * Handles a have all (BEP 6): the peer has every piece.
     *
     * @param message the message
     * @throws WireException if the message breaks the protocol in its context
     */
    void onHaveAll(HaveAll message) throws WireException;

    /**
     * Handles a have none (BEP 6): the peer has no pieces.
     *
     * @param message the message
     * @throws WireException if the message breaks the protocol in its context
     */
    void onHaveNone(HaveNone message) throws WireException;

    /**
     * Handles a reject (BEP 6): the peer will not serve one of our requests.
     *
     * @param message the message
     * @throws WireException if the message breaks the protocol in its context
     */
    void onReject(Reject message) throws WireException;

    /**
     * Handles an allowed fast (BEP 6): a piece the peer serves even while choking us.
     *
     * @param message the message
     * @throws WireException if the message breaks the protocol in its context
     */
    void onAllowedFast(AllowedFast message) throws WireException;

    /**
     * Handles an extension protocol message (BEP 10), the extension handshake included.
     *
     * @param message the message
     * @throws WireException if the message breaks the protocol in its context
     */
    void onExtended(Extended message) throws WireException;

    /**
     * Handles a hash request (BEP 52).
     *
     * @param message the message
     * @throws WireException if the message breaks the protocol in its context
     */
    void onHashRequest(HashRequest message) throws WireException;

    /**
     * Handles merkle hashes (BEP 52).
     *
     * @param message the message
     * @throws WireException if the message breaks the protocol in its context
     */
    void onHashes(Hashes message) throws WireException;

    /**
     * Handles a hash reject (BEP 52).
     *
     * @param message the message
     * @throws WireException if the message breaks the protocol in its context
     */
    void onHashReject(HashReject message) throws WireException;

    /**
     * Handles a message whose id this library does not know (its payload was skipped).
     *
     * @param message the message
     * @throws WireException if the message breaks the protocol in its context
     */
    void onUnknown(Unknown message) throws WireException;
  }

  /** A message with no length: keeps an idle connection open. */
  record KeepAlive() implements PeerMessage {
    /** Calls {@link Handler#onKeepAlive}. */
    @Override
    public void dispatch(Handler handler) throws WireException {
      handler.onKeepAlive(this);
    }
  }

  /** The sender will not serve requests. */
  record Choke() implements PeerMessage {
    /** Calls {@link Handler#onChoke}. */
    @Override
    public void dispatch(Handler handler) throws WireException {
      handler.onChoke(this);
    }
  }

  /** The sender will serve requests. */
  record Unchoke() implements PeerMessage {
    /** Calls {@link Handler#onUnchoke}. */
    @Override
    public void dispatch(Handler handler) throws WireException {
      handler.onUnchoke(this);
    }
  }

  /** The sender wants pieces the receiver has. */
  record Interested() implements PeerMessage {
    /** Calls {@link Handler#onInterested}. */
    @Override
    public void dispatch(Handler handler) throws WireException {
      handler.onInterested(this);
    }
  }

  /** The sender wants nothing from the receiver. */
  record NotInterested() implements PeerMessage {
    /** Calls {@link Handler#onNotInterested}. */
    @Override
    public void dispatch(Handler handler) throws WireException {
      handler.onNotInterested(this);
    }
  }

  /** The sender has no pieces (BEP 6). */
  record HaveNone() implements PeerMessage {
    /** Calls {@link Handler#onHaveNone}. */
    @Override
    public void dispatch(Handler handler) throws WireException {
      handler.onHaveNone(this);
    }
  }

  /** The sender has every piece (BEP 6). */
  record HaveAll() implements PeerMessage {
    /** Calls {@link Handler#onHaveAll}. */
    @Override
    public void dispatch(Handler handler) throws WireException {
      handler.onHaveAll(this);
    }
  }

  /**
   * The sender completed and verified a piece.
   *
   * @param piece the piece index
   */
  record Have(int piece) implements PeerMessage {
    /** Calls {@link Handler#onHave}. */
    @Override
    public void dispatch(Handler handler) throws WireException {
      handler.onHave(this);
    }

    /**
     * Creates the message; {@code piece} must not be negative.
     *
     * @param piece the piece index
     */
    public Have {
      checkArgument(piece >= 0, "negative piece %s", piece);
    }
  }

  /**
   * The pieces the sender has: bit {@code i} (most significant bit first) for piece {@code i}.
   *
   * @param bits the bitfield bytes (copied)
   */
  record Bitfield(byte[] bits) implements PeerMessage {
    /** Calls {@link Handler#onBitfield}. */
    @Override
    public void dispatch(Handler handler) throws WireException {
      handler.onBitfield(this);
    }

    /**
     * Creates the message from a copy of {@code bits}.
     *
     * @param bits the bitfield bytes (copied)
     */
    public Bitfield {
      bits = checkNotNull(bits).clone();
    }

    /** {@return a copy of the bytes} */
    @Override
    public byte[] bits() {
      return bits.clone();
    }

    /**
     * {@return whether the bit of piece {@code piece} is set}
     *
     * @param piece a piece index; bits past the end of the bitfield count as not set
     */
    public boolean has(int piece) {
      int i = piece >>> 3;
      return piece >= 0 && i < bits.length && (bits[i] & (0x80 >>> (piece & 7))) != 0;
    }

    /** {@return the number of bytes} */
    public int length() {
      return bits.length;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Bitfield other && Arrays.equals(bits, other.bits);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bits);
    }

    @Override
    public String toString() {
      return "Bitfield[" + bits.length + " bytes]";
    }
  }

  /**
   * A request for a block.
   *
   * @param piece the piece index
   * @param offset the offset of the block in the piece
   * @param length the block length
   */
  record Request(int piece, int offset, int length) implements PeerMessage {
    /** Calls {@link Handler#onRequest}. */
    @Override
    public void dispatch(Handler handler) throws WireException {
      handler.onRequest(this);
    }

    /**
     * Creates the message; no field may be negative.
     *
     * @param piece the piece index
     * @param offset the offset of the block in the piece
     * @param length the block length
     */
    public Request {
      checkBlock(piece, offset, length);
    }
  }

  /**
   * Withdraws a request.
   *
   * @param piece the piece index
   * @param offset the offset of the block in the piece
   * @param length the block length
   */
  record Cancel(int piece, int offset, int length) implements PeerMessage {
    /** Calls {@link Handler#onCancel}. */
    @Override
    public void dispatch(Handler handler) throws WireException {
      handler.onCancel(this);
    }

    /**
     * Creates the message; no field may be negative.
     *
     * @param piece the piece index
     * @param offset the offset of the block in the piece
     * @param length the block length
     */
    public Cancel {
      checkBlock(piece, offset, length);
    }
  }

  /**
   * The sender will not serve a request (BEP 6).
   *
   * @param piece the piece index
   * @param offset the offset of the block in the piece
   * @param length the block length
   */
  record Reject(int piece, int offset, int length) implements PeerMessage {
    /** Calls {@link Handler#onReject}. */
    @Override
    public void dispatch(Handler handler) throws WireException {
      handler.onReject(this);
    }

    /**
     * Creates the message; no field may be negative.
     *
     * @param piece the piece index
     * @param offset the offset of the block in the piece
     * @param length the block length
     */
    public Reject {
      checkBlock(piece, offset, length);
    }
  }

  /**
   * A block of data.
   *
   * <p>From {@link MessageDecoder} the data is a read-only <em>view</em> of the decoder's input,
   * not a copy: it is valid until the caller next changes that buffer, so consume it (write it to
   * storage) before reading more into the buffer. That keeps the download path free of copies.
   *
   * @param piece the piece index
   * @param offset the offset of the block in the piece
   * @param data the block's bytes, from its position to its limit
   */
  record Piece(int piece, int offset, ByteBuffer data) implements PeerMessage {
    /** Calls {@link Handler#onPiece}. */
    @Override
    public void dispatch(Handler handler) throws WireException {
      handler.onPiece(this);
    }

    /**
     * Creates the message around a read-only view of {@code data}'s remaining bytes.
     *
     * @param piece the piece index
     * @param offset the offset of the block in the piece
     * @param data the block's bytes, from its position to its limit
     */
    public Piece {
      checkBlock(piece, offset, 0);
      data = data.slice().asReadOnlyBuffer();
    }

    /** {@return a read-only view of the data (a new view each call)} */
    @Override
    public ByteBuffer data() {
      return data.duplicate();
    }

    /** {@return the number of data bytes} */
    public int length() {
      return data.remaining();
    }

    @Override
    public String toString() {
      return "Piece[piece=" + piece + ", offset=" + offset + ", length=" + length() + "]";
    }
  }

  /**
   * The sender's DHT port (BEP 5).
   *
   * @param port the UDP port, 0 to 65535
   */
  record Port(int port) implements PeerMessage {
    /** Calls {@link Handler#onPort}. */
    @Override
    public void dispatch(Handler handler) throws WireException {
      handler.onPort(this);
    }

    /**
     * Creates the message.
     *
     * @param port the UDP port, 0 to 65535
     */
    public Port {
      checkArgument(port >= 0 && port <= 0xffff, "invalid port %s", port);
    }
  }

  /**
   * Advice to download a piece (BEP 6).
   *
   * @param piece the piece index
   */
  record Suggest(int piece) implements PeerMessage {
    /** Calls {@link Handler#onSuggest}. */
    @Override
    public void dispatch(Handler handler) throws WireException {
      handler.onSuggest(this);
    }

    /**
     * Creates the message; {@code piece} must not be negative.
     *
     * @param piece the piece index
     */
    public Suggest {
      checkArgument(piece >= 0, "negative piece %s", piece);
    }
  }

  /**
   * The sender will serve requests for this piece even while choking (BEP 6).
   *
   * @param piece the piece index
   */
  record AllowedFast(int piece) implements PeerMessage {
    /** Calls {@link Handler#onAllowedFast}. */
    @Override
    public void dispatch(Handler handler) throws WireException {
      handler.onAllowedFast(this);
    }

    /**
     * Creates the message; {@code piece} must not be negative.
     *
     * @param piece the piece index
     */
    public AllowedFast {
      checkArgument(piece >= 0, "negative piece %s", piece);
    }
  }

  /**
   * An extension protocol message (BEP 10): id 0 is the extension handshake, other ids are those
   * the receiver assigned in its handshake.
   *
   * @param id the extended message id, 0 to 255
   * @param payload the payload (copied)
   */
  record Extended(int id, byte[] payload) implements PeerMessage {
    /** Calls {@link Handler#onExtended}. */
    @Override
    public void dispatch(Handler handler) throws WireException {
      handler.onExtended(this);
    }

    /**
     * Creates the message from a copy of {@code payload}.
     *
     * @param id the extended message id, 0 to 255
     * @param payload the payload (copied)
     */
    public Extended {
      checkArgument(id >= 0 && id <= 0xff, "invalid extended id %s", id);
      payload = payload.clone();
    }

    /** {@return a copy of the payload} */
    @Override
    public byte[] payload() {
      return payload.clone();
    }

    /** {@return a read-only view of the payload} */
    public ByteBuffer payloadBuffer() {
      return ByteBuffer.wrap(payload).asReadOnlyBuffer();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Extended other && id == other.id && Arrays.equals(payload, other.payload);
    }

    @Override
    public int hashCode() {
      return 31 * id + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
      return "Extended[id=" + id + ", " + payload.length + " bytes]";
    }
  }

  /**
   * A request for merkle hashes of a v2 file (BEP 52).
   *
   * @param request what is asked
   */
  record HashRequest(HashRange request) implements PeerMessage {
    /** Calls {@link Handler#onHashRequest}. */
    @Override
    public void dispatch(Handler handler) throws WireException {
      handler.onHashRequest(this);
    }

    /**
     * Creates the message.
     *
     * @param request what is asked
     */
    public HashRequest {
      checkNotNull(request);
    }
  }

  /**
   * Refuses a hash request (BEP 52).
   *
   * @param request what was asked
   */
  record HashReject(HashRange request) implements PeerMessage {
    /** Calls {@link Handler#onHashReject}. */
    @Override
    public void dispatch(Handler handler) throws WireException {
      handler.onHashReject(this);
    }

    /**
     * Creates the message.
     *
     * @param request what was asked
     */
    public HashReject {
      checkNotNull(request);
    }
  }

  /**
   * Merkle hashes answering a {@link HashRequest} (BEP 52): the requested hashes of the base layer
   * followed by the uncle hashes of the proof.
   *
   * @param request what was asked
   * @param hashes the concatenated 32-byte hashes (copied)
   */
  record Hashes(HashRange request, byte[] hashes) implements PeerMessage {
    /** Calls {@link Handler#onHashes}. */
    @Override
    public void dispatch(Handler handler) throws WireException {
      handler.onHashes(this);
    }

    /**
     * Creates the message from a copy of {@code hashes}, a multiple of 32 bytes.
     *
     * @param request what was asked
     * @param hashes the concatenated 32-byte hashes (copied)
     */
    public Hashes {
      checkNotNull(request);
      checkArgument(hashes.length % 32 == 0, "hashes must be a multiple of 32 bytes");
      hashes = hashes.clone();
    }

    /** {@return a copy of the hashes} */
    @Override
    public byte[] hashes() {
      return hashes.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Hashes other
          && request.equals(other.request)
          && Arrays.equals(hashes, other.hashes);
    }

    @Override
    public int hashCode() {
      return 31 * request.hashCode() + Arrays.hashCode(hashes);
    }

    @Override
    public String toString() {
      return "Hashes[" + request + ", " + hashes.length / 32 + " hashes]";
    }
  }

  /**
   * The payload shared by the BEP 52 hash messages.
   *
   * @param piecesRoot the file's 32-byte pieces root (copied)
   * @param baseLayer the lowest layer asked for, counted from the leaves (0)
   * @param index the index of the first hash in the base layer, a multiple of {@code length}
   * @param length the number of base-layer hashes, a power of two (BEP 52 asks for at least 2;
   *     libtorrent asks for 1 for the last range of a file of 512k + 1 pieces)
   * @param proofLayers the number of ancestor layers whose uncle hashes are wanted
   */
  record HashRange(byte[] piecesRoot, int baseLayer, int index, int length, int proofLayers) {
    /**
     * Creates the range; every count must be non-negative and the root 32 bytes.
     *
     * @param piecesRoot the file's 32-byte pieces root (copied)
     * @param baseLayer the lowest layer asked for, counted from the leaves (0)
     * @param index the index of the first hash in the base layer, a multiple of {@code length}
     * @param length the number of base-layer hashes, a power of two (BEP 52 asks for at least 2;
     *     libtorrent asks for 1 for the last range of a file of 512k + 1 pieces)
     * @param proofLayers the number of ancestor layers whose uncle hashes are wanted
     */
    public HashRange {
      checkArgument(piecesRoot.length == 32, "a pieces root has 32 bytes");
      checkArgument(
          baseLayer >= 0 && index >= 0 && length >= 0 && proofLayers >= 0,
          "negative field in hash range");
      piecesRoot = piecesRoot.clone();
    }

    /** {@return a copy of the pieces root} */
    @Override
    public byte[] piecesRoot() {
      return piecesRoot.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof HashRange r
          && Arrays.equals(piecesRoot, r.piecesRoot)
          && baseLayer == r.baseLayer
          && index == r.index
          && length == r.length
          && proofLayers == r.proofLayers;
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(piecesRoot) * 31
          + Arrays.hashCode(new int[] {baseLayer, index, length, proofLayers});
    }

    @Override
    public String toString() {
      return "HashRange[root="
          + BaseEncoding.base16().lowerCase().encode(piecesRoot)
          + ", base="
          + baseLayer
          + ", index="
          + index
          + ", length="
          + length
          + ", proof="
          + proofLayers
          + "]";
    }
  }

  /**
   * A message with an id this library does not know; its payload was skipped.
   *
   * @param id the message id
   * @param length the payload length that was skipped
   */
  record Unknown(int id, int length) implements PeerMessage {
    /** Calls {@link Handler#onUnknown}. */
    @Override
    public void dispatch(Handler handler) throws WireException {
      handler.onUnknown(this);
    }
  }

  private static void checkBlock(int piece, int offset, int length) {
    // Not checkArgument: its varargs would box three ints for every block message.
    if (piece < 0 || offset < 0 || length < 0) {
      throw new IllegalArgumentException(
          "negative block field " + piece + "/" + offset + "/" + length);
    }
  }
}
