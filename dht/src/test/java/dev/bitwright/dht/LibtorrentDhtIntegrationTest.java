package dev.bitwright.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our node among three real libtorrent 2.0 DHT nodes on 127.0.0.1: it bootstraps from them, finds a
 * peer that only libtorrent announced, and libtorrent finds the peer that only we announced. The
 * test owns the UDP socket and pumps the node with the real monotonic clock. A missing
 * python3-libtorrent fails the test.
 */
class LibtorrentDhtIntegrationTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final List<String> output = new ArrayList<>();
  private DatagramChannel channel;
  private Selector selector;
  private DhtNode node;
  private LibtorrentDhtNodes libtorrent;

  @Test
  @Timeout(240)
  void interoperatesWithLibtorrent(@TempDir Path scratch) throws Exception {
    try (DatagramChannel ch = DatagramChannel.open();
        Selector sel = Selector.open()) {
      channel = ch;
      selector = sel;
      channel.bind(new InetSocketAddress(LOOPBACK, 0)).configureBlocking(false);
      channel.register(selector, SelectionKey.OP_READ);
      InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
      try {
        libtorrent = LibtorrentDhtNodes.start(3, local, scratch, 200);
        run(scratch);
      } finally {
        if (libtorrent != null) {
          libtorrent.close();
        }
      }
    }
  }

  private void run(Path scratch) throws Exception {
    DhtConfig config =
        DhtConfig.builder()
            .bootstrapNodes(libtorrent.addresses())
            .ipv6(false)
            .maxQueriesPerSecondPerIp(10_000)
            .random(new SplittableRandom(42))
            .build();
    node = DhtNode.create(config, System.nanoTime());
    pumpUntil(() -> sawLine("READY"), 60, "libtorrent's nodes did not form a DHT");

    node.start(System.nanoTime());
    pumpUntil(
        () -> node.stats().routingTableSizeV4() >= 3, 30, "our node did not bootstrap from them");

    NodeId theirs = NodeId.random(new SplittableRandom(1));
    int theirPort = libtorrent.addresses().get(0).getPort();
    libtorrent.send("ANNOUNCE " + theirs.toHex());
    pumpUntil(() -> sawLine("ANNOUNCED " + theirs.toHex()), 10, "libtorrent did not announce");
    InetSocketAddress theirPeer = new InetSocketAddress(LOOPBACK, theirPort);
    RecordingPeerListener found = new RecordingPeerListener();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!found.peers.contains(theirPeer) && System.nanoTime() < deadline) {
      RecordingPeerListener attempt = new RecordingPeerListener();
      node.getPeers(theirs, attempt, System.nanoTime());
      pumpUntil(attempt::isDone, 30, "our get_peers did not end");
      found.peers.addAll(attempt.peers);
      pumpFor(2);
    }
    assertThat(found.peers).as("peers our get_peers found").contains(theirPeer);

    NodeId ours = NodeId.random(new SplittableRandom(2));
    int ourPort = 40_456;
    RecordingPeerListener announced = new RecordingPeerListener();
    node.announce(ours, ourPort, false, announced, System.nanoTime());
    pumpUntil(announced::isDone, 30, "our announce did not end");
    assertThat(announced.done.announcesSent()).isGreaterThanOrEqualTo(1);
    libtorrent.send("GET_PEERS " + ours.toHex());
    String expected = "127.0.0.1:" + ourPort;
    pumpUntil(
        () ->
            output.stream()
                .anyMatch(l -> l.startsWith("PEERS " + ours.toHex()) && l.contains(expected)),
        60,
        "libtorrent's get_peers did not find our announce");

    InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
    libtorrent.send("SAMPLE " + local.getPort() + " " + theirs.toHex());
    pumpUntil(
        () ->
            output.stream()
                .anyMatch(
                    l ->
                        l.startsWith("SAMPLES 127.0.0.1:" + local.getPort() + " ")
                            && l.contains(theirs.toHex())),
        30,
        "libtorrent's sample_infohashes did not see the info-hash it announced to us");

    List<NodeId> sampled = new ArrayList<>();
    List<LookupStats> sampling = new ArrayList<>();
    node.sampleInfohashes(
        ours,
        new SampleListener() {
          @Override
          public void samplesReceived(
              DhtContact from, List<NodeId> samples, long stored, java.time.Duration interval) {
            sampled.addAll(samples);
          }

          @Override
          public void lookupDone(LookupStats stats) {
            sampling.add(stats);
          }
        },
        System.nanoTime());
    pumpUntil(() -> !sampling.isEmpty(), 30, "our sample_infohashes traversal did not end");
    assertThat(sampled).as("info-hashes sampled from libtorrent").contains(ours);
  }

  private boolean sawLine(String prefix) {
    return output.stream().anyMatch(l -> l.startsWith(prefix));
  }

  private void pumpFor(double seconds) throws Exception {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    pumpUntil(() -> System.nanoTime() - end >= 0, seconds + 1, "unreachable");
  }

  /** Runs the node on the socket until {@code done}, failing after {@code seconds}. */
  private void pumpUntil(BooleanSupplier done, double seconds, String failure) throws Exception {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    ByteBuffer buffer = ByteBuffer.allocateDirect(65_536);
    while (!done.getAsBoolean()) {
      long now = System.nanoTime();
      if (now - end >= 0 || !libtorrent.isAlive()) {
        throw new AssertionError(
            failure
                + "; node "
                + node.stats()
                + "; libtorrent said "
                + output
                + " / "
                + libtorrent.log());
      }
      for (String line; (line = libtorrent.poll(0)) != null; ) {
        output.add(line);
      }
      for (DhtDatagram d; (d = node.poll()) != null; ) {
        channel.send(d.payload(), d.destination());
      }
      long wait = Math.max(1, Math.min(20, (node.nextDeadlineNanos() - now) / 1_000_000));
      selector.select(wait);
      selector.selectedKeys().clear();
      for (SocketAddress from; (from = receive(buffer)) != null; ) {
        node.receive((InetSocketAddress) from, buffer.flip(), System.nanoTime());
      }
      if (node.nextDeadlineNanos() - System.nanoTime() <= 0) {
        node.advance(System.nanoTime());
      }
    }
  }

  private SocketAddress receive(ByteBuffer buffer) throws IOException {
    buffer.clear();
    return channel.receive(buffer);
  }
}
