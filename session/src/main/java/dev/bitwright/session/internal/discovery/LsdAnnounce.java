package dev.bitwright.session.internal.discovery;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.hash.HashCode;
import com.google.common.io.BaseEncoding;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A Local Service Discovery announce (BEP 14): an HTTP-like {@code BT-SEARCH} request in one UDP
 * datagram naming the TCP port a peer listens on, one or more 20-byte info-hashes it takes part in,
 * and an optional cookie by which a sender recognises its own announces coming back. Immutable.
 *
 * <p>Decoding is as lenient as libtorrent about what does not matter (header case, unknown headers,
 * bare LF line ends, info-hash headers of the wrong length, which it skips) and strict about
 * bounds: a datagram longer than {@link #MAX_DATAGRAM} bytes or a line longer than {@link
 * #MAX_LINE} fails, so that no announce holds more than {@link #MAX_HASHES} info-hashes.
 *
 * @param port the TCP port the sender listens on, 1 to 65535
 * @param infoHashes the 20-byte info-hashes announced, at least one
 * @param cookie the sender's cookie, if it sent one
 */
public record LsdAnnounce(int port, List<HashCode> infoHashes, Optional<String> cookie) {
  /** The longest datagram read; BEP 14 asks senders for at most 1,400 bytes. */
  public static final int MAX_DATAGRAM = 1500;

  /** The most info-hashes in one announce (more than 1,500 bytes can hold). */
  public static final int MAX_HASHES = 32;

  /** The longest line, and the longest cookie we accept. */
  public static final int MAX_LINE = 256;

  /** The most info-hashes one sent announce carries, so that it stays within 1,400 bytes. */
  public static final int HASHES_PER_DATAGRAM = 24;

  private static final BaseEncoding HEX = BaseEncoding.base16().lowerCase();
  private static final String ZERO = "0".repeat(40);

  /** Checks the values and copies the list. */
  public LsdAnnounce {
    checkArgument(port > 0 && port <= 0xFFFF, "port %s", port);
    checkArgument(!infoHashes.isEmpty(), "no info-hash");
    checkArgument(infoHashes.size() <= MAX_HASHES, "%s info-hashes", infoHashes.size());
    for (HashCode hash : infoHashes) {
      checkArgument(hash.bits() == 160, "an info-hash of %s bits", hash.bits());
    }
    infoHashes = List.copyOf(infoHashes);
    cookie.ifPresent(
        c ->
            checkArgument(
                !c.isEmpty() && c.length() <= MAX_LINE && c.chars().allMatch(LsdAnnounce::isToken),
                "cookie %s",
                c));
  }

  /**
   * {@return the datagram announcing this to {@code host}}: {@code "239.192.152.143:6771"} or
   * {@code "[ff15::efc0:988f]:6771"}
   *
   * @param host the multicast group and port the datagram goes to, as the Host header gives it
   */
  public byte[] encode(String host) {
    StringBuilder text = new StringBuilder(96 + 53 * infoHashes.size());
    text.append("BT-SEARCH * HTTP/1.1\r\n")
        .append("Host: ")
        .append(host)
        .append("\r\n")
        .append("Port: ")
        .append(port)
        .append("\r\n");
    for (HashCode hash : infoHashes) {
      text.append("Infohash: ").append(hash).append("\r\n");
    }
    cookie.ifPresent(c -> text.append("cookie: ").append(c).append("\r\n"));
    // BEP 14 ends the announce with two empty lines.
    text.append("\r\n\r\n");
    return text.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Decodes one datagram (its remaining bytes; the buffer's position is left alone).
   *
   * @param datagram the datagram as received
   * @return the announce
   * @throws LsdFormatException if it is not a well-formed BT-SEARCH announce within the bounds
   */
  public static LsdAnnounce decode(ByteBuffer datagram) throws LsdFormatException {
    if (datagram.remaining() > MAX_DATAGRAM) {
      throw new LsdFormatException("a datagram of " + datagram.remaining() + " bytes");
    }
    byte[] bytes = new byte[datagram.remaining()];
    datagram.duplicate().get(bytes);
    List<String> lines = lines(bytes);
    String[] request = lines.get(0).split(" ", -1);
    if (request.length != 3
        || !request[0].equalsIgnoreCase("BT-SEARCH")
        || !request[1].equals("*")
        || !request[2].startsWith("HTTP/1.")) {
      throw new LsdFormatException("not a BT-SEARCH request: " + lines.get(0));
    }
    int port = 0;
    String cookie = null;
    List<HashCode> hashes = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new LsdFormatException("a header line without a name: " + line);
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      switch (name) {
        case "port" -> port = port(value);
        case "infohash" -> {
          // A line of at most 256 bytes in a datagram of at most 1,500 holds fewer than
          // MAX_HASHES of these.
          String hex = value.toLowerCase(Locale.ROOT);
          if (hex.length() == 40 && HEX.canDecode(hex) && !hex.equals(ZERO)) {
            hashes.add(HashCode.fromString(hex));
          }
        }
        case "cookie" -> cookie = value.isEmpty() ? null : value;
        default -> {
          // Host and headers of later versions: BEP 14 says to ignore what is not understood.
        }
      }
    }
    if (port == 0) {
      throw new LsdFormatException("no Port header");
    }
    if (hashes.isEmpty()) {
      throw new LsdFormatException("no valid Infohash header");
    }
    if (cookie != null && !cookie.chars().allMatch(LsdAnnounce::isToken)) {
      throw new LsdFormatException("a cookie of control characters");
    }
    return new LsdAnnounce(port, hashes, Optional.ofNullable(cookie));
  }

  /** Splits the head into its lines, up to the empty line that ends it. */
  private static List<String> lines(byte[] bytes) throws LsdFormatException {
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      if (b == '\n') {
        int end = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
        if (end == start) {
          if (lines.isEmpty()) {
            throw new LsdFormatException("an empty request line");
          }
          return lines;
        }
        lines.add(new String(bytes, start, end - start, StandardCharsets.ISO_8859_1));
        start = i + 1;
      } else if (i - start >= MAX_LINE) {
        throw new LsdFormatException("a line longer than " + MAX_LINE + " bytes");
      } else if ((b & 0xFF) < 0x20 && b != '\r' && b != '\t') {
        throw new LsdFormatException("a control character in the head");
      }
    }
    throw new LsdFormatException("no empty line ends the head");
  }

  private static int port(String value) throws LsdFormatException {
    if (value.isEmpty()
        || value.length() > 5
        || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new LsdFormatException("Port " + value);
    }
    int port = Integer.parseInt(value);
    if (port == 0 || port > 0xFFFF) {
      throw new LsdFormatException("Port " + value);
    }
    return port;
  }

  private static boolean isToken(int c) {
    return c > 0x20 && c < 0x7F;
  }
}
