package dev.bitwright.session;

import java.net.InetSocketAddress;
import java.util.Optional;

/** The log-line form of {@link SessionEvent}s. */
final class EventText {
  private EventText() {}

  /** Returns {@code "<time> <kind> <torrent> <what>"}. */
  static String line(SessionEvent event, String what) {
    String line = event.time() + " " + event.getClass().getSimpleName() + " " + event.torrent();
    return what.isEmpty() ? line : line + " " + what;
  }

  /** Returns an address as {@code host:port}, without the resolver's leading slash. */
  static String address(InetSocketAddress address) {
    String host =
        address.isUnresolved() ? address.getHostString() : address.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  /** Returns the line of an event about a peer and why: its address, the reason, any detail. */
  static String peerLine(
      SessionEvent event, InetSocketAddress peer, CloseReason reason, Optional<String> detail) {
    String why = reason.description() + detail.map(d -> " (" + d + ")").orElse("");
    return line(event, address(peer) + " " + why);
  }
}
