package dev.bitwright.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.Uninterruptibles;
import dev.bitwright.testing.UdpEndpoint.Arrival;
import dev.bitwright.testing.UdpImpairmentRelay.Stats;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A relay between two plain UDP sockets on loopback, one playing the client, one the target. */
@Timeout(15)
class UdpImpairmentRelayTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final Duration SHORT = Duration.ofMillis(100);

  /** Datagrams sent before waiting for the relay to take them, so that no socket overflows. */
  private static final int BATCH = 50;

  private UdpEndpoint client;
  private UdpEndpoint otherClient;
  private UdpEndpoint server;
  private UdpImpairmentRelay relay;

  @BeforeEach
  void open() throws IOException {
    client = UdpEndpoint.open();
    otherClient = UdpEndpoint.open();
    server = UdpEndpoint.open();
  }

  @AfterEach
  void close() throws IOException {
    if (relay != null) {
      relay.close();
    }
    client.close();
    otherClient.close();
    server.close();
  }

  private UdpImpairmentRelay.Builder toServer() throws IOException {
    return UdpImpairmentRelay.builder().target(server.address());
  }

  @Test
  void withoutImpairmentEveryDatagramArrivesOnceAndIntact() throws Exception {
    relay = toServer().start();

    List<Arrival> atServer = sendThrough(relay, client, relay.address(), server, 200);
    InetSocketAddress clientSocket = atServer.get(0).source();
    List<Arrival> atClient = sendThrough(relay, server, clientSocket, client, 200);

    assertEachOnce(atServer, 200);
    assertEachOnce(atClient, 200);
    assertThat(atServer).extracting(Arrival::source).containsOnly(clientSocket);
    assertThat(clientSocket).isNotEqualTo(relay.address()).isNotEqualTo(client.address());
    assertThat(atClient).extracting(Arrival::source).containsOnly(relay.address());
    assertThat(relay.stats()).isEqualTo(new Stats(400, 400, 0, 0));
  }

  @Test
  void carriesTheLargestUdpDatagram() throws Exception {
    relay = toServer().start();

    client.send(datagram(1, 65_507), relay.address());
    Arrival atServer = server.receive(WAIT).orElseThrow();
    server.send(datagram(2, 65_507), atServer.source());
    Arrival atClient = client.receive(WAIT).orElseThrow();

    assertThat(atServer.data()).isEqualTo(datagram(1, 65_507));
    assertThat(atClient.data()).isEqualTo(datagram(2, 65_507));
  }

  @Test
  void delaysEachDirection() throws Exception {
    relay = toServer().delay(Duration.ofMillis(40)).start();

    for (int i = 0; i < 5; i++) {
      long sentAt = System.nanoTime();
      client.send(datagram(i, 100), relay.address());
      Arrival request = server.receive(WAIT).orElseThrow();
      long repliedAt = System.nanoTime();
      server.send(datagram(i, 100), request.source());
      Arrival reply = client.receive(WAIT).orElseThrow();

      // Generous: a loaded build machine may be slow to wake either side.
      assertThat(millisBetween(sentAt, request.atNanos())).isBetween(40L, 340L);
      assertThat(millisBetween(repliedAt, reply.atNanos())).isBetween(40L, 340L);
    }
  }

  @Test
  void losesAboutTheLossRate() throws Exception {
    relay = toServer().lossRate(0.3).seed(7).start();

    List<Arrival> arrivals = sendThrough(relay, client, relay.address(), server, 2000);

    assertThat(sequences(arrivals)).doesNotHaveDuplicates();
    long lost = 2000 - arrivals.size();
    assertThat(lost).isBetween(400L, 800L);
    assertThat(relay.stats()).isEqualTo(new Stats(2000, arrivals.size(), lost, 0));
  }

  @Test
  void theSameSeedLosesTheSameDatagrams() throws Exception {
    relay = toServer().lossRate(0.3).seed(11).start();
    Set<Integer> first = lostOf(sendThrough(relay, client, relay.address(), server, 200), 200);
    Set<Integer> second;
    try (UdpImpairmentRelay again = toServer().lossRate(0.3).seed(11).start()) {
      second = lostOf(sendThrough(again, client, again.address(), server, 200), 200);
    }

    assertThat(relay.seed()).isEqualTo(11);
    assertThat(first).isNotEmpty().isEqualTo(second);
  }

  @Test
  void jitterReordersWithoutLoss() throws Exception {
    relay = toServer().jitter(Duration.ofMillis(30)).seed(3).start();

    List<Integer> order = sequences(sendThrough(relay, client, relay.address(), server, 100));

    assertThat(order)
        .containsExactlyInAnyOrderElementsOf(range(0, 100))
        .isNotEqualTo(range(0, 100));
  }

  @Test
  void reorderRateHoldsSomeDatagramsBack() throws Exception {
    relay = toServer().reorderRate(0.2).reorderDelay(Duration.ofMillis(20)).seed(5).start();

    List<Integer> order = sequences(sendThrough(relay, client, relay.address(), server, 100));

    assertThat(order)
        .containsExactlyInAnyOrderElementsOf(range(0, 100))
        .isNotEqualTo(range(0, 100));
  }

  @Test
  void bandwidthSpacesDatagramsOut() throws Exception {
    relay = toServer().bandwidth(100_000).start();
    long start = System.nanoTime();

    // 20 kB at 100 kB/s: the last datagram leaves 200 ms after the first arrived.
    List<Arrival> arrivals = sendThrough(relay, client, relay.address(), server, 20, 1000);

    assertThat(sequences(arrivals)).isEqualTo(range(0, 20));
    assertThat(millisBetween(start, arrivals.get(19).atNanos())).isBetween(200L, 1000L);
  }

  @Test
  void duplicatesAboutTheDuplicateRate() throws Exception {
    relay = toServer().duplicateRate(0.5).seed(13).start();

    List<Arrival> arrivals = sendThrough(relay, client, relay.address(), server, 400);

    assertThat(new HashSet<>(sequences(arrivals))).isEqualTo(new HashSet<>(range(0, 400)));
    long duplicates = arrivals.size() - 400;
    assertThat(duplicates).isBetween(140L, 260L);
    assertThat(relay.stats()).isEqualTo(new Stats(400, arrivals.size(), 0, duplicates));
  }

  @Test
  void closeEndsTheThreadsAndFreesTheSockets() throws Exception {
    relay = toServer().delay(Duration.ofMillis(50)).start();
    client.send(datagram(0, 100), relay.address());
    InetSocketAddress clientSocket = server.receive(WAIT).orElseThrow().source();
    // Still delayed when the relay closes.
    client.send(datagram(1, 100), relay.address());
    assertThat(relayThreads()).hasSize(2);

    relay.close();
    relay.close();

    assertThat(relayThreads()).isEmpty();
    bindAndClose(relay.address());
    bindAndClose(clientSocket);
    assertThat(server.receive(SHORT)).isEmpty();
  }

  @Test
  void eachClientGetsOnlyItsOwnReplies() throws Exception {
    relay = toServer().start();
    for (int i = 0; i < 20; i++) {
      client.send(datagram(i, 100), relay.address());
      otherClient.send(datagram(1000 + i, 100), relay.address());
    }

    // The target echoes every datagram to where it came from.
    List<Arrival> atServer = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Arrival arrival = server.receive(WAIT).orElseThrow();
      atServer.add(arrival);
      server.send(arrival.data(), arrival.source());
    }
    List<Arrival> atClient = receive(client, 20);
    List<Arrival> atOtherClient = receive(otherClient, 20);

    assertThat(atServer.stream().map(Arrival::source).distinct()).hasSize(2);
    assertThat(sequences(atClient)).containsExactlyInAnyOrderElementsOf(range(0, 20));
    assertThat(sequences(atOtherClient)).containsExactlyInAnyOrderElementsOf(range(1000, 1020));
    assertThat(client.receive(SHORT)).isEmpty();
    assertThat(otherClient.receive(SHORT)).isEmpty();
    assertThat(relayThreads()).hasSize(2);
  }

  @Test
  void builderRejectsBadSettings() {
    UdpImpairmentRelay.Builder builder = UdpImpairmentRelay.builder();
    Duration negative = Duration.ofMillis(-1);

    assertThatThrownBy(() -> builder.lossRate(-0.1)).hasMessageContaining("loss rate");
    assertThatThrownBy(() -> builder.lossRate(1.1)).hasMessageContaining("loss rate");
    assertThatThrownBy(() -> builder.lossRate(Double.NaN)).hasMessageContaining("loss rate");
    assertThatThrownBy(() -> builder.duplicateRate(2)).hasMessageContaining("duplicate rate");
    assertThatThrownBy(() -> builder.reorderRate(-1)).hasMessageContaining("reorder rate");
    assertThatThrownBy(() -> builder.delay(negative)).hasMessageContaining("delay");
    assertThatThrownBy(() -> builder.jitter(negative)).hasMessageContaining("jitter");
    assertThatThrownBy(() -> builder.reorderDelay(negative)).hasMessageContaining("reorder delay");
    assertThatThrownBy(() -> builder.delay(Duration.ofDays(1))).hasMessageContaining("at most");
    assertThatThrownBy(() -> builder.bandwidth(-1)).hasMessageContaining("bandwidth");
    assertThatThrownBy(() -> builder.target(InetSocketAddress.createUnresolved("example.org", 1)))
        .hasMessageContaining("unresolved");
    assertThatThrownBy(() -> builder.target(new InetSocketAddress(6881)))
        .hasMessageContaining("specific address");
    assertThatThrownBy(builder::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("target");
  }

  private static List<Arrival> sendThrough(
      UdpImpairmentRelay relay, UdpEndpoint from, InetSocketAddress via, UdpEndpoint to, int count)
      throws IOException {
    return sendThrough(relay, from, via, to, count, 100);
  }

  /**
   * Sends datagrams 0 to {@code count - 1} of {@code length} bytes (or more, to vary sizes) from
   * {@code from} to {@code via}, waiting after each batch for the relay to take them, and returns
   * what reached {@code to} once the relay has released them all.
   */
  private static List<Arrival> sendThrough(
      UdpImpairmentRelay relay,
      UdpEndpoint from,
      InetSocketAddress via,
      UdpEndpoint to,
      int count,
      int length)
      throws IOException {
    Stats before = relay.stats();
    List<Arrival> arrivals = new ArrayList<>();
    for (int sent = 0; sent < count; ) {
      for (int end = Math.min(count, sent + BATCH); sent < end; sent++) {
        from.send(datagram(sent, length + sent % 7), via);
      }
      long taken = before.received() + sent;
      await(() -> relay.stats().received() >= taken, "the relay takes every datagram");
      arrivals.addAll(to.drain());
    }
    await(() -> released(relay.stats()), "the relay releases every datagram");
    long forwarded = relay.stats().forwarded() - before.forwarded();
    while (arrivals.size() < forwarded) {
      arrivals.add(to.receive(WAIT).orElseThrow());
    }
    arrivals.forEach(UdpImpairmentRelayTest::assertIntact);
    return arrivals;
  }

  private static boolean released(Stats stats) {
    return stats.forwarded() + stats.dropped() == stats.received() + stats.duplicated();
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as(what).isNegative();
      Uninterruptibles.sleepUninterruptibly(1, TimeUnit.MILLISECONDS);
    }
  }

  private static List<Arrival> receive(UdpEndpoint endpoint, int count) throws IOException {
    List<Arrival> arrivals = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      arrivals.add(endpoint.receive(WAIT).orElseThrow());
    }
    return arrivals;
  }

  /** A datagram that carries its sequence number, then bytes that depend on it. */
  private static byte[] datagram(int sequence, int length) {
    ByteBuffer datagram = ByteBuffer.allocate(length).putInt(sequence);
    while (datagram.hasRemaining()) {
      datagram.put((byte) (sequence * 31 + datagram.position()));
    }
    return datagram.array();
  }

  private static void assertIntact(Arrival arrival) {
    assertThat(arrival.data()).isEqualTo(datagram(sequence(arrival), arrival.data().length));
  }

  private static int sequence(Arrival arrival) {
    return ByteBuffer.wrap(arrival.data()).getInt();
  }

  private static List<Integer> sequences(List<Arrival> arrivals) {
    return arrivals.stream().map(UdpImpairmentRelayTest::sequence).collect(Collectors.toList());
  }

  private static void assertEachOnce(List<Arrival> arrivals, int count) {
    assertThat(sequences(arrivals)).containsExactlyInAnyOrderElementsOf(range(0, count));
  }

  private static Set<Integer> lostOf(List<Arrival> arrivals, int count) {
    Set<Integer> lost = new HashSet<>(range(0, count));
    lost.removeAll(sequences(arrivals));
    return lost;
  }

  private static List<Integer> range(int from, int to) {
    return IntStream.range(from, to).boxed().collect(Collectors.toList());
  }

  private static long millisBetween(long start, long end) {
    return TimeUnit.NANOSECONDS.toMillis(end - start);
  }

  private static List<Thread> relayThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("bitwright-udp-relay-"))
        .collect(Collectors.toList());
  }

  private static void bindAndClose(InetSocketAddress address) throws IOException {
    try (DatagramChannel channel = DatagramChannel.open()) {
      assertThat(channel.bind(address).getLocalAddress()).isEqualTo(address);
    }
  }
}
