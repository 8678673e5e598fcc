package dev.bitwright.session.internal.portmap;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The IPv4 default gateway, where a home router answers PCP and NAT-PMP: the JDK has no API for the
 * routing table, so it is read from Linux's {@code /proc/net/route} (elsewhere the application
 * names the gateway, {@code SessionConfig.Builder.portMappingGateway}).
 */
final class DefaultGateway {
  private static final Path ROUTES = Path.of("/proc/net/route");
  private static final int RTF_UP = 0x1;
  private static final int RTF_GATEWAY = 0x2;
  private static final int MAX_TABLE = 1 << 20;

  private DefaultGateway() {}

  /** Returns the default route's gateway, if this system shows one. */
  static Optional<InetAddress> find() {
    try {
      if (!Files.isReadable(ROUTES) || Files.size(ROUTES) > MAX_TABLE) {
        return Optional.empty();
      }
      return parse(new String(Files.readAllBytes(ROUTES), StandardCharsets.US_ASCII));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Returns the gateway of the up default route of least metric in a {@code /proc/net/route} table
   * (addresses in hex, in the host's little-endian byte order).
   */
  static Optional<InetAddress> parse(String table) {
    InetAddress best = null;
    long bestMetric = Long.MAX_VALUE;
    for (String line : table.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 8 || f[0].equals("Iface")) {
        continue;
      }
      try {
        long destination = Long.parseLong(f[1], 16);
        long gateway = Long.parseLong(f[2], 16);
        int flags = Integer.parseInt(f[3], 16);
        long metric = Long.parseLong(f[6]);
        long mask = Long.parseLong(f[7], 16);
        boolean isDefault = destination == 0 && mask == 0;
        if (isDefault
            && (flags & (RTF_UP | RTF_GATEWAY)) == (RTF_UP | RTF_GATEWAY)
            && gateway != 0
            && metric < bestMetric) {
          best = littleEndianIpv4(gateway);
          bestMetric = metric;
        }
      } catch (NumberFormatException e) {
        // a line of another shape: not a route
      }
    }
    return Optional.ofNullable(best);
  }

  private static InetAddress littleEndianIpv4(long value) {
    byte[] b = {(byte) value, (byte) (value >> 8), (byte) (value >> 16), (byte) (value >> 24)};
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(String.format(Locale.ROOT, "%08x", value), impossible);
    }
  }
}
