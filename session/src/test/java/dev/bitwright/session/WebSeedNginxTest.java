package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.metainfo.TorrentVersion;
import dev.bitwright.testsupport.Nginx;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Web seeds (BEP 19) served by a real nginx (Debian's {@code nginx-light}) on 127.0.0.1: Bitwright
 * downloads from it alone and beside a libtorrent seed, and aria2 and libtorrent download from it
 * through the {@code url-list} of torrents Bitwright made. The names need percent-encoding (spaces,
 * {@code #}, {@code %}, {@code +}, a {@code %20} that is not an escape, non-ASCII), so every client
 * must encode the multi-file layout's segments as nginx decodes them. Every file is compared by
 * SHA-256. Skipped if nginx is not installed.
 */
@Timeout(120)
class WebSeedNginxTest {
  /** The multi-file torrent's name: its folder on the server, after the web seed's URL. */
  private static final String MULTI = "Patch #7 (100% + ü)";

  private static final String[] MULTI_FILES = {
    "read me.txt", "data 50%/a#b+c.pak", "名前/ファイル 1.bin", "x%20y.bin", "empty", "z.bin"
  };
  private static final int[] MULTI_SIZES = {1, 1_000_003, 300_000, 65_536, 0, 2_500_001};

  /** The single-file torrent's name: the file the web seed's URL names. */
  private static final String SINGLE = "Patch 1.2 #3 100% + ü.pak";

  private static final Pattern STATUS = Pattern.compile("\" (\\d{3}) ");

  @TempDir static Path dir;
  static Path www;
  static Nginx nginx;

  @BeforeAll
  static void serve() throws Exception {
    www = dir.resolve("www");
    Random random = new Random(19);
    for (int i = 0; i < MULTI_FILES.length; i++) {
      write(www.resolve("multi").resolve(MULTI).resolve(MULTI_FILES[i]), MULTI_SIZES[i], random);
    }
    write(www.resolve("single").resolve(SINGLE), 3_000_017, random);
    nginx = Nginx.start(dir.resolve("nginx"), www);
  }

  @AfterAll
  static void stop() {
    if (nginx != null) {
      nginx.close();
    }
  }

  private static void write(Path file, int size, Random random) throws IOException {
    Files.createDirectories(file.getParent());
    byte[] bytes = new byte[size];
    random.nextBytes(bytes);
    Files.write(file, bytes);
  }

  /** The folder URL of the multi-file payload (the torrent's name is appended by the client). */
  private static String multiUrl() {
    return nginx.url("/multi/");
  }

  /** The URL of the single file, encoded here independently of the code under test. */
  private static String singleUrl() throws URISyntaxException {
    return nginx.url(new URI(null, null, "/single/" + SINGLE, null, null).toASCIIString());
  }

  private static Torrent multi(TorrentVersion version, String... webSeeds) throws IOException {
    TorrentBuilder b =
        TorrentBuilder.create(www.resolve("multi").resolve(MULTI))
            .version(version)
            .pieceLength(64 * 1024);
    for (String w : webSeeds) {
      b.addWebSeed(w);
    }
    return b.build();
  }

  private static Torrent single(String... webSeeds) throws IOException {
    TorrentBuilder b =
        TorrentBuilder.create(www.resolve("single").resolve(SINGLE)).pieceLength(256 * 1024);
    for (String w : webSeeds) {
      b.addWebSeed(w);
    }
    return b.build();
  }

  private static Path write(Torrent torrent, String name) throws IOException {
    Path file = dir.resolve(name + ".torrent");
    Files.write(file, torrent.toBytes());
    return file;
  }

  /**
   * Asserts that nginx answered every request since {@code before} lines of its access log with a
   * file's bytes (206 or 200): no request for a missing file (a wrongly encoded name, a padding
   * file), no range it could not serve.
   */
  private static void assertServedOnlyFiles(long before) throws IOException {
    String[] lines = nginx.accessLog().lines().skip(before).toArray(String[]::new);
    assertThat(lines).isNotEmpty();
    for (String line : lines) {
      Matcher m = STATUS.matcher(line);
      assertThat(m.find()).as(line).isTrue();
      assertThat(m.group(1)).as(line).isIn("200", "206");
    }
  }

  private static long accessLines() throws IOException {
    return nginx.accessLog().lines().count();
  }

  @ParameterizedTest
  @EnumSource(
      value = TorrentVersion.class,
      names = {"V1", "HYBRID"})
  void bitwrightDownloadsAMultiFileTorrentFromNginxAlone(TorrentVersion version) throws Exception {
    Torrent torrent = multi(version);
    Path target = dir.resolve("bw-multi-" + version);
    long before = accessLines();
    try (TorrentSession session = TorrentSession.start(Swarm.config().build())) {
      TorrentHandle handle =
          session.add(AddTorrent.torrent(torrent, target).webSeed(URI.create(multiUrl())).build());
      handle.completion().get(30, TimeUnit.SECONDS);
      Swarm.assertSameFiles(torrent, www.resolve("multi"), target);
      TorrentStatus status = handle.status();
      WebSeedInfo seed = status.webSeeds().get(0);
      assertThat(seed.state()).isEqualTo(WebSeedInfo.State.ACTIVE);
      assertThat(seed.lastError()).isEmpty();
      assertThat(seed.downloaded()).isGreaterThanOrEqualTo(status.bytesWanted());
      assertThat(status.downloaded()).isEqualTo(seed.downloaded());
    }
    // BEP 47's padding files of the hybrid torrent are never asked for
    assertServedOnlyFiles(before);
    assertThat(nginx.accessLog()).doesNotContain(".pad");
  }

  @Test
  void bitwrightDownloadsASingleFileTorrentFromTheNginxInItsUrlList() throws Exception {
    Torrent torrent = single(singleUrl());
    Path target = dir.resolve("bw-single");
    long before = accessLines();
    try (TorrentSession session = TorrentSession.start(Swarm.config().build())) {
      TorrentHandle handle = session.add(AddTorrent.torrent(torrent, target).build());
      handle.completion().get(30, TimeUnit.SECONDS);
      Swarm.assertSameFiles(torrent, www.resolve("single"), target);
      assertThat(handle.status().webSeeds())
          .singleElement()
          .satisfies(s -> assertThat(s.downloaded()).isEqualTo(torrent.totalLength()));
    }
    assertServedOnlyFiles(before);
  }

  /**
   * nginx and a libtorrent seed serve one Bitwright leecher: the download completes byte for byte,
   * and both contribute. Both are throttled, as on a real network, so that neither can deliver the
   * whole payload before the other starts (on loopback either can, in a fraction of a second):
   * nginx at 4 MB/s per request, as a CDN that limits each connection, and the libtorrent seed at 8
   * MiB/s. The share of each is printed.
   */
  @Test
  void nginxAndALibtorrentSeedShareADownload() throws Exception {
    Path payload = www.resolve("mixed").resolve("mixed");
    Random random = new Random(7);
    for (int i = 0; i < 4; i++) {
      write(payload.resolve("part" + i + ".pak"), 12 * Swarm.MIB + 4097 * i, random);
    }
    Torrent torrent = TorrentBuilder.create(payload).pieceLength(256 * 1024).build();
    Path torrentFile = write(torrent, "mixed");
    Path scratch = Files.createDirectories(dir.resolve("scratch-mixed"));
    Path target = dir.resolve("bw-mixed");
    try (LibtorrentClient peer =
            LibtorrentClient.start(
                "seed", torrentFile.toString(), www.resolve("mixed"), "enabled", scratch, 8 << 20);
        // The libtorrent seed listens on TCP only: dial it there first, not after uTP gave up.
        TorrentSession session = TorrentSession.start(Swarm.config().preferUtp(false).build())) {
      long start = System.nanoTime();
      TorrentHandle handle =
          session.add(
              AddTorrent.torrent(torrent, target)
                  .peer(InteropSupport.local(peer.port()))
                  .webSeed(URI.create(nginx.url(Nginx.THROTTLED + "mixed/")))
                  .build());
      handle.completion().get(60, TimeUnit.SECONDS);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      Swarm.assertSameFiles(torrent, www.resolve("mixed"), target);
      TorrentStatus status = handle.status();
      long fromWeb = status.webSeeds().get(0).downloaded();
      long fromPeers = status.downloaded() - fromWeb;
      System.out.printf(
          "web seed share: %d of %d bytes (%.1f %%) from nginx, %d (%.1f %%) from the libtorrent"
              + " seed; %d bytes wanted, %d received more than once (endgame); %d ms%n",
          fromWeb,
          status.downloaded(),
          100.0 * fromWeb / status.downloaded(),
          fromPeers,
          100.0 * fromPeers / status.downloaded(),
          status.bytesWanted(),
          status.downloaded() - status.bytesWanted(),
          millis);
      assertThat(status.downloaded()).isGreaterThanOrEqualTo(torrent.totalLength());
      assertThat(fromWeb).as("bytes from nginx").isPositive();
      assertThat(fromPeers).as("bytes from the libtorrent seed").isPositive();
    }
  }

  @Test
  void aria2DownloadsAMultiFileTorrentOfOursFromNginx() throws Exception {
    downloadedBy("aria2", multi(TorrentVersion.V1, multiUrl()), "multi", WebSeedNginxTest::aria2);
  }

  @Test
  void aria2DownloadsASingleFileTorrentOfOursFromNginx() throws Exception {
    downloadedBy("aria2", single(singleUrl()), "single", WebSeedNginxTest::aria2);
  }

  @Test
  void libtorrentDownloadsAMultiFileTorrentOfOursFromNginx() throws Exception {
    downloadedBy(
        "lt", multi(TorrentVersion.HYBRID, multiUrl()), "multi", WebSeedNginxTest::libtorrent);
  }

  @Test
  void libtorrentDownloadsASingleFileTorrentOfOursFromNginx() throws Exception {
    downloadedBy("lt", single(singleUrl()), "single", WebSeedNginxTest::libtorrent);
  }

  /** Another client that downloads a torrent file into a folder, nginx its only source. */
  @FunctionalInterface
  private interface Leech {
    void download(Path torrentFile, Path target, Path work) throws Exception;
  }

  /**
   * Has {@code leech} download {@code torrent} (its {@code layout}'s payload, nginx in its {@code
   * url-list}) and checks every file and every request nginx answered.
   */
  private static void downloadedBy(String client, Torrent torrent, String layout, Leech leech)
      throws Exception {
    Path target = Files.createDirectories(dir.resolve(client + "-" + layout));
    Path work = Files.createDirectories(dir.resolve(client + "-work-" + layout));
    long before = accessLines();
    leech.download(write(torrent, client + "-" + layout), target, work);
    Swarm.assertSameFiles(torrent, www.resolve(layout), target);
    assertServedOnlyFiles(before);
  }

  /**
   * aria2, which exits once done (v1 torrents only: it computes hybrid ones' info-hash wrongly).
   */
  private static void aria2(Path torrentFile, Path target, Path work) throws Exception {
    try (Aria2Client aria2 = Aria2Client.leech(torrentFile, target, work)) {
      assertThat(aria2.awaitExit(Duration.ofSeconds(60))).as(aria2.log()).isZero();
    }
  }

  /** libtorrent, with no peer given or found. */
  private static void libtorrent(Path torrentFile, Path target, Path work) throws Exception {
    try (LibtorrentClient leech =
        LibtorrentClient.start("leech", torrentFile.toString(), target, "enabled", work)) {
      leech.awaitFinished(60);
    }
  }
}
