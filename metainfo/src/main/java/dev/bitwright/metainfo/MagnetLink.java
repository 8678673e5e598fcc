package dev.bitwright.metainfo;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import dev.bitwright.metainfo.internal.MagnetParser;
import dev.bitwright.metainfo.internal.PercentEncoding;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * A magnet link (BEP 9, with the v2 form of BEP 52 and the file selection of BEP 53): enough to
 * find a torrent's peers and fetch its metadata from them.
 *
 * <p>Recognised parameters: {@code xt=urn:btih:} (v1, 40 hex digits or 32 base32 characters),
 * {@code xt=urn:btmh:1220…} (v2, a SHA-256 multihash), {@code dn} (display name), {@code tr}
 * (trackers), {@code ws} (web seeds), {@code x.pe} (peers as {@code host:port}) and {@code so}
 * (select only, such as {@code 0,2,4-6}). Numbered forms such as {@code tr.1} are accepted; other
 * parameters are ignored.
 *
 * @param infoHashes the v1 and/or v2 info-hash
 * @param displayName the name to show until the metadata arrives
 * @param trackers tracker URLs, in order; immutable
 * @param webSeeds web seed URLs, in order; immutable
 * @param peers peer addresses to try, unresolved; immutable
 * @param selectOnly the file index ranges to download, or empty for all files; immutable
 */
public record MagnetLink(
    InfoHashes infoHashes,
    Optional<String> displayName,
    List<String> trackers,
    List<String> webSeeds,
    List<InetSocketAddress> peers,
    List<FileRange> selectOnly) {
  /** The longest magnet link {@link #parse(String)} accepts, in characters. */
  public static final int MAX_LENGTH = 64 * 1024;

  /**
   * Creates a magnet link; lists are copied.
   *
   * @param infoHashes the v1 and/or v2 info-hash
   * @param displayName the name to show until the metadata arrives, if known
   * @param trackers tracker URLs, in order; copied
   * @param webSeeds web seed URLs, in order; copied
   * @param peers peer addresses to try, unresolved; copied
   * @param selectOnly the file index ranges to download, or empty for all files; copied
   */
  public MagnetLink {
    trackers = ImmutableList.copyOf(trackers);
    webSeeds = ImmutableList.copyOf(webSeeds);
    peers = ImmutableList.copyOf(peers);
    selectOnly = ImmutableList.copyOf(selectOnly);
  }

  /**
   * {@return a magnet link with only an info-hash}
   *
   * @param infoHashes the v1 and/or v2 info-hash
   */
  public static MagnetLink of(InfoHashes infoHashes) {
    return new MagnetLink(infoHashes, Optional.empty(), List.of(), List.of(), List.of(), List.of());
  }

  /**
   * Parses a magnet URI.
   *
   * @param uri the magnet URI, {@code magnet:?xt=…}, of at most {@link #MAX_LENGTH} characters
   * @return the link's info-hashes and the recognised parameters
   * @throws MetainfoException if it is not a magnet link with a valid BitTorrent info-hash, or a
   *     parameter is malformed
   */
  public static MagnetLink parse(String uri) throws MetainfoException {
    return MagnetParser.parse(uri);
  }

  /** {@return the link as a URI string, every value percent-encoded} */
  public String toUri() {
    StringJoiner query = new StringJoiner("&", "magnet:?", "");
    infoHashes.v1().ifPresent(h -> query.add("xt=urn:btih:" + h.hex()));
    infoHashes.v2().ifPresent(h -> query.add("xt=urn:btmh:1220" + h.hex()));
    displayName.ifPresent(n -> query.add("dn=" + PercentEncoding.encode(n)));
    trackers.forEach(t -> query.add("tr=" + PercentEncoding.encode(t)));
    webSeeds.forEach(w -> query.add("ws=" + PercentEncoding.encode(w)));
    for (InetSocketAddress peer : peers) {
      String host = peer.getHostString();
      String literal = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
      query.add("x.pe=" + PercentEncoding.encode(literal + ":" + peer.getPort()));
    }
    if (!selectOnly.isEmpty()) {
      StringJoiner so = new StringJoiner(",");
      selectOnly.forEach(r -> so.add(r.toString()));
      query.add("so=" + so);
    }
    return query.toString();
  }

  /** Returns the URI. */
  @Override
  public String toString() {
    return toUri();
  }

  /**
   * An inclusive range of file indices in a {@code so} parameter.
   *
   * @param first the first index
   * @param last the last index, at least {@code first}
   */
  public record FileRange(int first, int last) {
    /**
     * Creates a range.
     *
     * @param first the first index; not negative
     * @param last the last index, at least {@code first}
     * @throws IllegalArgumentException if {@code first} is negative or {@code last < first}
     */
    public FileRange {
      checkArgument(first >= 0 && last >= first, "invalid file range %s-%s", first, last);
    }

    /**
     * {@return whether {@code index} lies in the range}
     *
     * @param index a file index
     */
    public boolean contains(int index) {
      return index >= first && index <= last;
    }

    /** Returns {@code first} or {@code first-last}. */
    @Override
    public String toString() {
      return first == last ? Integer.toString(first) : first + "-" + last;
    }
  }
}
