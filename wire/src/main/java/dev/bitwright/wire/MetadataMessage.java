package dev.bitwright.wire;

import static com.google.common.base.Preconditions.checkArgument;

import dev.bitwright.bencode.BencodeDecoder;
import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeEncoder;
import dev.bitwright.bencode.BencodeException;
import dev.bitwright.bencode.BencodeInteger;
import dev.bitwright.bencode.BencodeValue;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A {@code ut_metadata} message (BEP 9): the info dictionary moves between peers in 16 KiB pieces.
 * The payload is a bencoded dictionary, followed for {@link Data} by the piece's raw bytes.
 */
public sealed interface MetadataMessage {
  /** Size of a metadata piece; only the last is shorter. */
  int PIECE_SIZE = 16 * 1024;

  /**
   * Asks for a piece.
   *
   * @param piece the piece index
   */
  record Request(int piece) implements MetadataMessage {
    /**
     * Creates the message.
     *
     * @param piece the piece index
     */
    public Request {
      checkArgument(piece >= 0, "negative piece");
    }
  }

  /**
   * A piece of the metadata.
   *
   * @param piece the piece index
   * @param totalSize the size of the whole info dictionary
   * @param data the piece's bytes (copied)
   */
  record Data(int piece, int totalSize, byte[] data) implements MetadataMessage {
    /**
     * Creates the message from a copy of {@code data}.
     *
     * @param piece the piece index
     * @param totalSize the size of the whole info dictionary
     * @param data the piece's bytes (copied)
     */
    public Data {
      checkArgument(piece >= 0 && totalSize >= 0, "negative field");
      checkArgument(data.length <= PIECE_SIZE, "a metadata piece has at most 16 KiB");
      data = data.clone();
    }

    /** {@return a copy of the bytes} */
    @Override
    public byte[] data() {
      return data.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Data d
          && piece == d.piece
          && totalSize == d.totalSize
          && Arrays.equals(data, d.data);
    }

    @Override
    public int hashCode() {
      return (piece * 31 + totalSize) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "Data[piece=" + piece + ", totalSize=" + totalSize + ", " + data.length + " bytes]";
    }
  }

  /**
   * The sender will not send a piece.
   *
   * @param piece the piece index
   */
  record Reject(int piece) implements MetadataMessage {
    /**
     * Creates the message.
     *
     * @param piece the piece index
     */
    public Reject {
      checkArgument(piece >= 0, "negative piece");
    }
  }

  /**
   * A well-formed message of a type this library does not know; BEP 9 says to ignore it.
   *
   * @param type the {@code msg_type}
   * @param piece the piece index
   */
  record Unknown(int type, int piece) implements MetadataMessage {}

  /** {@return the extended-message payload} */
  default byte[] encode() {
    BencodeDictionary.Builder d = BencodeDictionary.builder();
    byte[] tail = new byte[0];
    if (this instanceof Request r) {
      d.put("msg_type", 0).put("piece", r.piece());
    } else if (this instanceof Data m) {
      d.put("msg_type", 1).put("piece", m.piece()).put("total_size", m.totalSize());
      tail = m.data();
    } else if (this instanceof Reject r) {
      d.put("msg_type", 2).put("piece", r.piece());
    } else if (this instanceof Unknown u) {
      d.put("msg_type", u.type()).put("piece", u.piece());
    }
    byte[] head = BencodeEncoder.encode(d.build());
    byte[] out = Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, out, head.length, tail.length);
    return out;
  }

  /**
   * Reads an extended-message payload.
   *
   * @param payload the extended message's payload
   * @return the request, data or reject message, or {@link Unknown} for an unknown type
   * @throws WireException if it is malformed: not a dictionary, a negative or missing field,
   *     trailing bytes on a request or reject, or data over 16 KiB (a message of an unknown type is
   *     returned as {@link Unknown})
   */
  static MetadataMessage decode(byte[] payload) throws WireException {
    ByteBuffer in = ByteBuffer.wrap(payload);
    BencodeValue value;
    try {
      value = BencodeDecoder.builder().maxDepth(4).maxValues(64).build().decodePrefix(in);
    } catch (BencodeException e) {
      throw new WireException("malformed ut_metadata message: " + e.getMessage(), e.offset());
    }
    if (!(value instanceof BencodeDictionary d)) {
      throw new WireException("ut_metadata message is not a dictionary", 0);
    }
    long type = integer(d, "msg_type");
    long piece = integer(d, "piece");
    if (piece < 0 || piece > Integer.MAX_VALUE) {
      throw new WireException("ut_metadata piece out of range", 0);
    }
    int rest = in.remaining();
    if (type == 1) {
      long total = integer(d, "total_size");
      if (total < 0 || total > Integer.MAX_VALUE || rest > PIECE_SIZE) {
        throw new WireException("ut_metadata data out of range", in.position());
      }
      return new Data(
          (int) piece, (int) total, Arrays.copyOfRange(payload, in.position(), payload.length));
    }
    if (type != 0 && type != 2) {
      if (type < 0 || type > Integer.MAX_VALUE) {
        throw new WireException("ut_metadata msg_type out of range", 0);
      }
      return new Unknown((int) type, (int) piece);
    }
    if (rest != 0) {
      throw new WireException("ut_metadata message with trailing bytes", in.position());
    }
    return type == 0 ? new Request((int) piece) : new Reject((int) piece);
  }

  private static long integer(BencodeDictionary d, String key) throws WireException {
    if (d.get(key).orElse(null) instanceof BencodeInteger i) {
      return i.value();
    }
    throw new WireException("ut_metadata message without an integer " + key, 0);
  }
}
