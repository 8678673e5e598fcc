package dev.bitwright.testsupport;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link TestHttpServer.Handler} that serves the files under a folder as a web server does, with
 * single {@code Range} requests ({@code 206} and {@code Content-Range}), {@code 404} for a file
 * that is not there and {@code 416} for a range it cannot read. The path below the route is
 * percent-decoded segment by segment. An optional transformation of the bytes sent makes a server
 * that lies.
 */
public final class StaticFiles {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");

  private StaticFiles() {}

  /** Returns a handler serving the files under {@code root} at the route {@code prefix}. */
  public static TestHttpServer.Handler serve(String prefix, Path root) {
    return serve(prefix, root, UnaryOperator.identity());
  }

  /**
   * Returns a handler serving the files under {@code root} at the route {@code prefix}, the bytes
   * of every answer passed through {@code transform} first.
   */
  public static TestHttpServer.Handler serve(
      String prefix, Path root, UnaryOperator<byte[]> transform) {
    return ex -> {
      Path file = root;
      for (String segment : ex.uri().getRawPath().substring(prefix.length()).split("/")) {
        file = file.resolve(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
      if (!Files.isRegularFile(file)) {
        ex.send(404, new byte[0]);
        return;
      }
      byte[] all = Files.readAllBytes(file);
      Optional<String> range = ex.requestHeader("Range");
      if (range.isEmpty()) {
        ex.send(200, transform.apply(all));
        return;
      }
      Matcher m = RANGE.matcher(range.get());
      if (!m.matches() || Long.parseLong(m.group(1)) >= all.length) {
        ex.send(416, new byte[0]);
        return;
      }
      int from = Integer.parseInt(m.group(1));
      int to = (int) Math.min(all.length - 1L, Long.parseLong(m.group(2)));
      ex.header("Content-Range", "bytes " + from + "-" + to + "/" + all.length);
      ex.send(206, transform.apply(Arrays.copyOfRange(all, from, to + 1)));
    };
  }
}
