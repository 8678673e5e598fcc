package dev.bitwright.session.internal.portmap;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * SSDP search (UPnP Device Architecture 1.1, section 1.3): the M-SEARCH request for an Internet
 * Gateway Device and the LOCATION of its description in an answer. No I/O.
 */
final class SsdpSearch {
  /** The device type searched for; IGD v2 devices answer a v1 search too. */
  static final String IGD = "urn:schemas-upnp-org:device:InternetGatewayDevice:1";

  static final int MAX_ANSWER = 2048;
  private static final int MAX_LINE = 512;

  private SsdpSearch() {}

  /** {@return the M-SEARCH request, answered within a second} */
  static byte[] request() {
    return ("M-SEARCH * HTTP/1.1\r\n"
            + "HOST: 239.255.255.250:1900\r\n"
            + "MAN: \"ssdp:discover\"\r\n"
            + "MX: 1\r\n"
            + "ST: "
            + IGD
            + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Returns the description URL of an answer (the buffer's position is left alone).
   *
   * @throws PortMapFormatException if it is not a 200 answer with an http LOCATION, within bounds
   */
  static URI location(ByteBuffer answer) throws PortMapFormatException {
    if (answer.remaining() > MAX_ANSWER) {
      throw new PortMapFormatException("an SSDP answer of " + answer.remaining() + " bytes");
    }
    byte[] bytes = new byte[answer.remaining()];
    answer.duplicate().get(bytes);
    String[] lines = new String(bytes, StandardCharsets.ISO_8859_1).split("\r?\n", -1);
    if (lines.length < 2 || !lines[0].matches("HTTP/1\\.[01] 200( .*)?")) {
      throw new PortMapFormatException("not an SSDP answer: " + clip(lines[0]));
    }
    for (String line : lines) {
      if (line.length() > MAX_LINE) {
        throw new PortMapFormatException("an SSDP line of " + line.length() + " characters");
      }
      int colon = line.indexOf(':');
      if (colon > 0
          && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("location")) {
        try {
          URI uri = new URI(line.substring(colon + 1).trim());
          if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new PortMapFormatException("a LOCATION not on http: " + clip(line));
          }
          return uri;
        } catch (URISyntaxException e) {
          throw new PortMapFormatException("a LOCATION that is no URL: " + clip(line));
        }
      }
    }
    throw new PortMapFormatException("an SSDP answer without LOCATION");
  }

  private static String clip(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
