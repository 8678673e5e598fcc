package dev.bitwright.session.internal.jfr;

import java.net.InetSocketAddress;

/** How events name a peer. */
final class Peers {
  private Peers() {}

  /** Returns "address:port", the IPv6 address in brackets, without a host name lookup. */
  static String format(InetSocketAddress peer) {
    String host =
        peer.getAddress() == null ? peer.getHostString() : peer.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + peer.getPort();
  }
}
