package dev.bitwright.session.internal.net;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Which addresses the session listens on. On Linux a socket on the IPv6 wildcard also takes IPv4
 * connections (unless {@code bindv6only}), and it conflicts with any IPv4 socket on the same port;
 * so IPv6 with the IPv4 wildcard is one dual-stack socket on {@code ::}, and IPv6 with a specific
 * IPv4 address is a second socket on the IPv6 addresses of the same interface ({@code ::1} for
 * loopback).
 */
final class ListenAddresses {
  static final InetAddress IPV6_ANY = ipv6(0);
  static final InetAddress LOOPBACK_V6 = ipv6(1);

  private ListenAddresses() {}

  /**
   * Returns the addresses to bind, the first one first (its port, when 0, is the one the others
   * take): just {@code listen} without IPv6 or when it is an IPv6 address itself.
   *
   * @throws IOException if IPv6 is asked for but the interface of {@code listen} has no IPv6
   *     address
   */
  static List<InetAddress> of(InetAddress listen, boolean ipv6) throws IOException {
    if (!ipv6 || listen instanceof Inet6Address) {
      return List.of(listen);
    }
    if (listen.isAnyLocalAddress()) {
      return List.of(IPV6_ANY);
    }
    List<InetAddress> all = new ArrayList<>();
    all.add(listen);
    if (listen.isLoopbackAddress()) {
      all.add(LOOPBACK_V6);
      return all;
    }
    NetworkInterface nic = NetworkInterface.getByInetAddress(listen);
    if (nic != null) {
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (a instanceof Inet6Address && !a.isLinkLocalAddress()) {
          all.add(a);
        }
      }
    }
    if (all.size() == 1) {
      throw new IOException(
          "IPv6 is on but the interface of " + listen.getHostAddress() + " has no IPv6 address");
    }
    return all;
  }

  private static InetAddress ipv6(int lastByte) {
    byte[] bytes = new byte[16];
    bytes[15] = (byte) lastByte;
    try {
      return InetAddress.getByAddress(bytes);
    } catch (IOException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
