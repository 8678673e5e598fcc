package dev.bitwright.utp.internal;

import dev.bitwright.utp.UtpException;
import java.nio.ByteBuffer;

/**
 * One uTP packet's header (BEP 29), decoded in place: a reusable holder, so that no packet costs an
 * allocation. After {@link #decode} the payload and the selective-ack bitmask are ranges of the
 * datagram, valid while it is.
 *
 * <pre>
 * 0       4       8               16              24              32
 * +-------+-------+---------------+---------------+---------------+
 * | type  | ver   | extension     | connection_id                 |
 * | timestamp_microseconds                                        |
 * | timestamp_difference_microseconds                             |
 * | wnd_size                                                      |
 * | seq_nr                        | ack_nr                        |
 * </pre>
 */
public final class Packet {
  /** Bytes of the fixed header. */
  public static final int HEADER_BYTES = 20;

  /** Regular data. */
  public static final int ST_DATA = 0;

  /** The last packet of the sender's stream. */
  public static final int ST_FIN = 1;

  /** An acknowledgement, carrying no data and taking no sequence number. */
  public static final int ST_STATE = 2;

  /** The connection is gone. */
  public static final int ST_RESET = 3;

  /** Opens a connection. */
  public static final int ST_SYN = 4;

  /** The extension carrying the selective-ack bitmask. */
  public static final int EXTENSION_SELECTIVE_ACK = 1;

  /** The longest selective-ack bitmask read or written: 256 packets past the ack. */
  public static final int MAX_SACK_BYTES = 32;

  private static final int VERSION = 1;

  private int type;
  private int connectionId;
  private int timestampMicros;
  private int timestampDifferenceMicros;
  private long windowSize;
  private int seq;
  private int ack;
  private int sackOffset = -1;
  private int sackLength;
  private int payloadOffset;
  private int payloadLength;

  /** Returns whether {@code datagram}'s first byte is that of a uTP packet (version 1, a type). */
  public static boolean looksLikeUtp(ByteBuffer datagram) {
    if (datagram.remaining() < HEADER_BYTES) {
      return false;
    }
    int first = datagram.get(datagram.position()) & 0xFF;
    return (first & 0x0F) == VERSION && (first >>> 4) <= ST_SYN;
  }

  /**
   * Decodes the packet in {@code datagram}'s remaining bytes, leaving its position alone.
   *
   * @throws UtpException if the packet is malformed
   */
  public void decode(ByteBuffer datagram) throws UtpException {
    int start = datagram.position();
    int end = datagram.limit();
    if (end - start < HEADER_BYTES) {
      throw new UtpException("packet shorter than its header", end - start);
    }
    int first = datagram.get(start) & 0xFF;
    if ((first & 0x0F) != VERSION) {
      throw new UtpException("unknown version " + (first & 0x0F), 0);
    }
    type = first >>> 4;
    if (type > ST_SYN) {
      throw new UtpException("unknown packet type " + type, 0);
    }
    int extension = datagram.get(start + 1) & 0xFF;
    connectionId = datagram.getShort(start + 2) & 0xFFFF;
    timestampMicros = datagram.getInt(start + 4);
    timestampDifferenceMicros = datagram.getInt(start + 8);
    windowSize = datagram.getInt(start + 12) & 0xFFFFFFFFL;
    seq = datagram.getShort(start + 16) & 0xFFFF;
    ack = datagram.getShort(start + 18) & 0xFFFF;
    sackOffset = -1;
    sackLength = 0;
    int at = start + HEADER_BYTES;
    while (extension != 0) {
      if (end - at < 2) {
        throw new UtpException("extension header past the end", at - start);
      }
      int next = datagram.get(at) & 0xFF;
      int length = datagram.get(at + 1) & 0xFF;
      if (end - at - 2 < length) {
        throw new UtpException("extension of " + length + " bytes past the end", at - start);
      }
      if (extension == EXTENSION_SELECTIVE_ACK) {
        if (length == 0) {
          throw new UtpException("empty selective-ack bitmask", at - start);
        }
        sackOffset = at + 2;
        sackLength = Math.min(length, MAX_SACK_BYTES);
      }
      extension = next;
      at += 2 + length;
    }
    payloadOffset = at;
    payloadLength = end - at;
  }

  /**
   * Writes a header into {@code out} at its position (which advances), with a selective-ack
   * extension when {@code sackLength > 0}.
   *
   * @param sack the bitmask bytes, of which the first {@code sackLength} are written
   */
  public static void encode(
      ByteBuffer out,
      int type,
      int connectionId,
      int timestampMicros,
      int timestampDifferenceMicros,
      long windowSize,
      int seq,
      int ack,
      byte[] sack,
      int sackLength) {
    out.put((byte) (type << 4 | VERSION));
    out.put((byte) (sackLength > 0 ? EXTENSION_SELECTIVE_ACK : 0));
    out.putShort((short) connectionId);
    out.putInt(timestampMicros);
    out.putInt(timestampDifferenceMicros);
    out.putInt((int) Math.min(windowSize, 0xFFFFFFFFL));
    out.putShort((short) seq);
    out.putShort((short) ack);
    if (sackLength > 0) {
      out.put((byte) 0);
      out.put((byte) sackLength);
      out.put(sack, 0, sackLength);
    }
  }

  /** Returns the packet type, {@link #ST_DATA} to {@link #ST_SYN}. */
  public int type() {
    return type;
  }

  /** Returns the connection id. */
  public int connectionId() {
    return connectionId;
  }

  /** Returns the sender's clock, in microseconds modulo 2^32, when it sent the packet. */
  public int timestampMicros() {
    return timestampMicros;
  }

  /** Returns the one-way delay the sender last measured on our packets, modulo 2^32. */
  public int timestampDifferenceMicros() {
    return timestampDifferenceMicros;
  }

  /** Returns the sender's receive window in bytes. */
  public long windowSize() {
    return windowSize;
  }

  /** Returns the sequence number. */
  public int seq() {
    return seq;
  }

  /** Returns the last sequence number the sender received in order. */
  public int ack() {
    return ack;
  }

  /** Returns whether a selective-ack bitmask came with the packet. */
  public boolean hasSelectiveAck() {
    return sackOffset >= 0;
  }

  /**
   * Returns whether the bitmask says packet {@code ack + 2 + index} arrived (least significant bit
   * of each byte first); false past its end.
   */
  public boolean selectivelyAcked(ByteBuffer datagram, int index) {
    if (sackOffset < 0 || index >= sackLength * 8) {
      return false;
    }
    return (datagram.get(sackOffset + (index >>> 3)) & (1 << (index & 7))) != 0;
  }

  /** Returns the number of packets the bitmask covers. */
  public int selectiveAckBits() {
    return sackLength * 8;
  }

  /** Returns the absolute index in the datagram where the payload starts. */
  public int payloadOffset() {
    return payloadOffset;
  }

  /** Returns the payload's length. */
  public int payloadLength() {
    return payloadLength;
  }
}
