package dev.bitwright.metainfo.internal;

import dev.bitwright.metainfo.InfoHash;
import dev.bitwright.metainfo.InfoHashes;
import dev.bitwright.metainfo.MagnetLink;
import dev.bitwright.metainfo.MagnetLink.FileRange;
import dev.bitwright.metainfo.MetainfoException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Parses magnet URIs; see {@link MagnetLink} for what is recognised. */
public final class MagnetParser {
  private static final String PREFIX = "magnet:?";
  private static final String BTIH = "urn:btih:";
  private static final String BTMH = "urn:btmh:";
  private static final String SHA256_MULTIHASH = "1220";
  private static final Pattern NUMBERED = Pattern.compile("(xt|dn|tr|ws)\\.[0-9]+");
  private static final Pattern RANGE = Pattern.compile("([0-9]{1,10})(?:-([0-9]{1,10}))?");

  private InfoHash v1;
  private InfoHash v2;
  private String displayName;
  private final List<String> trackers = new ArrayList<>();
  private final List<String> webSeeds = new ArrayList<>();
  private final List<InetSocketAddress> peers = new ArrayList<>();
  private final List<FileRange> selectOnly = new ArrayList<>();

  private MagnetParser() {}

  /** Parses {@code uri}; see {@link MagnetLink#parse(String)}. */
  public static MagnetLink parse(String uri) throws MetainfoException {
    if (uri.length() > MagnetLink.MAX_LENGTH) {
      throw new MetainfoException("magnet", "longer than " + MagnetLink.MAX_LENGTH + " characters");
    }
    if (!uri.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      throw new MetainfoException("magnet", "does not start with 'magnet:?'");
    }
    MagnetParser parser = new MagnetParser();
    for (String parameter : uri.substring(PREFIX.length()).split("&")) {
      if (!parameter.isEmpty()) {
        parser.accept(parameter);
      }
    }
    if (parser.v1 == null && parser.v2 == null) {
      throw new MetainfoException("xt", "no BitTorrent info-hash (urn:btih or urn:btmh)");
    }
    return new MagnetLink(
        new InfoHashes(Optional.ofNullable(parser.v1), Optional.ofNullable(parser.v2)),
        Optional.ofNullable(parser.displayName),
        parser.trackers,
        parser.webSeeds,
        parser.peers,
        parser.selectOnly);
  }

  private void accept(String parameter) throws MetainfoException {
    int eq = parameter.indexOf('=');
    String key = (eq < 0 ? parameter : parameter.substring(0, eq)).toLowerCase(Locale.ROOT);
    String raw = eq < 0 ? "" : parameter.substring(eq + 1);
    if (NUMBERED.matcher(key).matches()) {
      key = key.substring(0, key.indexOf('.'));
    }
    switch (key) {
      case "xt" -> exactTopic(decode(key, raw));
      case "dn" -> displayName = decode(key, raw);
      case "tr" -> addUrl(trackers, key, raw);
      case "ws" -> addUrl(webSeeds, key, raw);
      case "x.pe" -> peers.add(peer(decode(key, raw)));
      case "so" -> selectOnly(decode(key, raw));
      default -> {
        // Other parameters (xl, as, kt, mt, ...) carry nothing BitTorrent needs.
      }
    }
  }

  private static String decode(String key, String raw) throws MetainfoException {
    try {
      return PercentEncoding.decode(raw);
    } catch (IllegalArgumentException e) {
      throw new MetainfoException(key, "malformed percent-encoding: " + e.getMessage());
    }
  }

  private static void addUrl(List<String> urls, String key, String raw) throws MetainfoException {
    String url = decode(key, raw).strip();
    if (!url.isEmpty() && !urls.contains(url)) {
      urls.add(url);
    }
  }

  private void exactTopic(String topic) throws MetainfoException {
    String lower = topic.toLowerCase(Locale.ROOT);
    if (lower.startsWith(BTIH)) {
      InfoHash hash = v1Hash(topic.substring(BTIH.length()));
      if (v1 != null && !v1.equals(hash)) {
        throw new MetainfoException("xt", "two different urn:btih info-hashes");
      }
      v1 = hash;
    } else if (lower.startsWith(BTMH)) {
      String multihash = lower.substring(BTMH.length());
      if (!multihash.startsWith(SHA256_MULTIHASH) || multihash.length() != 68) {
        throw new MetainfoException("xt", "urn:btmh must be a SHA-256 multihash (1220 + 64 hex)");
      }
      InfoHash hash = hexHash(multihash.substring(SHA256_MULTIHASH.length()));
      if (v2 != null && !v2.equals(hash)) {
        throw new MetainfoException("xt", "two different urn:btmh info-hashes");
      }
      v2 = hash;
    }
  }

  private static InfoHash v1Hash(String text) throws MetainfoException {
    if (text.length() == 32) {
      try {
        return InfoHash.fromBase32(text);
      } catch (IllegalArgumentException e) {
        throw new MetainfoException("xt", "invalid base32 info-hash");
      }
    }
    if (text.length() != 40) {
      throw new MetainfoException("xt", "urn:btih needs 40 hex or 32 base32 characters");
    }
    return hexHash(text);
  }

  private static InfoHash hexHash(String hex) throws MetainfoException {
    for (int i = 0; i < hex.length(); i++) {
      if (!PercentEncoding.isAsciiHexDigit(hex.charAt(i))) {
        throw new MetainfoException("xt", "invalid hex digit in info-hash");
      }
    }
    return InfoHash.fromHex(hex);
  }

  private static InetSocketAddress peer(String text) throws MetainfoException {
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      throw new MetainfoException("x.pe", "peer must be host:port");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new MetainfoException("x.pe", "an IPv6 peer must be written [address]:port");
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new MetainfoException("x.pe", "invalid port in " + text);
    }
    if (host.isEmpty() || port < 1 || port > 65535) {
      throw new MetainfoException("x.pe", "invalid peer " + text);
    }
    return InetSocketAddress.createUnresolved(host, port);
  }

  private void selectOnly(String ranges) throws MetainfoException {
    for (String part : ranges.split(",")) {
      var m = RANGE.matcher(part.strip());
      if (!m.matches()) {
        throw new MetainfoException("so", "invalid file range '" + part + "'");
      }
      long first = Long.parseLong(m.group(1));
      long last = m.group(2) == null ? first : Long.parseLong(m.group(2));
      if (last < first || last > Integer.MAX_VALUE) {
        throw new MetainfoException("so", "invalid file range '" + part + "'");
      }
      selectOnly.add(new FileRange((int) first, (int) last));
    }
  }
}
