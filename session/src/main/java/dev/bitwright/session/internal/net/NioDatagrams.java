package dev.bitwright.session.internal.net;

import com.google.common.net.InetAddresses;
import dev.bitwright.session.internal.net.EngineIo.DatagramHandler;
import dev.bitwright.session.internal.net.EngineIo.MulticastSocket;
import dev.bitwright.session.internal.net.EngineIo.UdpSocket;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link NioTransport}'s UDP sockets: opened on its selector, each with its {@link
 * DatagramHandler} attached, and read a bounded number of datagrams per pass. Loop thread only.
 */
final class NioDatagrams {
  private static final int MAX_DATAGRAMS_PER_PASS = 256;

  private static final InetAddress IPV4_ANY = InetAddresses.forString("0.0.0.0");
  private static final InetAddress IPV6_ANY = InetAddresses.forString("::");

  private final Selector selector;
  // Every socket receives into this one buffer (the loop is single-threaded).
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);

  NioDatagrams(Selector selector) {
    this.selector = selector;
  }

  /** Opens a socket bound to {@code bind}, or to any port of its address when that one is taken. */
  UdpSocket open(InetSocketAddress bind, DatagramHandler handler) throws IOException {
    return open(
        handler,
        channel -> {
          try {
            channel.bind(bind);
          } catch (IOException e) {
            channel.bind(new InetSocketAddress(bind.getAddress(), 0));
          }
        });
  }

  /** Opens a socket on a free port connected to {@code remote}. */
  UdpSocket openConnected(InetSocketAddress remote, DatagramHandler handler) throws IOException {
    return open(handler, channel -> channel.connect(remote));
  }

  /** Opens a socket in a multicast group (see {@link EngineIo#openMulticast}). */
  MulticastSocket openMulticast(
      InetSocketAddress group, List<NetworkInterface> interfaces, int hops, DatagramHandler handler)
      throws IOException {
    boolean v6 = group.getAddress() instanceof Inet6Address;
    DatagramChannel channel =
        DatagramChannel.open(v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
    List<NetworkInterface> joined = new ArrayList<>();
    try {
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      channel.bind(new InetSocketAddress(v6 ? IPV6_ANY : IPV4_ANY, group.getPort()));
      channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, hops);
      channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
      IOException lastFailure = null;
      for (NetworkInterface nic : interfaces) {
        try {
          channel.join(group.getAddress(), nic);
          joined.add(nic);
        } catch (IOException e) {
          lastFailure = e;
        }
      }
      if (joined.isEmpty()) {
        throw lastFailure != null
            ? lastFailure
            : new IOException("no interface to join " + group.getAddress().getHostAddress());
      }
      channel.configureBlocking(false);
      channel.register(selector, SelectionKey.OP_READ, handler);
    } catch (IOException | RuntimeException e) {
      NioChannels.close(channel);
      throw e;
    }
    List<NetworkInterface> members = List.copyOf(joined);
    return new MulticastSocket() {
      @Override
      public void send(ByteBuffer data, NetworkInterface via) throws IOException {
        channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, via);
        channel.send(data, group);
      }

      @Override
      public List<NetworkInterface> interfaces() {
        return members;
      }

      @Override
      public void close() {
        NioChannels.close(channel);
      }
    };
  }

  /** How a new datagram channel is bound or connected. */
  private interface Setup {
    void apply(DatagramChannel channel) throws IOException;
  }

  private UdpSocket open(DatagramHandler handler, Setup setup) throws IOException {
    DatagramChannel channel = DatagramChannel.open();
    try {
      setup.apply(channel);
      channel.configureBlocking(false);
      channel.register(selector, SelectionKey.OP_READ, handler);
    } catch (IOException | RuntimeException e) {
      NioChannels.close(channel);
      throw e;
    }
    InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
    return new UdpSocket() {
      @Override
      public void send(ByteBuffer data, InetSocketAddress target) throws IOException {
        if (channel.isConnected()) {
          channel.write(data); // reports an earlier ICMP error, unlike send
        } else {
          channel.send(data, target);
        }
      }

      @Override
      public InetSocketAddress localAddress() {
        return local;
      }

      @Override
      public void close() {
        NioChannels.close(channel);
      }
    };
  }

  /**
   * Hands what arrived on {@code channel} to its handler, or the failure to read to its {@link
   * DatagramHandler#onError}.
   */
  void readable(DatagramChannel channel, DatagramHandler handler) {
    try {
      receive(channel, handler);
    } catch (IOException e) {
      handler.onError(e);
    }
  }

  private void receive(DatagramChannel channel, DatagramHandler handler) throws IOException {
    // Bounded per wake-up, so that a flood of datagrams cannot keep the loop from its peers; the
    // rest stays readable for the next pass.
    for (int i = 0; i < MAX_DATAGRAMS_PER_PASS; i++) {
      buffer.clear();
      InetSocketAddress source = (InetSocketAddress) channel.receive(buffer);
      if (source == null) {
        return;
      }
      handler.onDatagram(source, buffer.flip());
    }
  }
}
