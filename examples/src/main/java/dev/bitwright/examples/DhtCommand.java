package dev.bitwright.examples;

import dev.bitwright.dht.DhtConfig;
import dev.bitwright.dht.DhtContact;
import dev.bitwright.dht.DhtDatagram;
import dev.bitwright.dht.DhtLookup;
import dev.bitwright.dht.DhtNode;
import dev.bitwright.dht.LookupStats;
import dev.bitwright.dht.NodeId;
import dev.bitwright.dht.PeerListener;
import dev.bitwright.dht.SampleListener;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code bitwright dht}: one Mainline DHT node of its own on a UDP socket, for research users —
 * {@code get-peers} looks up (and with {@code --announce} announces) an info-hash, {@code sample}
 * collects BEP 51 info-hash samples on the way to a target. It also shows how to drive the sans-I/O
 * {@link DhtNode} from a selector loop.
 */
final class DhtCommand {
  static final String USAGE =
      "dht get-peers|sample <infohash|target> [--dht-bootstrap HOST:PORT]... [--port N]"
          + " [--listen IP] [--announce PORT] [--timeout SECONDS]";
  private static final Duration BOOTSTRAP_WAIT = Duration.ofSeconds(10);

  private final PrintStream out;
  private final Clock clock;
  private final Map<InetSocketAddress, InetSocketAddress> resolved = new HashMap<>();
  private final DatagramChannel channel;
  private final Selector selector;
  private final ByteBuffer receiveBuffer = ByteBuffer.allocate(64 * 1024);
  private DhtNode node;

  private DhtCommand(PrintStream out, Clock clock, DatagramChannel channel, Selector selector) {
    this.out = out;
    this.clock = clock;
    this.channel = channel;
    this.selector = selector;
  }

  static void run(Arguments args, PrintStream out, Clock clock)
      throws UsageException, IOException, CommandException {
    if (args.isEmpty()) {
      throw new UsageException("dht needs get-peers or sample");
    }
    String action = args.next();
    if (!action.equals("get-peers") && !action.equals("sample")) {
      throw new UsageException("unknown dht action: " + action);
    }
    NodeId target = null;
    List<InetSocketAddress> bootstrap = new ArrayList<>();
    int port = 0;
    InetAddress listen = null;
    int announcePort = 0;
    Duration timeout = Duration.ofSeconds(60);
    while (!args.isEmpty()) {
      String word = args.next();
      switch (word) {
        case "--dht-bootstrap" -> bootstrap.add(Peers.parse(args.value(word)));
        case "--port" -> port = args.number(word, 0, 65535);
        case "--listen" -> listen = TransferOptions.address(args.value(word));
        case "--announce" -> announcePort = args.number(word, 0, 65535);
        case "--timeout" -> timeout = TransferOptions.seconds(args.value(word));
        default -> {
          if (word.startsWith("--") || target != null) {
            throw new UsageException("unexpected for dht " + action + ": " + word);
          }
          target = nodeId(word);
        }
      }
    }
    if (target == null) {
      throw new UsageException("dht " + action + " needs a 40-digit hex info-hash or target");
    }
    if (announcePort > 0 && !action.equals("get-peers")) {
      throw new UsageException("--announce is for get-peers");
    }
    // The families the socket can reach: both on the wildcard address, else the listen address's.
    boolean v6 = listen == null || listen instanceof Inet6Address;
    DhtConfig.Builder config =
        DhtConfig.builder()
            .random(new SecureRandom())
            .ipv4(!(listen instanceof Inet6Address))
            .ipv6(v6);
    if (!bootstrap.isEmpty()) {
      config.bootstrapNodes(bootstrap);
    }
    try (DatagramChannel channel = DatagramChannel.open();
        Selector selector = Selector.open()) {
      channel.bind(
          listen == null ? new InetSocketAddress(port) : new InetSocketAddress(listen, port));
      channel.configureBlocking(false);
      channel.register(selector, SelectionKey.OP_READ);
      DhtCommand command = new DhtCommand(out, clock, channel, selector);
      command.lookup(action, target, announcePort, config.build(), timeout);
    }
  }

