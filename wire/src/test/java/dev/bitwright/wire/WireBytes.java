package dev.bitwright.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.wire.PeerMessage.Piece;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Byte helpers shared by the wire tests. */
final class WireBytes {
  private WireBytes() {}

  /** Parses hex, ignoring spaces, newlines and underscores (for golden bytes written by hand). */
  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replaceAll("[\\s_]", ""));
  }

  /** Returns the hex of {@code bytes}, lower case. */
  static String toHex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  /** Returns a copy of the remaining bytes of {@code buffer}, without moving its position. */
  static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }

  /** Returns the concatenation of {@code parts}. */
  static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] p : parts) {
      length += p.length;
    }
    ByteBuffer out = ByteBuffer.allocate(length);
    for (byte[] p : parts) {
      out.put(p);
    }
    return out.array();
  }

  /** Returns {@code message}'s encoding as a byte array. */
  static byte[] encoded(PeerMessage message) {
    return bytes(MessageEncoder.encode(message));
  }

  /**
   * Replaces a piece's data view by a copy, so that the message stays valid after its input buffer
   * changes; other messages are returned as they are.
   */
  static PeerMessage detach(PeerMessage message) {
    if (message instanceof Piece p) {
      return new Piece(p.piece(), p.offset(), ByteBuffer.wrap(bytes(p.data())));
    }
    return message;
  }

  /**
   * Decodes every complete message in {@code in} with {@code decoder}, detaching piece data. Each
   * message must consume at least the 4-byte prefix, so the loop always ends.
   */
  static List<PeerMessage> decodeAll(MessageDecoder decoder, ByteBuffer in) throws WireException {
    List<PeerMessage> out = new ArrayList<>();
    while (true) {
      int before = in.position();
      PeerMessage m = decoder.decode(in);
      if (m == null) {
        assertThat(in.position()).isEqualTo(before);
        return out;
      }
      assertThat(in.position() - before).isGreaterThanOrEqualTo(4);
      out.add(detach(m));
    }
  }

  /**
   * Feeds {@code stream} to {@code decoder} through a receive buffer, as a connection does: append
   * a chunk, decode all complete messages, compact. The chunks have the given lengths (cycled).
   */
  static List<PeerMessage> decodeInChunks(
      MessageDecoder decoder, byte[] stream, int[] chunkLengths, boolean direct)
      throws WireException {
    int capacity = stream.length + 1;
    ByteBuffer rx = direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    List<PeerMessage> out = new ArrayList<>();
    int at = 0;
    int chunk = 0;
    while (at < stream.length) {
      int n =
          Math.min(Math.max(1, chunkLengths[chunk++ % chunkLengths.length]), stream.length - at);
      rx.put(stream, at, n);
      at += n;
      rx.flip();
      out.addAll(decodeAll(decoder, rx));
      rx.compact();
    }
    assertThat(rx.position()).as("bytes left undecoded").isZero();
    return out;
  }
}
