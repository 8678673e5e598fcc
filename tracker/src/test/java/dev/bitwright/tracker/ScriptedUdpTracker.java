package dev.bitwright.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The tracker side of BEP 15, scripted by a test: reads the packets a {@link UdpTrackerConnection}
 * sends and writes the replies, byte by byte as the BEP lays them out.
 */
final class ScriptedUdpTracker {
  static final long PROTOCOL_ID = 0x41727101980L;
  static final int CONNECT = 0;
  static final int ANNOUNCE = 1;
  static final int SCRAPE = 2;
  static final int ERROR = 3;

  private ScriptedUdpTracker() {}

  /** A packet we sent: its first 16 bytes and the rest. */
  record Packet(long connectionId, int action, int transactionId, byte[] raw) {
    /** Returns the bytes after the 16-byte header. */
    byte[] body() {
      return java.util.Arrays.copyOfRange(raw, 16, raw.length);
    }

    boolean isConnect() {
      return raw.length == 16 && connectionId == PROTOCOL_ID && action == CONNECT;
    }
  }

  /** Returns the remaining bytes of {@code buffer}, leaving it untouched. */
  static byte[] array(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }

  static Packet parse(ByteBuffer datagram) {
    byte[] raw = array(datagram);
    assertThat(raw.length).as("packet length").isGreaterThanOrEqualTo(16);
    ByteBuffer b = ByteBuffer.wrap(raw);
    return new Packet(b.getLong(0), b.getInt(8), b.getInt(12), raw);
  }

  /** Takes every datagram {@code c} has to send, in order. */
  static List<ByteBuffer> drain(UdpTrackerConnection c) {
    List<ByteBuffer> out = new ArrayList<>();
    for (ByteBuffer d; (d = c.poll()) != null; ) {
      out.add(d);
    }
    return out;
  }

  /** Takes exactly one outgoing packet from {@code c}. */
  static Packet single(UdpTrackerConnection c) {
    List<ByteBuffer> out = drain(c);
    assertThat(out).hasSize(1);
    return parse(out.get(0));
  }

  /** Takes exactly one outgoing packet, which must be a connect request. */
  static Packet singleConnect(UdpTrackerConnection c) {
    Packet p = single(c);
    assertThat(p.isConnect()).as("a connect request").isTrue();
    return p;
  }

  static ByteBuffer reply(int action, int transactionId, byte[] rest) {
    return ByteBuffer.allocate(8 + rest.length)
        .putInt(action)
        .putInt(transactionId)
        .put(rest)
        .flip();
  }

  static ByteBuffer connectReply(int transactionId, long connectionId) {
    return reply(CONNECT, transactionId, ByteBuffer.allocate(8).putLong(connectionId).array());
  }

  static ByteBuffer announceReply(
      int transactionId, int interval, int leechers, int seeders, byte[] peers) {
    ByteBuffer rest = ByteBuffer.allocate(12 + peers.length);
    rest.putInt(interval).putInt(leechers).putInt(seeders).put(peers);
    return reply(ANNOUNCE, transactionId, rest.array());
  }

  /** A scrape reply with (seeders, completed, leechers) per torrent. */
  static ByteBuffer scrapeReply(int transactionId, int[]... stats) {
    ByteBuffer rest = ByteBuffer.allocate(12 * stats.length);
    for (int[] s : stats) {
      rest.putInt(s[0]).putInt(s[1]).putInt(s[2]);
    }
    return reply(SCRAPE, transactionId, rest.array());
  }

  static ByteBuffer errorReply(int transactionId, String message) {
    return reply(ERROR, transactionId, message.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Answers the connect {@code c} just sent with {@code connectionId} and returns the packets that
   * follow.
   */
  static List<ByteBuffer> connect(UdpTrackerConnection c, long connectionId, long now) {
    Packet connect = singleConnect(c);
    c.receive(connectReply(connect.transactionId(), connectionId), now);
    return drain(c);
  }
}
