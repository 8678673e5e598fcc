package dev.bitwright.session.internal.discovery;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The network interfaces Local Service Discovery runs on for one address family: BEP 14 announces
 * "on each interface on which it is listening for bittorrent connections". A session on a wildcard
 * address listens on every interface, so LSD runs on each one that is up, can multicast, is not
 * loopback and has an address of the family; a session on one address runs it on that address's
 * interface alone, if that one can multicast. Immutable.
 *
 * @param interfaces the interfaces, possibly none
 * @param subnets the addresses (with their prefix lengths) of the family on those interfaces:
 *     announces from elsewhere are ignored, as libtorrent does
 */
record LsdInterfaces(List<NetworkInterface> interfaces, List<InterfaceAddress> subnets) {
  LsdInterfaces {
    interfaces = List.copyOf(interfaces);
    subnets = List.copyOf(subnets);
  }

  /**
   * Returns the interfaces for {@code v6} (else IPv4) of a session listening on {@code listen}
   * (with IPv6 beside it when {@code ipv6}), none when it does not listen on that family.
   */
  static LsdInterfaces of(InetAddress listen, boolean ipv6, boolean v6) throws SocketException {
    boolean listensOnFamily =
        v6
            ? ipv6 || listen instanceof Inet6Address
            : listen instanceof Inet4Address || isDualStackWildcard(listen);
    if (!listensOnFamily) {
      return new LsdInterfaces(List.of(), List.of());
    }
    List<NetworkInterface> candidates = new ArrayList<>();
    if (listen.isAnyLocalAddress()) {
      candidates.addAll(Collections.list(NetworkInterface.getNetworkInterfaces()));
    } else {
      NetworkInterface nic = NetworkInterface.getByInetAddress(listen);
      if (nic != null) {
        candidates.add(nic);
      }
    }
    List<NetworkInterface> chosen = new ArrayList<>();
    List<InterfaceAddress> subnets = new ArrayList<>();
    for (NetworkInterface nic : candidates) {
      if (!nic.isUp() || nic.isLoopback() || !nic.supportsMulticast()) {
        continue;
      }
      List<InterfaceAddress> ofFamily = new ArrayList<>();
      for (InterfaceAddress a : nic.getInterfaceAddresses()) {
        if (a.getAddress() instanceof Inet6Address == v6) {
          ofFamily.add(a);
        }
      }
      if (!ofFamily.isEmpty()) {
        chosen.add(nic);
        subnets.addAll(ofFamily);
      }
    }
    return new LsdInterfaces(chosen, subnets);
  }

  /** The IPv6 wildcard listens for both families (a dual-stack socket). */
  private static boolean isDualStackWildcard(InetAddress listen) {
    return listen instanceof Inet6Address && listen.isAnyLocalAddress();
  }

  /** Returns whether {@code source} is on the network of one of the interfaces. */
  boolean isLocal(InetAddress source) {
    byte[] from = source.getAddress();
    for (InterfaceAddress subnet : subnets) {
      byte[] ours = subnet.getAddress().getAddress();
      if (ours.length == from.length && samePrefix(ours, from, subnet.getNetworkPrefixLength())) {
        return true;
      }
    }
    return false;
  }

  private static boolean samePrefix(byte[] a, byte[] b, int bits) {
    int whole = Math.min(bits, a.length * 8) / 8;
    for (int i = 0; i < whole; i++) {
      if (a[i] != b[i]) {
        return false;
      }
    }
    int rest = Math.min(bits, a.length * 8) % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xFF << (8 - rest) & 0xFF;
    return (a[whole] & mask) == (b[whole] & mask);
  }

  /** Returns the interfaces' names, for the logs. */
  List<String> names() {
    List<String> names = new ArrayList<>();
    interfaces.forEach(nic -> names.add(nic.getName()));
    return names;
  }
}
