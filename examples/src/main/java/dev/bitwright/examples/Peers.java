package dev.bitwright.examples;

import com.google.common.net.InetAddresses;
import java.net.InetSocketAddress;

/** Parses {@code HOST:PORT} and {@code [IPv6]:PORT} peer addresses given on the command line. */
final class Peers {
  private Peers() {}

  static InetSocketAddress parse(String text) throws UsageException {
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      throw new UsageException("a peer is HOST:PORT, not " + text);
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      int port = Integer.parseInt(text.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw new UsageException("invalid port in " + text);
      }
      if (host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))
          && !InetAddresses.isInetAddress(host)) {
        throw new UsageException("invalid IP address in " + text);
      }
      InetSocketAddress address = new InetSocketAddress(host, port);
      if (address.isUnresolved()) {
        throw new UsageException("unknown host in " + text);
      }
      return address;
    } catch (NumberFormatException e) {
      throw new UsageException("invalid port in " + text);
    }
  }
}
