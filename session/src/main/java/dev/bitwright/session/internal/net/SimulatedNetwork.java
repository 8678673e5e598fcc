package dev.bitwright.session.internal.net;

import com.google.common.base.Preconditions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A network of simulated hosts that run whole swarms of engines in the calling thread, in simulated
 * time, replaying exactly from a seed.
 *
 * <p>The model: every host has an uplink of {@link Links#uplinkBytesPerSecond} that its writes
 * queue on; every pair of hosts has a fixed one-way latency drawn from {@link Links}; each write is
 * a segment that is lost with probability {@link Links#lossRate} and then arrives one
 * retransmission timeout later, still in order, as TCP would deliver it. A connection has a window:
 * a writer may have at most {@link #WINDOW} bytes in flight or unread by the other side, so a
 * reader that stops reading (rate limits, disk backpressure) stalls the writer. Connecting takes a
 * round trip (plus a SYN retry when the SYN is lost); connecting to an address nobody listens on is
 * refused. There is no UDP. Everything an engine does runs as an event of the one queue, disk tasks
 * included, so the order of events depends only on the seed.
 */
public final class SimulatedNetwork {
  /** Bytes a writer may have in flight or unread by the other side. */
  static final int WINDOW = 256 * 1024;

  private static final long SYN_RETRY_NANOS = 1_000_000_000L;

  /**
   * The links' properties.
   *
   * @param minLatencyNanos the shortest one-way latency of a pair of hosts
   * @param maxLatencyNanos the longest one-way latency of a pair of hosts
   * @param lossRate the probability that a segment (or a SYN) is lost once
   * @param retransmitNanos how much later a lost segment arrives
   * @param uplinkBytesPerSecond every host's upload capacity
   */
  public record Links(
      long minLatencyNanos,
      long maxLatencyNanos,
      double lossRate,
      long retransmitNanos,
      long uplinkBytesPerSecond) {}

  /** Sees every byte a host writes, per connection, in order. */
  public interface Tap {
    /** {@code bytes} were written on {@code connection} (valid during the call only). */
    void written(Connection connection, ByteBuffer bytes);
  }

  private final Links links;
  private final SplittableRandom random;
  private final Thread owner = Thread.currentThread();
  private final PriorityQueue<ScheduledTask> queue = new PriorityQueue<>();
  private final Map<InetSocketAddress, Host> listening = new HashMap<>();
  private final Map<String, Long> latencies = new HashMap<>();
  private long now;
  private long sequence;

  public SimulatedNetwork(long seed, Links links) {
    this.links = links;
    this.random = new SplittableRandom(seed);
  }

  /** Returns the simulated time in nanoseconds. */
  public long now() {
    return now;
  }

  /** Returns a random generator for one engine, derived from the network's seed. */
  public SplittableRandom split() {
    return random.split();
  }

  /** Adds a host listening on {@code address}. */
  public Host host(InetSocketAddress address) {
    Preconditions.checkArgument(!listening.containsKey(address), "taken: %s", address);
    Host host = new Host(address);
    listening.put(address, host);
    return host;
  }

  /**
   * Runs events until {@code done} holds, the queue is empty or {@code limitNanos} of simulated
   * time have passed; returns whether {@code done} holds. A task that threw fails the run.
   */
  public boolean runUntil(BooleanSupplier done, long limitNanos) {
    long end = now + limitNanos;
    while (!done.getAsBoolean()) {
      ScheduledTask e = queue.peek();
      if (e == null || e.deadline > end) {
        return false;
      }
      queue.poll();
      now = e.deadline;
      if (!e.cancelled) {
        try {
          e.task.run();
        } catch (RuntimeException ex) {
          throw new AssertionError("a simulated task failed at " + now + " ns", ex);
        }
      }
    }
    return true;
  }

  /** Queues {@code task} to run at {@code time} unless {@code host} has stopped by then. */
  private ScheduledTask at(long time, Host host, Runnable task) {
    ScheduledTask e =
        new ScheduledTask(
            time,
            sequence++,
            () -> {
              if (host.alive) {
                task.run();
              }
            });
    queue.add(e);
    return e;
  }

  private long latency(Host a, Host b) {
    String x = a.address.toString();
    String y = b.address.toString();
    String key = x.compareTo(y) < 0 ? x + "|" + y : y + "|" + x;
    return latencies.computeIfAbsent(
        key, k -> random.nextLong(links.minLatencyNanos, links.maxLatencyNanos + 1));
  }

  private boolean lost() {
    return links.lossRate > 0 && random.nextDouble() < links.lossRate;
  }

  private void checkThread() {
    Preconditions.checkState(
        Thread.currentThread() == owner, "a simulated engine was called from another thread");
  }

  /** One simulated host: the loop, transport and disk executor of one engine. */
  public final class Host implements EngineIo {
    public final InetSocketAddress address;
    private final List<Link> connections = new ArrayList<>();
    private Function<Connection, ConnectionHandler> acceptor;
    private boolean alive = true;
    private long uplinkFreeAt;
    private int nextPort = 40_000;
    private Tap tap;

    private Host(InetSocketAddress address) {
      this.address = address;
    }

    /** Returns an executor that runs disk tasks as events of this host. */
    public Executor disk() {
      return task -> execute(task);
    }

    /** Sets who sees the bytes this host writes. */
    public void tap(Tap tap) {
      this.tap = tap;
    }

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void execute(Runnable task) {
      checkThread();
      at(now, this, task);
    }

    @Override
    public Timer schedule(long delayNanos, Runnable task) {
      checkThread();
      return at(now + Math.max(0, delayNanos), this, task);
    }

    @Override
    public boolean inLoop() {
      return Thread.currentThread() == owner;
    }

    @Override
    public void connect(InetSocketAddress remote, long timeoutNanos, ConnectionHandler handler) {
      checkThread();
      Host target = listening.get(remote);
      Link mine = new Link(this, remote, true, handler);
      long delay =
          2
              * (target == null
                  ? SimulatedNetwork.this.links.minLatencyNanos()
                  : latency(this, target));
      if (lost()) {
        delay += SYN_RETRY_NANOS;
      }
      if (delay > timeoutNanos) {
        at(now + timeoutNanos, this, () -> mine.closeWith(new IOException("connect timed out")));
        return;
      }
      at(
          now + delay,
          this,
          () -> {
            if (target == null || !target.alive || target.acceptor == null) {
              mine.closeWith(new ConnectException("connection refused"));
              return;
            }
            InetSocketAddress ephemeral = new InetSocketAddress(address.getAddress(), nextPort++);
            Link theirs = new Link(target, ephemeral, false, null);
            mine.other = theirs;
            theirs.other = mine;
            connections.add(mine);
            target.connections.add(theirs);
            mine.open = true;
            ConnectionHandler accepted = target.acceptor.apply(theirs);
            if (accepted == null) {
              theirs.closeWith(null);
            } else {
              theirs.handler = accepted;
              theirs.open = true;
              accepted.onConnected(theirs);
            }
            handler.onConnected(mine);
          });
    }

    @Override
    public void onFailure(Consumer<Throwable> handler) {
      // the simulation runs in the test's thread: a failure there fails the test
    }

    @Override
    public void onAccept(Function<Connection, ConnectionHandler> acceptor) {
      this.acceptor = acceptor;
    }

    @Override
    public InetSocketAddress listenAddress() {
      return address;
    }

    @Override
    public UdpSocket openUdp(InetSocketAddress bind, DatagramHandler handler) throws IOException {
      throw new IOException("the simulated network has no UDP");
    }

    @Override
    public UdpSocket openConnectedUdp(InetSocketAddress remote, DatagramHandler handler)
        throws IOException {
      throw new IOException("the simulated network has no UDP");
    }

    @Override
    public MulticastSocket openMulticast(
        InetSocketAddress group,
        List<NetworkInterface> interfaces,
        int hops,
        DatagramHandler handler)
        throws IOException {
      throw new IOException("the simulated network has no multicast");
    }

    @Override
    public void stop(long timeoutMillis) {
      for (Link l : List.copyOf(connections)) {
        l.closeWith(new ClosedChannelException());
      }
      alive = false;
      listening.remove(address);
    }

    @Override
    public boolean isAlive() {
      return alive;
    }
  }

  /** One end of a simulated TCP connection. */
  private final class Link implements Connection {
    final Host host;
    final InetSocketAddress remote;
    final boolean outgoing;
    ConnectionHandler handler;
    Link other;
    boolean open;
    boolean closed;
    boolean reading = true;
    boolean writeWanted;
    boolean readScheduled;
    long unacknowledged;
    long lastArrival;
    ByteBuffer inbound = ByteBuffer.allocate(64 * 1024);

    Link(Host host, InetSocketAddress remote, boolean outgoing, ConnectionHandler handler) {
      this.host = host;
      this.remote = remote;
      this.outgoing = outgoing;
      this.handler = handler;
    }

    @Override
    public InetSocketAddress remoteAddress() {
      return remote;
    }

    @Override
    public boolean outgoing() {
      return outgoing;
    }

    @Override
    public int write(ByteBuffer data) throws IOException {
      checkThread();
      if (!open) {
        throw new ClosedChannelException();
      }
      int n = (int) Math.min(data.remaining(), WINDOW - unacknowledged);
      if (n <= 0) {
        wantWrite();
        return 0;
      }
      ByteBuffer segment = ByteBuffer.allocate(n);
      segment.put(segment.position(), data, data.position(), n);
      data.position(data.position() + n);
      if (host.tap != null) {
        host.tap.written(this, segment.asReadOnlyBuffer());
      }
      unacknowledged += n;
      long departure =
          Math.max(now, host.uplinkFreeAt) + n * 1_000_000_000L / links.uplinkBytesPerSecond();
      host.uplinkFreeAt = departure;
      long arrival = departure + latency(host, other.host) + (lost() ? links.retransmitNanos() : 0);
      arrival = Math.max(arrival, lastArrival);
      lastArrival = arrival;
      Link receiver = other;
      at(arrival, receiver.host, () -> receiver.arrive(segment));
      if (data.hasRemaining()) {
        wantWrite();
      }
      return n;
    }

    private void arrive(ByteBuffer segment) {
      if (!open) {
        return;
      }
      if (inbound.remaining() < segment.remaining()) {
        ByteBuffer bigger =
            ByteBuffer.allocate(
                Math.max(inbound.capacity() * 2, inbound.position() + segment.remaining()));
        inbound.flip();
        bigger.put(inbound);
        inbound = bigger;
      }
      inbound.put(segment);
      read();
    }

    private void read() {
      if (!open || !reading || inbound.position() == 0) {
        return;
      }
      inbound.flip();
      int before = inbound.remaining();
      try {
        handler.onData(this, inbound);
      } catch (IOException e) {
        inbound.compact();
        closeWith(e);
        return;
      }
      int consumed = before - inbound.remaining();
      inbound.compact();
      if (consumed > 0 && other.open) {
        Link sender = other;
        at(now + latency(host, sender.host), sender.host, () -> sender.acknowledged(consumed));
      }
    }

    private void acknowledged(int bytes) {
      unacknowledged -= bytes;
      if (writeWanted && open) {
        writeWanted = false;
        try {
          handler.onWritable(this);
        } catch (IOException e) {
          closeWith(e);
        }
      }
    }

    @Override
    public void wantWrite() {
      writeWanted = true;
      if (unacknowledged < WINDOW) {
        at(now, host, () -> acknowledged(0));
      }
    }

    @Override
    public void setReading(boolean reading) {
      this.reading = reading;
      if (reading && !readScheduled && inbound.position() > 0) {
        readScheduled = true;
        at(
            now,
            host,
            () -> {
              readScheduled = false;
              read();
            });
      }
    }

    @Override
    public void ensureReadCapacity(int bytes) {
      // the inbound buffer grows as bytes arrive: any frame fits
    }

    @Override
    public void close() {
      closeWith(null);
    }

    private void closeWith(IOException reason) {
      if (closed) {
        return;
      }
      closed = true;
      open = false;
      host.connections.remove(this);
      Link peer = other;
      if (peer != null && !peer.closed) {
        long eof = Math.max(now, lastArrival) + latency(host, peer.host);
        at(eof, peer.host, () -> peer.closeWith(null));
      }
      if (handler != null) {
        handler.onClosed(this, reason);
      }
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public String toString() {
      return host.address + "->" + remote;
    }
  }
}
