package dev.bitwright.examples;

import dev.bitwright.session.PortMapping;
import dev.bitwright.session.TorrentSession;
import java.util.HashSet;
import java.util.Set;

/** Tells, once each, the ports the gateway forwards to the session ({@code --port-mapping}). */
final class MappedPorts {
  private final Set<String> told = new HashSet<>();
  private final boolean on;

  MappedPorts(boolean on) {
    this.on = on;
  }

  /** Notes on {@code line} each mapping of {@code session} not told before. */
  void report(TorrentSession session, StatusLine line) {
    if (!on) {
      return;
    }
    for (PortMapping m : session.portMappings()) {
      // The line says all that changes but the lifetime: a renewal tells nothing new.
      String message =
          "port mapped: "
              + m.protocol()
              + " "
              + m.internalPort()
              + " is "
              + m.externalAddress().map(a -> a.getHostAddress() + ":").orElse("port ")
              + m.externalPort()
              + " ("
              + switch (m.method()) {
                case PCP -> "PCP";
                case NAT_PMP -> "NAT-PMP";
                case UPNP -> "UPnP";
              }
              + ")";
      if (told.add(message)) {
        line.note(message);
      }
    }
  }
}
