package dev.bitwright.examples;

import dev.bitwright.session.PortMapping;
import dev.bitwright.session.TorrentSession;
import java.util.HashSet;
import java.util.Set;

/** Tells, once each, the ports the gateway forwards to the session ({@code --port-mapping}). */
final class MappedPorts {
  private final Set<PortMapping> told = new HashSet<>();
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
      PortMapping key =
          new PortMapping(
              m.protocol(), m.internalPort(), m.externalPort(), m.externalAddress(), m.method(), 1);
      if (told.add(key)) {
        line.note(
            "port mapped: "
                + m.protocol()
                + " "
                + m.internalPort()
                + " is "
                + m.externalAddress().map(a -> a.getHostAddress() + ":").orElse("port ")
                + m.externalPort()
                + " ("
                + (m.method() == PortMapping.Method.PCP ? "PCP" : "NAT-PMP")
                + ")");
      }
    }
  }
}
