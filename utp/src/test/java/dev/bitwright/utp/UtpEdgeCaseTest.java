package dev.bitwright.utp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.utp.internal.Packet;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Packets written by hand against one endpoint: the cases a well-behaved peer never makes. */
class UtpEdgeCaseTest {
  private static final InetSocketAddress PEER = new InetSocketAddress("10.0.0.7", 40000);
  private static final long MS = 1_000_000L;

  private long now = 1_000_000_000L;
  private final AtomicInteger accepted = new AtomicInteger();
  private final List<StreamEnd> ends = new ArrayList<>();
  private final UtpEndpoint endpoint =
      UtpEndpoint.create(
          UtpConfig.defaults(),
          new Random(1),
          remote -> {
            accepted.incrementAndGet();
            StreamEnd end = new StreamEnd(new byte[0]);
            ends.add(end);
            return end;
          },
          now);

  private void receive(int type, int connectionId, int seq, int ack, String payload) {
    ByteBuffer datagram = ByteBuffer.allocate(1500);
    Packet.encode(datagram, type, connectionId, 0, 0, 1 << 20, seq, ack, null, 0);
    datagram.put(payload.getBytes(StandardCharsets.US_ASCII));
    endpoint.receive(PEER, datagram.flip(), now);
  }

  /** Returns the packets the endpoint sends now. */
  private List<Packet> sent() throws UtpException {
    List<Packet> packets = new ArrayList<>();
    ByteBuffer out = ByteBuffer.allocate(2000);
    while (endpoint.poll(out.clear(), now) != null) {
      Packet p = new Packet();
      ByteBuffer copy = ByteBuffer.allocate(out.position()).put(out.flip());
      p.decode(copy.flip());
      packets.add(p);
    }
    return packets;
  }

  @Test
  void aSpoofedSynNeverReachesTheAcceptorAndIsGivenUp() throws Exception {
    receive(Packet.ST_SYN, 500, 100, 0, "");
    assertThat(sent())
        .singleElement()
        .satisfies(p -> assertThat(p.type()).isEqualTo(Packet.ST_STATE));
    // a packet that does not acknowledge our first sequence number proves nothing
    receive(Packet.ST_DATA, 501, 101, 7, "hello");
    for (int i = 0; i < 100 && endpoint.connections() > 0; i++) {
      now += 100 * MS;
      endpoint.advance(now);
    }
    assertThat(accepted).hasValue(0);
    assertThat(endpoint.connections()).isZero();
  }

  @Test
  void aRepeatedSynIsAnsweredWithTheFirstSequenceNumberEvenAfterData() throws Exception {
    receive(Packet.ST_SYN, 500, 100, 0, "");
    int first = sent().get(0).seq();
    receive(Packet.ST_DATA, 501, 101, first - 1 & 0xFFFF, "hi");
    assertThat(accepted).hasValue(1);
    ends.get(0).socket.write(ByteBuffer.wrap(new byte[10]));
    List<Packet> data = sent();
    assertThat(data).anySatisfy(p -> assertThat(p.seq()).isEqualTo(first));

    receive(Packet.ST_SYN, 500, 100, 0, "");

    assertThat(sent())
        .anySatisfy(
            p -> {
              assertThat(p.type()).isEqualTo(Packet.ST_STATE);
              assertThat(p.seq()).isEqualTo(first);
            });
  }

  @Test
  void bytesAfterTheFinAreDroppedAndTheEndOfStreamStillCounts() throws Exception {
    receive(Packet.ST_SYN, 500, 100, 0, "");
    int ack = sent().get(0).seq() - 1 & 0xFFFF;
    receive(Packet.ST_DATA, 501, 103, ack, "XYZ");
    StreamEnd end = ends.get(0);
    end.paused = true;
    receive(Packet.ST_FIN, 501, 102, ack, "");
    receive(Packet.ST_FIN, 501, 104, ack, ""); // a second FIN does not move the end
    receive(Packet.ST_DATA, 501, 101, ack, "AB");

    ByteBuffer read = ByteBuffer.allocate(100);
    assertThat(end.socket.read(read)).isEqualTo(2);
    assertThat(new String(read.array(), 0, 2, StandardCharsets.US_ASCII)).isEqualTo("AB");
    assertThat(end.socket.read(read)).isEqualTo(-1);
  }

  @Test
  void aWindowThatOpensWakesTheSenderAtOnce() throws IOException {
    UtpConfig config = UtpConfig.builder().receiveBufferBytes(64 * 1024).build();
    StreamEnd[] server = new StreamEnd[1];
    SimulatedLink link =
        new SimulatedLink(3, config, r -> null, r -> server[0] = new StreamEnd(new byte[0]));
    link.aToB.delayNanos = 10 * MS;
    link.bToA.delayNanos = 10 * MS;
    StreamEnd client = new StreamEnd(new byte[1 << 20]);
    client.socket = link.a.connect(SimulatedLink.B, client, link.now);
    link.runUntil(() -> server[0] != null, 1_000 * MS);
    server[0].paused = true;
    link.runUntil(() -> false, 10_000 * MS);
    int held = server[0].received.size();

    server[0].paused = false;
    server[0].drain();
    long reopened = link.now;
    link.runUntil(() -> server[0].received.size() > held + 64 * 1024, 5_000 * MS);

    assertThat(link.now - reopened)
        .as("time to the next data after the window opened")
        .isLessThan(100 * MS);
  }
}
