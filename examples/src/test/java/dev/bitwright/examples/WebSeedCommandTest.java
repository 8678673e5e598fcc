package dev.bitwright.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.testsupport.StaticFiles;
import dev.bitwright.testsupport.TestHttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code download} from web seeds: added with {@code --web-seed}, or the torrent's own. */
@Timeout(60)
class WebSeedCommandTest {
  @TempDir Path dir;

  @SuppressForbidden
  private static Clock wall() {
    return Clock.systemUTC();
  }

  @Test
  void downloadFetchesFromAWebSeedAndSaysSo() throws Exception {
    Path payload = dir.resolve("seed").resolve("patch");
    Files.createDirectories(payload);
    byte[] bytes = new byte[600_000];
    new Random(8).nextBytes(bytes);
    Files.write(payload.resolve("game data.pak"), bytes);
    Path torrent = dir.resolve("patch.torrent");
    CliResult created =
        CliResult.run(wall(), "create", payload.toString(), "-o", torrent.toString());
    assertThat(created.code()).as(created.err()).isZero();
    try (TestHttpServer http = TestHttpServer.start()) {
      http.route("/cdn/", StaticFiles.serve("/cdn/", dir.resolve("seed")));
      CliResult r =
          CliResult.run(
              wall(),
              "download",
              torrent.toString(),
              "--dir",
              dir.resolve("dl").toString(),
              "--listen",
              "127.0.0.1",
              "--web-seed",
              http.url("/cdn/"),
              "--timeout",
              "30");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("web seeds 1").contains("downloaded and verified");
      assertThat(Files.readAllBytes(dir.resolve("dl/patch/game data.pak"))).isEqualTo(bytes);
      assertThat(Torrent.read(torrent).webSeeds()).isEmpty();
    }
  }

  @Test
  void aWebSeedIsAnHttpUrl() {
    CliResult r =
        CliResult.run(
            wall(), "download", "x.torrent", "--dir", "d", "--web-seed", "ftp://example/x");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--web-seed takes an http or https URL");
  }
}
