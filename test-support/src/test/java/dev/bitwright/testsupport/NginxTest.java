package dev.bitwright.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class NginxTest {
  @TempDir Path dir;

  private static HttpURLConnection get(String url, String range) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection) URI.create(url).toURL().openConnection(Proxy.NO_PROXY);
    c.setConnectTimeout(2_000);
    c.setReadTimeout(5_000);
    if (range != null) {
      c.setRequestProperty("Range", range);
    }
    return c;
  }

  private static byte[] body(HttpURLConnection c) throws IOException {
    try (InputStream in = c.getInputStream()) {
      return in.readAllBytes();
    }
  }

  @Test
  void servesRangesOfFilesWhoseNamesArePercentEncoded() throws Exception {
    Path root = Files.createDirectories(dir.resolve("www").resolve("a b#1 100%+é"));
    byte[] bytes = new byte[100_000];
    new Random(1).nextBytes(bytes);
    Files.write(root.resolve("x.bin"), bytes);
    try (Nginx nginx = Nginx.start(dir.resolve("nginx"), dir.resolve("www"))) {
      String url = nginx.url("/a%20b%231%20100%25+%C3%A9/x.bin");

      HttpURLConnection whole = get(url, null);
      assertThat(whole.getResponseCode()).isEqualTo(200);
      assertThat(body(whole)).isEqualTo(bytes);

      HttpURLConnection part = get(url, "bytes=1000-1999");
      assertThat(part.getResponseCode()).isEqualTo(206);
      assertThat(part.getHeaderField("Content-Range")).isEqualTo("bytes 1000-1999/100000");
      assertThat(body(part)).isEqualTo(Arrays.copyOfRange(bytes, 1000, 2000));

      assertThat(get(nginx.url("/missing.bin"), null).getResponseCode()).isEqualTo(404);
      assertThat(nginx.accessLog())
          .contains("\"GET /a%20b%231%20100%25+%C3%A9/x.bin HTTP/1.1\" 206");
    }
  }

  @Test
  void closingStopsIt() throws Exception {
    Files.createDirectories(dir.resolve("www"));
    int port;
    try (Nginx nginx = Nginx.start(dir.resolve("nginx"), dir.resolve("www"))) {
      port = nginx.port();
      assertThat(get(nginx.url("/nothing"), null).getResponseCode()).isEqualTo(404);
    }
    assertThat(Files.readString(dir.resolve("nginx").resolve("nginx.conf")))
        .contains("daemon off;", "root \"" + dir.resolve("www").toAbsolutePath() + "\";");
    HttpURLConnection after = get("http://127.0.0.1:" + port + "/nothing", null);
    assertThatIOException().isThrownBy(after::getResponseCode);
  }
}
