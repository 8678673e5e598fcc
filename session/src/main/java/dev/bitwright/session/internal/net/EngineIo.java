package dev.bitwright.session.internal.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;

/**
 * Everything the engine runs on: its loop, its peer transport and its datagram sockets. {@link
 * NioTransport} in production; a simulated network with simulated time in tests, so that whole
 * swarms run deterministically in one thread.
 */
public interface EngineIo extends EngineLoop, Transport {
  /**
   * Opens a UDP socket bound to {@code bind} (or to any port of its address when that one is
   * taken); call on the loop thread. The socket is closed with the transport at the latest.
   */
  UdpSocket openUdp(InetSocketAddress bind, DatagramHandler handler) throws IOException;

  /**
   * Opens a UDP socket on a free port connected to {@code remote}, for one tracker: only its
   * datagrams arrive, and an ICMP "port unreachable" from its host reaches {@link
   * DatagramHandler#onError}; call on the loop thread. The socket is closed with the transport at
   * the latest.
   */
  UdpSocket openConnectedUdp(InetSocketAddress remote, DatagramHandler handler) throws IOException;

  /**
   * Opens a UDP socket in the multicast {@code group}: bound to the group's port on its family's
   * wildcard address, shared with other programs of the host (which listen there too), a member of
   * the group on each of {@code interfaces}, sending with {@code hops} as its time to live and
   * looping what it sends back to the host's other members; call on the loop thread. The socket is
   * closed with the transport at the latest.
   *
   * @throws IOException if the socket cannot be opened or bound, or joins the group on none of
   *     {@code interfaces}
   */
  MulticastSocket openMulticast(
      InetSocketAddress group, List<NetworkInterface> interfaces, int hops, DatagramHandler handler)
      throws IOException;

  /**
   * Sets what runs, on the loop thread as it dies, when the loop stops on an unexpected error (not
   * when {@link #stop} stops it).
   */
  void onFailure(Consumer<Throwable> handler);

  /** Stops the loop and closes every socket, waiting at most {@code timeoutMillis}. */
  void stop(long timeoutMillis) throws InterruptedException;

  /** Returns whether the loop still runs. */
  boolean isAlive();

  /** Receives datagrams of a UDP socket; called on the loop thread. */
  interface DatagramHandler {
    /** A datagram arrived from {@code source}; {@code data} is valid during the call only. */
    void onDatagram(InetSocketAddress source, ByteBuffer data);

    /**
     * Reading failed, such as with a {@link java.net.PortUnreachableException} on a connected
     * socket whose remote port is closed; the socket stays open. Ignored unless overridden.
     */
    default void onError(IOException error) {}
  }

  /** A UDP socket owned by the loop. */
  interface UdpSocket {
    /** Sends one datagram (the remaining bytes of {@code data}); loop thread. */
    void send(ByteBuffer data, InetSocketAddress target) throws IOException;

    /** Returns the bound address. */
    InetSocketAddress localAddress();

    /** Closes the socket. */
    void close();
  }

  /** A UDP socket in a multicast group, owned by the loop. */
  interface MulticastSocket {
    /**
     * Sends one datagram (the remaining bytes of {@code data}) to the group out of {@code via};
     * loop thread.
     */
    void send(ByteBuffer data, NetworkInterface via) throws IOException;

    /** Returns the interfaces on which the socket joined the group. */
    List<NetworkInterface> interfaces();

    /** Closes the socket. */
    void close();
  }
}
