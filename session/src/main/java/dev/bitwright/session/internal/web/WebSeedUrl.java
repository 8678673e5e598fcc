package dev.bitwright.session.internal.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Where a web seed serves each file (BEP 19, as libtorrent and aria2 read it): the URL of a
 * single-file torrent is the file itself; the URL of a multi-file torrent is a folder, to which the
 * torrent's name and the file's path are appended, one segment at a time, each percent-encoded as
 * RFC 3986 wants it (everything but the unreserved characters, as UTF-8 bytes).
 */
public final class WebSeedUrl {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private WebSeedUrl() {}

  /**
   * Returns the URL of one file.
   *
   * @param base the web seed's URL
   * @param multiFile whether the torrent has a folder of files (its name is the folder's)
   * @param name the torrent's name
   * @param path the file's path inside the torrent's folder (ignored for a single file)
   */
  public static URI fileUrl(URI base, boolean multiFile, String name, List<String> path) {
    if (!multiFile) {
      return base;
    }
    StringBuilder url = new StringBuilder(base.toString());
    if (url.charAt(url.length() - 1) != '/') {
      url.append('/');
    }
    encodeSegment(name, url);
    for (String segment : path) {
      url.append('/');
      encodeSegment(segment, url);
    }
    return URI.create(url.toString());
  }

  /** Appends {@code segment} percent-encoded: only RFC 3986's unreserved characters stay. */
  static void encodeSegment(String segment, StringBuilder out) {
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >>> 4]).append(HEX[c & 0xf]);
      }
    }
  }
}
