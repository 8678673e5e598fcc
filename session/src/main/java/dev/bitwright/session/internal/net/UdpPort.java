package dev.bitwright.session.internal.net;

import dev.bitwright.utp.UtpEndpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session's UDP socket on the listening port, where the DHT and uTP peers reach us. Datagrams
 * that start like a bencoded dictionary ({@code 'd'}) go to the DHT, those that start like a uTP
 * packet (version 1, a known type) to the {@link UtpTransport}; others are dropped. UDP trackers
 * use sockets of their own ({@code UdpTrackers} in {@code discovery}). Opened on first use; loop
 * thread only.
 */
public final class UdpPort {
  private static final Logger log = LoggerFactory.getLogger(UdpPort.class);

  private final EngineIo io;
  private final boolean ipv6;
  private EngineIo.DatagramHandler dht = (source, data) -> {};
  private EngineIo.DatagramHandler utp = (source, data) -> {};
  private EngineIo.UdpSocket socket;
  private boolean dualStack;
  private boolean failed;

  /** Creates the port on {@code io}'s listening address, dual-stack when {@code ipv6}. */
  public UdpPort(EngineIo io, boolean ipv6) {
    this.io = io;
    this.ipv6 = ipv6;
  }

  /** Sends the DHT's datagrams to {@code handler} from now on (a no-op handler drops them). */
  public void onDhtDatagram(EngineIo.DatagramHandler handler) {
    this.dht = handler;
  }

  /** Sends uTP datagrams to {@code handler} from now on. */
  public void onUtpDatagram(EngineIo.DatagramHandler handler) {
    this.utp = handler;
  }

  /**
   * Opens the socket if it is not open yet; returns whether it is open. With IPv6 on and the
   * wildcard address, one dual-stack socket on {@code ::} serves both families (the DHT keeps a
   * routing table for each); where the host has no IPv6, it falls back to IPv4.
   */
  public boolean open() {
    if (socket != null || failed) {
      return socket != null;
    }
    InetSocketAddress listen = io.listenAddress();
    if (ipv6 && listen.getAddress().isAnyLocalAddress()) {
      try {
        socket =
            io.openUdp(
                new InetSocketAddress(ListenAddresses.IPV6_ANY, listen.getPort()), this::dispatch);
        dualStack = true;
        return true;
      } catch (IOException e) {
        log.debug("no dual-stack UDP socket, IPv4 only", e);
      }
    }
    try {
      socket = io.openUdp(listen, this::dispatch);
    } catch (IOException e) {
      failed = true;
      log.warn("cannot open the UDP socket on {}", listen, e);
    }
    return socket != null;
  }

  /** Returns whether the socket is open on both IPv4 and IPv6. */
  public boolean dualStack() {
    return dualStack;
  }

  /**
   * Returns the bound address, or the listening address with port 0 when the socket is not open.
   */
  public InetSocketAddress localAddress() {
    return socket == null
        ? new InetSocketAddress(io.listenAddress().getAddress(), 0)
        : socket.localAddress();
  }

  /** Returns the bound port, or 0 when the socket is not open. */
  public int port() {
    return socket == null ? 0 : socket.localAddress().getPort();
  }

  /** Sends one datagram; failures are logged, as a lost datagram would be. */
  public void send(ByteBuffer datagram, InetSocketAddress target) {
    if (!open()) {
      return;
    }
    try {
      socket.send(datagram, target);
    } catch (IOException e) {
      log.debug("UDP send to {} failed", target, e);
    }
  }

  private void dispatch(InetSocketAddress source, ByteBuffer data) {
    if (data.hasRemaining() && data.get(data.position()) == 'd') {
      dht.onDatagram(source, data);
    } else if (UtpEndpoint.looksLikeUtp(data)) {
      utp.onDatagram(source, data);
    }
  }

  /** Closes the socket. */
  public void close() {
    if (socket != null) {
      socket.close();
      socket = null;
    }
  }
}
