package dev.bitwright.utp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UtpTransferTest {
  private static final long SECOND = 1_000_000_000L;

  private StreamEnd serverEnd;

  private SimulatedLink link(long seed, UtpConfig config, byte[] serverSends) {
    serverEnd = new StreamEnd(serverSends);
    return new SimulatedLink(seed, config, remote -> null, remote -> serverEnd);
  }

  private static byte[] bytes(int n, long seed) {
    byte[] data = new byte[n];
    new Random(seed).nextBytes(data);
    return data;
  }

  private StreamEnd connect(SimulatedLink link, byte[] clientSends) throws IOException {
    StreamEnd client = new StreamEnd(clientSends);
    client.socket = link.a.connect(SimulatedLink.B, client, link.now);
    return client;
  }

  @ParameterizedTest(name = "seed {0}: delay {1} ms, jitter {2} ms, loss {3}, duplicates {4}")
  @CsvSource({
    "1, 1, 0, 0, 0",
    "2, 20, 0, 0.01, 0",
    "3, 20, 15, 0, 0",
    "4, 20, 15, 0.03, 0.02",
    "5, 50, 30, 0.05, 0.05",
    "6, 5, 10, 0.10, 0.01",
  })
  void bytesArriveExactlyOnceInOrderBothWays(
      long seed, int delayMs, int jitterMs, double loss, double duplicate) throws IOException {
    byte[] up = bytes(600_000, seed);
    byte[] down = bytes(400_000, seed + 100);
    SimulatedLink link = link(seed, UtpConfig.defaults(), down);
    for (SimulatedLink.Path path : new SimulatedLink.Path[] {link.aToB, link.bToA}) {
      path.delayNanos = delayMs * 1_000_000L;
      path.jitterNanos = jitterMs * 1_000_000L;
      path.loss = loss;
      path.duplicate = duplicate;
    }
    StreamEnd client = connect(link, up);

    boolean done =
        link.runUntil(
            () -> client.received.size() == down.length && serverEnd.received.size() == up.length,
            300 * SECOND);

    assertThat(done).as("transfer finished").isTrue();
    assertThat(client.received.toByteArray()).isEqualTo(down);
    assertThat(serverEnd.received.toByteArray()).isEqualTo(up);
    assertThat(client.closed).isFalse();
    assertThat(serverEnd.closed).isFalse();
    long packets = (up.length + down.length) / 1380;
    long resent = client.socket.packetsResent() + serverEnd.socket.packetsResent();
    assertThat(resent)
        .as("resends")
        .isLessThan(packets * 3 * (long) Math.ceil(loss * 10 + 1) / 10 + 50);
  }

  @Test
  void closeDeliversEverythingThenEndOfStream() throws IOException {
    byte[] up = bytes(100_000, 7);
    SimulatedLink link = link(7, UtpConfig.defaults(), new byte[0]);
    link.aToB.loss = 0.05;
    link.bToA.loss = 0.05;
    StreamEnd client = connect(link, up);
    client.closeWhenSent = true;

    assertThat(link.runUntil(() -> serverEnd.eof, 60 * SECOND)).isTrue();
    assertThat(serverEnd.received.toByteArray()).isEqualTo(up);
    assertThat(
            link.runUntil(
                () -> link.a.connections() == 0 && link.b.connections() == 0, 30 * SECOND))
        .as("both sockets gone after the FINs")
        .isTrue();
    assertThat(client.closed).as("no failure reported after close").isFalse();
  }

  @Test
  void connectToNobodyTimesOut() throws IOException {
    SimulatedLink link = link(8, UtpConfig.defaults(), new byte[0]);
    link.aToB.loss = 1.0;
    StreamEnd client = connect(link, new byte[10]);

    assertThat(link.runUntil(() -> client.closed, 30 * SECOND)).isTrue();
    assertThat(client.closeReason).isInstanceOf(ConnectException.class);
    assertThat(link.a.connections()).isZero();
  }

  @Test
  void refusedConnectionIsReset() throws IOException {
    StreamEnd client = new StreamEnd(new byte[10]);
    SimulatedLink link = new SimulatedLink(9, UtpConfig.defaults(), r -> null, r -> null);
    client.socket = link.a.connect(SimulatedLink.B, client, link.now);

    assertThat(link.runUntil(() -> client.closed, 5 * SECOND)).isTrue();
    assertThat(client.closeReason).hasMessageContaining("reset");
    assertThat(link.b.stats().refused()).isEqualTo(1);
  }

  @Test
  void deadPeerMidTransferTimesOut() throws IOException {
    SimulatedLink link = link(10, UtpConfig.defaults(), new byte[0]);
    StreamEnd client = connect(link, bytes(2_000_000, 10));
    link.runUntil(() -> serverEnd.received.size() > 100_000, 10 * SECOND);
    link.aToB.loss = 1.0;

    assertThat(link.runUntil(() -> client.closed, 200 * SECOND)).isTrue();
    assertThat(client.closeReason).isInstanceOf(java.net.SocketTimeoutException.class);
  }

  @Test
  void pausedReaderClosesTheWindowAndResumes() throws IOException {
    UtpConfig config = UtpConfig.builder().receiveBufferBytes(64 * 1024).build();
    byte[] up = bytes(500_000, 11);
    SimulatedLink link = link(11, config, new byte[0]);
    link.aToB.delayNanos = 10_000_000;
    link.bToA.delayNanos = 10_000_000;
    StreamEnd client = connect(link, up);
    link.runUntil(() -> serverEnd.socket != null, SECOND);
    serverEnd.paused = true;

    link.runUntil(() -> false, 20 * SECOND);
    assertThat(serverEnd.socket.readable()).as("held while paused").isLessThanOrEqualTo(64 * 1024);
    assertThat(serverEnd.socket.readable()).isGreaterThan(60 * 1024);
    assertThat(client.closed).as("a closed window is not a dead peer").isFalse();

    serverEnd.paused = false;
    serverEnd.drain();
    assertThat(link.runUntil(() -> serverEnd.received.size() == up.length, 60 * SECOND)).isTrue();
    assertThat(serverEnd.received.toByteArray()).isEqualTo(up);
  }

  @Test
  void manyConnectionsShareOneEndpoint() throws IOException {
    SimulatedLink link = link(12, UtpConfig.defaults(), new byte[0]);
    // Each incoming connection gets its own end; the acceptor is replaced for this test.
    java.util.List<StreamEnd> servers = new java.util.ArrayList<>();
    SimulatedLink multi =
        new SimulatedLink(
            12,
            UtpConfig.defaults(),
            r -> null,
            r -> {
              StreamEnd end = new StreamEnd(new byte[0]);
              servers.add(end);
              return end;
            });
    java.util.List<byte[]> payloads = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      byte[] data = bytes(50_000, 100 + i);
      payloads.add(data);
      StreamEnd client = new StreamEnd(data);
      client.socket = multi.a.connect(SimulatedLink.B, client, multi.now);
    }
    assertThat(
            multi.runUntil(
                () ->
                    servers.size() == 20
                        && servers.stream().allMatch(s -> s.received.size() == 50_000),
                60 * SECOND))
        .isTrue();
    assertThat(
            servers.stream()
                .map(
                    s ->
                        new String(
                            s.received.toByteArray(),
                            java.nio.charset.StandardCharsets.ISO_8859_1)))
        .containsExactlyInAnyOrderElementsOf(
            payloads.stream()
                .map(p -> new String(p, java.nio.charset.StandardCharsets.ISO_8859_1))
                .toList());
    assertThat(link.a.connections()).isZero();
  }
}
