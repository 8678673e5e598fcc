package dev.bitwright.tracker;

import com.google.common.net.InetAddresses;
import dev.bitwright.bencode.BencodeDecoder;
import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeException;
import dev.bitwright.bencode.BencodeInteger;
import dev.bitwright.bencode.BencodeList;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.bencode.BencodeValue;
import dev.bitwright.metainfo.InfoHash;
import dev.bitwright.metainfo.internal.compact.CompactAddressException;
import dev.bitwright.metainfo.internal.compact.CompactAddresses;
import dev.bitwright.tracker.internal.UrlEncoding;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The HTTP tracker protocol without the transport: announce and scrape URLs, and the parsing of
 * replies (BEP 3, 7, 23, 24, 48). Replies are decoded within limits ({@link #MAX_RESPONSE_SIZE});
 * dictionary keys may come unsorted, as from many real trackers.
 */
public final class HttpTracker {
  /** The largest reply body accepted (after gzip decoding): 2 MiB. */
  public static final int MAX_RESPONSE_SIZE = 2 * 1024 * 1024;

  /** The interval used when a tracker gives none: 30 minutes. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(30);

  /** The shortest interval honoured, whatever a tracker says: 1 minute. */
  public static final Duration SHORTEST_INTERVAL = Duration.ofMinutes(1);

  private static final BencodeDecoder DECODER =
      BencodeDecoder.builder()
          .allowUnsortedKeys(true)
          .maxInputLength(MAX_RESPONSE_SIZE)
          .maxDepth(8)
          .maxValues(200_000)
          .build();

  private HttpTracker() {}

  /**
   * {@return the announce URL: the tracker URL with the request's parameters appended (info-hash
   * and peer id percent-encoded as raw bytes, {@code compact=1})}
   *
   * @param trackerUrl the tracker's {@code http} or {@code https} announce URL, which may already
   *     carry a query
   * @param r the announce's fields
   * @throws TrackerException if {@code trackerUrl} is not an http(s) URL
   */
  public static URI announceUri(String trackerUrl, AnnounceRequest r) throws TrackerException {
    StringBuilder q = new StringBuilder(trackerUrl.strip());
    q.append(trackerUrl.indexOf('?') >= 0 ? '&' : '?');
    q.append("info_hash=").append(UrlEncoding.encode(r.infoHash()));
    q.append("&peer_id=").append(UrlEncoding.encode(r.peerId()));
    q.append("&port=").append(r.port());
    q.append("&uploaded=").append(r.uploaded());
    q.append("&downloaded=").append(r.downloaded());
    q.append("&left=").append(r.left());
    q.append("&compact=1");
    if (r.event() != AnnounceEvent.NONE) {
      q.append("&event=").append(r.event().httpName());
    }
    if (r.numWant() >= 0) {
      q.append("&numwant=").append(r.numWant());
    }
    q.append("&key=").append(String.format(Locale.ROOT, "%08X", r.key()));
    r.trackerId()
        .ifPresent(
            id ->
                q.append("&trackerid=")
                    .append(UrlEncoding.encode(id.getBytes(StandardCharsets.UTF_8))));
    if (r.supportCrypto()) {
      q.append("&supportcrypto=1");
    }
    if (r.requireCrypto()) {
      q.append("&requirecrypto=1");
    }
    return httpUri(q.toString());
  }

  /**
   * {@return the scrape URL of a tracker (BEP 48): the announce URL whose last path segment starts
   * with {@code announce}, with that word replaced by {@code scrape}, and an {@code info_hash}
   * parameter per hash} Empty if the tracker URL does not allow scraping.
   *
   * @param trackerUrl the tracker's {@code http} or {@code https} announce URL
   * @param infoHashes the 20-byte info-hashes to ask about
   * @throws TrackerException if {@code trackerUrl} is not an http(s) URL
   */
  public static Optional<URI> scrapeUri(String trackerUrl, List<byte[]> infoHashes)
      throws TrackerException {
    String url = trackerUrl.strip();
    URI uri = httpUri(url);
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    int slash = path.lastIndexOf('/');
    if (slash < 0 || !path.startsWith("announce", slash + 1)) {
      return Optional.empty();
    }
    String scrapePath = path.substring(0, slash + 1) + "scrape" + path.substring(slash + 1 + 8);
    StringBuilder q = new StringBuilder();
    q.append(uri.getScheme()).append("://").append(uri.getRawAuthority()).append(scrapePath);
    char separator = '?';
    if (uri.getRawQuery() != null) {
      q.append('?').append(uri.getRawQuery());
      separator = '&';
    }
    for (byte[] hash : infoHashes) {
      q.append(separator).append("info_hash=").append(UrlEncoding.encode(hash));
      separator = '&';
    }
    return Optional.of(httpUri(q.toString()));
  }

  private static URI httpUri(String url) throws TrackerException {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
        throw new TrackerException("not an http(s) tracker URL: " + url, false);
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new TrackerException("invalid tracker URL: " + url, e);
    }
  }

  /**
   * Parses an announce reply.
   *
   * @param body the reply's body, a bencoded dictionary
   * @return the interval ({@link #DEFAULT_INTERVAL} when missing, at least {@link
   *     #SHORTEST_INTERVAL}), the peers (compact or dictionary form, IPv4 and IPv6) and the
   *     optional fields the tracker gave
   * @throws TrackerException if the tracker reports a failure or the reply is malformed
   */
  public static AnnounceResponse parseAnnounce(byte[] body) throws TrackerException {
    BencodeDictionary d = dictionary(body);
    Duration interval = seconds(d, "interval").filter(i -> !i.isZero()).orElse(DEFAULT_INTERVAL);
    Optional<Duration> minInterval = seconds(d, "min interval");
    List<InetSocketAddress> peers = new ArrayList<>();
    Optional<BencodeValue> v4 = d.get("peers");
    if (v4.isPresent() && v4.get() instanceof BencodeString s) {
      peers.addAll(compactPeers(s.asReadOnlyBuffer(), CompactAddresses.IPV4));
    } else if (v4.isPresent() && v4.get() instanceof BencodeList list) {
      peers.addAll(dictionaryPeers(list));
    }
    if (d.get("peers6").orElse(null) instanceof BencodeString s6) {
      peers.addAll(compactPeers(s6.asReadOnlyBuffer(), CompactAddresses.IPV6));
    }
    return new AnnounceResponse(
        interval.compareTo(SHORTEST_INTERVAL) < 0 ? SHORTEST_INTERVAL : interval,
        minInterval,
        count(d, "complete"),
        count(d, "incomplete"),
        peers,
        text(d, "tracker id"),
        text(d, "warning message"),
        externalIp(d));
  }

  /**
   * Parses a scrape reply: statistics by info-hash.
   *
   * @param body the reply's body, a bencoded dictionary
   * @return the statistics the tracker gave, by info-hash; hashes it did not mention are absent
   * @throws TrackerException if the tracker reports a failure or the reply is malformed
   */
  public static Map<InfoHash, ScrapeStats> parseScrape(byte[] body) throws TrackerException {
    BencodeDictionary d = dictionary(body);
    if (!(d.get("files").orElse(null) instanceof BencodeDictionary files)) {
      throw new TrackerException("scrape reply without files", false);
    }
    Map<InfoHash, ScrapeStats> stats = new LinkedHashMap<>();
    for (Map.Entry<BencodeString, BencodeValue> e : files.entries().entrySet()) {
      if (e.getKey().length() == 20 && e.getValue() instanceof BencodeDictionary f) {
        stats.put(
            new InfoHash(e.getKey().bytes()),
            new ScrapeStats(
                count(f, "complete").orElse(0),
                count(f, "downloaded").orElse(0),
                count(f, "incomplete").orElse(0)));
      }
    }
    return stats;
  }

  private static BencodeDictionary dictionary(byte[] body) throws TrackerException {
    BencodeValue value;
    try {
      value = DECODER.decode(body);
    } catch (BencodeException e) {
      throw new TrackerException("malformed tracker reply: " + e.getMessage(), e);
    }
    if (!(value instanceof BencodeDictionary d)) {
      throw new TrackerException("tracker reply is not a dictionary", false);
    }
    Optional<String> failure = text(d, "failure reason");
    if (failure.isPresent()) {
      throw new TrackerException("tracker failure: " + failure.get(), true);
    }
    return d;
  }

  private static List<InetSocketAddress> dictionaryPeers(BencodeList list) {
    List<InetSocketAddress> peers = new ArrayList<>();
    for (BencodeValue v : list.values()) {
      if (v instanceof BencodeDictionary p
          && p.get("ip").orElse(null) instanceof BencodeString ip
          && p.get("port").orElse(null) instanceof BencodeInteger port
          && port.value() > 0
          && port.value() <= 0xffff) {
        literal(ip.text()).ifPresent(a -> peers.add(new InetSocketAddress(a, (int) port.value())));
      }
    }
    return peers;
  }

  /** Only IP literals: resolving host names sent by a tracker is not worth a DNS lookup each. */
  private static Optional<InetAddress> literal(String text) {
    return InetAddresses.isInetAddress(text)
        ? Optional.of(InetAddresses.forString(text))
        : Optional.empty();
  }

  private static Optional<Duration> seconds(BencodeDictionary d, String key) {
    if (d.get(key).orElse(null) instanceof BencodeInteger i && i.value() >= 0) {
      return Optional.of(Duration.ofSeconds(Math.min(i.value(), Integer.MAX_VALUE)));
    }
    return Optional.empty();
  }

  private static OptionalInt count(BencodeDictionary d, String key) {
    if (d.get(key).orElse(null) instanceof BencodeInteger i
        && i.value() >= 0
        && i.value() <= Integer.MAX_VALUE) {
      return OptionalInt.of((int) i.value());
    }
    return OptionalInt.empty();
  }

  private static Optional<String> text(BencodeDictionary d, String key) {
    return d.get(key).filter(BencodeString.class::isInstance).map(v -> ((BencodeString) v).text());
  }

  private static Optional<InetAddress> externalIp(BencodeDictionary d) {
    if (d.get("external ip").orElse(null) instanceof BencodeString s) {
      try {
        return Optional.of(CompactAddresses.ip(s.bytes()));
      } catch (CompactAddressException e) {
        // The address is only a hint: a malformed one is as good as none.
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /**
   * Reads a compact peer list (BEP 23, BEP 7, BEP 15) of {@code ipLength}-byte addresses, as
   * leniently as trackers need: a trailing partial entry is ignored and peers on port 0 are skipped
   * (no one listens there).
   */
  static List<InetSocketAddress> compactPeers(ByteBuffer in, int ipLength) {
    int whole = in.remaining() - in.remaining() % (ipLength + 2);
    List<InetSocketAddress> peers;
    try {
      peers = CompactAddresses.decodeList(in.slice(in.position(), whole), ipLength);
    } catch (CompactAddressException impossible) {
      throw new AssertionError("the list was cut to whole entries", impossible);
    }
    peers.removeIf(p -> p.getPort() == 0);
    return peers;
  }
}