  private void lookup(
      String action, NodeId target, int announcePort, DhtConfig config, Duration timeout)
      throws IOException, CommandException {
    Instant deadline = clock.instant().plus(timeout);
    node = DhtNode.create(config, now());
    node.start(now());
    out.println("DHT node " + node.id().toHex() + " on UDP port " + localPort());
    Instant bootstrapped = clock.instant().plus(BOOTSTRAP_WAIT);
    runUntil(() -> tableSize() > 0 || clock.instant().isAfter(bootstrapped), deadline);
    out.println("routing table: " + tableSize() + " nodes");
    List<LookupStats> done = new ArrayList<>();
    DhtLookup lookup;
    if (action.equals("sample")) {
      lookup = node.sampleInfohashes(target, new SamplePrinter(done), now());
    } else {
      PeerListener peers = new PeerPrinter(done);
      lookup =
          announcePort > 0
              ? node.announce(target, announcePort, false, peers, now())
              : node.getPeers(target, peers, now());
    }
    runUntil(lookup::isDone, deadline);
    if (!lookup.isDone()) {
      lookup.cancel(now());
      throw new CommandException("the lookup did not end within " + timeout.toSeconds() + " s");
    }
    LookupStats s = done.isEmpty() ? lookup.progress(now()) : done.get(0);
    out.printf(
        Locale.ROOT,
        "lookup done: %d hops, %d queries, %d responses, %d timeouts, %d peers, %d announces,"
            + " %d ms%n",
        s.hops(),
        s.queriesSent(),
        s.responses(),
        s.timeouts(),
        s.peersFound(),
        s.announcesSent(),
        s.duration().toMillis());
  }

  /** A condition of the loop. */
  private interface Condition {
    boolean holds();
  }

  /** Feeds the node datagrams and timer ticks until {@code done} holds or the deadline passes. */
  private void runUntil(Condition done, Instant deadline) throws IOException {
    while (!done.holds() && clock.instant().isBefore(deadline)) {
      flush();
      long waitNanos = Math.max(1, node.nextDeadlineNanos() - now());
      long waitMillis = Math.min(TimeUnit.NANOSECONDS.toMillis(waitNanos) + 1, 100);
      selector.select(waitMillis);
      selector.selectedKeys().clear();
      InetSocketAddress source;
      while ((source = (InetSocketAddress) channel.receive(receiveBuffer.clear())) != null) {
        node.receive(source, receiveBuffer.flip(), now());
      }
      node.advance(now());
    }
    flush();
  }

  /** Sends what the node wants sent; a datagram that cannot go is lost, as UDP would lose it. */
  private void flush() {
    DhtDatagram d;
    while ((d = node.poll()) != null) {
      InetSocketAddress to = d.destination();
      if (to.isUnresolved()) {
        to =
            resolved.computeIfAbsent(
                to, a -> new InetSocketAddress(a.getHostString(), a.getPort()));
      }
      try {
        if (!to.isUnresolved()) {
          channel.send(d.payload(), to);
        }
      } catch (IOException e) {
        // no route to that address family, say: the node times the query out
      }
    }
  }

  /** The node's clock: monotonic, unlike the wall clock the command is given. */
  @SuppressForbidden
  private static long now() {
    return System.nanoTime();
  }

  private int tableSize() {
    return node.stats().routingTableSizeV4() + node.stats().routingTableSizeV6();
  }

  private int localPort() throws IOException {
    return ((InetSocketAddress) channel.getLocalAddress()).getPort();
  }

  private static NodeId nodeId(String hex) throws UsageException {
    try {
      return NodeId.fromHex(hex);
    } catch (IllegalArgumentException e) {
      throw new UsageException("not a 40-digit hex id: " + hex);
    }
  }

  /** Prints peers as they are found. */
  private final class PeerPrinter implements PeerListener {
    private final List<LookupStats> done;

    PeerPrinter(List<LookupStats> done) {
      this.done = done;
    }

    @Override
    public void peersFound(NodeId infoHash, List<InetSocketAddress> peers) {
      peers.forEach(
          p -> out.println("peer " + p.getAddress().getHostAddress() + ":" + p.getPort()));
    }

    @Override
    public void lookupDone(LookupStats stats) {
      done.add(stats);
    }
  }

  /** Prints each node's samples. */
  private final class SamplePrinter implements SampleListener {
    private final List<LookupStats> done;

    SamplePrinter(List<LookupStats> done) {
      this.done = done;
    }

    @Override
    public void samplesReceived(
        DhtContact node, List<NodeId> samples, long storedInfoHashes, Duration interval) {
      out.println(
          "node "
              + node.address().getAddress().getHostAddress()
              + ":"
              + node.address().getPort()
              + " stores "
              + storedInfoHashes
              + ": "
              + samples.stream().map(NodeId::toHex).collect(Collectors.joining(" ")));
    }

    @Override
    public void lookupDone(LookupStats stats) {
      done.add(stats);
    }
  }
}
