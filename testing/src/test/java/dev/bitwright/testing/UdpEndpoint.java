package dev.bitwright.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A UDP socket on 127.0.0.1 for the relay's tests, whose every wait is bounded. */
final class UdpEndpoint implements AutoCloseable {
  /** A datagram received, with its source and when it was read. */
  record Arrival(byte[] data, InetSocketAddress source, long atNanos) {}

  private final DatagramChannel channel;
  private final Selector selector;
  private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

  private UdpEndpoint(DatagramChannel channel, Selector selector) {
    this.channel = channel;
    this.selector = selector;
  }

  static UdpEndpoint open() throws IOException {
    DatagramChannel channel = DatagramChannel.open();
    // Room for a whole test's traffic, so the kernel drops nothing before the test reads it.
    channel.setOption(StandardSocketOptions.SO_RCVBUF, 1024 * 1024);
    channel.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
    channel.configureBlocking(false);
    Selector selector = Selector.open();
    channel.register(selector, SelectionKey.OP_READ);
    return new UdpEndpoint(channel, selector);
  }

  InetSocketAddress address() throws IOException {
    return (InetSocketAddress) channel.getLocalAddress();
  }

  void send(byte[] data, InetSocketAddress to) throws IOException {
    assertThat(channel.send(ByteBuffer.wrap(data), to)).as("bytes sent").isEqualTo(data.length);
  }

  /** Returns the next datagram, or empty if none comes within {@code timeout}. */
  Optional<Arrival> receive(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<Arrival> arrival = poll();
      long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (arrival.isPresent() || remainingMillis <= 0) {
        return arrival;
      }
      selector.select(remainingMillis);
      selector.selectedKeys().clear();
    }
  }

  /** Returns the datagrams already here, without waiting. */
  List<Arrival> drain() throws IOException {
    List<Arrival> arrivals = new ArrayList<>();
    Optional<Arrival> arrival;
    while ((arrival = poll()).isPresent()) {
      arrivals.add(arrival.get());
    }
    return arrivals;
  }

  private Optional<Arrival> poll() throws IOException {
    buffer.clear();
    SocketAddress source = channel.receive(buffer);
    if (source == null) {
      return Optional.empty();
    }
    long at = System.nanoTime();
    buffer.flip();
    byte[] data = new byte[buffer.remaining()];
    buffer.get(data);
    return Optional.of(new Arrival(data, (InetSocketAddress) source, at));
  }

  @Override
  public void close() throws IOException {
    selector.close();
    channel.close();
  }
}
