package dev.bitwright.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The receiving side of a {@link UdpImpairmentRelay}: the socket that clients send to, one socket
 * toward the target for each client, and the loop that reads them all through one selector, impairs
 * each datagram and hands its copies to the {@link DelayLine}. Its {@link #run()} is the body of
 * the relay's receiver thread, which owns the sockets and closes them when it ends.
 */
final class RelayReceiver implements Runnable {
  /** More than the largest UDP payload (65,507 bytes over IPv4), so that none is truncated. */
  private static final int MAX_DATAGRAM = 64 * 1024;

  /**
   * Asked of the kernel (which may grant less) so that a burst faster than this thread reads is not
   * lost in the relay's own sockets, which would look like loss the test did not ask for.
   */
  private static final int SOCKET_BUFFER = 1024 * 1024;

  /** The longest wait for a datagram, so that a stop is seen even if its wakeup were missed. */
  private static final long SELECT_TIMEOUT_MILLIS = 200;

  /** Datagrams read from one socket in a row, so that a flood in one direction stalls no other. */
  private static final int BATCH = 64;

  private final InetAddress bindAddress;
  private final InetSocketAddress target;
  private final Impairment towardTarget;
  private final Impairment towardClients;
  private final DelayLine delayLine;
  private final Selector selector;
  private final DatagramChannel front;
  private final InetSocketAddress address;
  private final Map<InetSocketAddress, DatagramChannel> backs = new HashMap<>();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong duplicated = new AtomicLong();
  private volatile boolean stopped;

  RelayReceiver(
      InetAddress bindAddress,
      InetSocketAddress target,
      Impairment towardTarget,
      Impairment towardClients,
      DelayLine delayLine)
      throws IOException {
    this.bindAddress = bindAddress;
    this.target = target;
    this.towardTarget = towardTarget;
    this.towardClients = towardClients;
    this.delayLine = delayLine;
    this.selector = Selector.open();
    try {
      this.front = open(null);
    } catch (IOException | RuntimeException e) {
      selector.close();
      throw e;
    }
    this.address = (InetSocketAddress) front.socket().getLocalSocketAddress();
  }

  /** Returns the address of the socket that clients send to. */
  InetSocketAddress address() {
    return address;
  }

  long received() {
    return received.get();
  }

  long dropped() {
    return dropped.get();
  }

  long duplicated() {
    return duplicated.get();
  }

  /** Makes {@link #run()} close the sockets and return soon. */
  void stop() {
    stopped = true;
    selector.wakeup();
  }

  @Override
  public void run() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    try {
      while (!stopped) {
        selector.select(SELECT_TIMEOUT_MILLIS);
        for (SelectionKey key : selector.selectedKeys()) {
          read(key, buffer);
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException e) {
      // Only the selector throws here, and only if it is broken: the relay stops relaying, which
      // the test sees as total loss.
    } finally {
      closeQuietly(selector);
      closeQuietly(front);
      backs.values().forEach(RelayReceiver::closeQuietly);
    }
  }

  private void read(SelectionKey key, ByteBuffer buffer) {
    DatagramChannel channel = (DatagramChannel) key.channel();
    // A socket toward the target carries its client's address; the front socket carries none.
    InetSocketAddress client = (InetSocketAddress) key.attachment();
    try {
      SocketAddress source;
      for (int i = 0; i < BATCH && (source = channel.receive(buffer)) != null; i++) {
        long now = System.nanoTime();
        buffer.flip();
        byte[] data = new byte[buffer.remaining()];
        buffer.get(data);
        buffer.clear();
        // From the target on the front socket, or from anyone else on a socket toward the target,
        // a datagram belongs to no relayed conversation: it is ignored, and not counted.
        if (client == null && !source.equals(target)) {
          relay(towardTarget, data, now, back((InetSocketAddress) source), target);
        } else if (client != null && source.equals(target)) {
          relay(towardClients, data, now, front, client);
        }
      }
    } catch (IOException e) {
      // An unconnected UDP socket hears no errors from its peers, so this is a socket for a new
      // client that could not be opened: that client's datagram is lost, the relay goes on.
    }
  }

  private void relay(
      Impairment impairment,
      byte[] data,
      long now,
      DatagramChannel out,
      InetSocketAddress destination) {
    received.incrementAndGet();
    long[] releaseTimes = impairment.releaseTimes(data.length, now);
    if (releaseTimes.length == 0) {
      dropped.incrementAndGet();
    } else if (releaseTimes.length > 1) {
      duplicated.incrementAndGet();
    }
    for (long releaseAt : releaseTimes) {
      delayLine.schedule(releaseAt, out, destination, data);
    }
  }

  /** Returns the socket toward the target for {@code client}, opened on its first datagram. */
  private DatagramChannel back(InetSocketAddress client) throws IOException {
    DatagramChannel back = backs.get(client);
    if (back == null) {
      back = open(client);
      backs.put(client, back);
    }
    return back;
  }

  private DatagramChannel open(@Nullable InetSocketAddress client) throws IOException {
    DatagramChannel channel = DatagramChannel.open();
    try {
      channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
      channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
      channel.bind(new InetSocketAddress(bindAddress, 0));
      channel.configureBlocking(false);
      channel.register(selector, SelectionKey.OP_READ, client);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    return channel;
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // Nothing to do about a socket that fails to close: the relay is done with it either way.
    }
  }
}
