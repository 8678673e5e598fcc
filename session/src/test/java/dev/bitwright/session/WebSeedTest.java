package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.testsupport.StaticFiles;
import dev.bitwright.testsupport.TestHttpServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads from web seeds (BEP 19) served by an HTTP server of the test's own that honours {@code
 * Range} — and, in the fault tests, answers 503 with {@code Retry-After}, sends wrong bytes or
 * lacks a file. Every download is checked byte for byte.
 */
@Timeout(60)
class WebSeedTest {
  @TempDir Path dir;

  private static byte[] flipped(byte[] bytes) {
    byte[] copy = bytes.clone();
    for (int i = 0; i < copy.length; i += 1000) {
      copy[i] ^= 0x5a;
    }
    return copy;
  }

  /** A multi-file payload whose names need percent-encoding, in {@code dir/seed/My Game #1}. */
  private Path payload() throws IOException {
    Path folder = dir.resolve("seed").resolve("My Game #1");
    Files.createDirectories(folder.resolve("data 100%"));
    Random random = new Random(3);
    int[] sizes = {300_000, 1, 65_536, 700_001};
    String[] names = {"a.bin", "data 100%/é b.pak", "c+d.bin", "data 100%/big.bin"};
    for (int i = 0; i < sizes.length; i++) {
      byte[] bytes = new byte[sizes[i]];
      random.nextBytes(bytes);
      Files.write(folder.resolve(names[i]), bytes);
    }
    return folder;
  }

  private TorrentHandle download(TorrentSession session, Torrent torrent, URI... seeds) {
    AddTorrent.Builder add = AddTorrent.torrent(torrent, dir.resolve("dl"));
    for (URI s : seeds) {
      add.webSeed(s);
    }
    return session.add(add.build());
  }

  @Test
  void aMultiFileTorrentComesFromAWebSeedAlone() throws Exception {
    Path payload = payload();
    Torrent torrent = TorrentBuilder.create(payload).pieceLength(64 * 1024).build();
    try (TestHttpServer http = TestHttpServer.start();
        TorrentSession session = TorrentSession.start(Swarm.config().build())) {
      http.route("/seeds/", StaticFiles.serve("/seeds/", dir.resolve("seed")));
      TorrentHandle handle = download(session, torrent, URI.create(http.url("/seeds")));
      handle.completion().get(30, TimeUnit.SECONDS);
      Swarm.assertSameFiles(torrent, dir.resolve("seed"), dir.resolve("dl"));
      WebSeedInfo seed = handle.status().webSeeds().get(0);
      assertThat(seed.downloaded()).isEqualTo(handle.status().bytesWanted());
      assertThat(seed.state()).isEqualTo(WebSeedInfo.State.ACTIVE);
      assertThat(handle.status().downloaded()).isGreaterThanOrEqualTo(seed.downloaded());
      TorrentMetrics metrics = session.metrics().torrent(torrent.infoHashes()).orElseThrow();
      assertThat(metrics.get(Metric.DOWNLOADED_FROM_WEB_SEEDS)).isEqualTo(seed.downloaded());
      assertThat(metrics.get(Metric.DOWNLOADED_FROM_PEERS)).isZero();
    }
  }

  @Test
  void aSingleFileTorrentsWebSeedIsTheFileAndATorrentsUrlListIsUsed() throws Exception {
    Path file = dir.resolve("seed").resolve("patch.pak");
    Files.createDirectories(file.getParent());
    byte[] bytes = new byte[1_000_003];
    new Random(4).nextBytes(bytes);
    Files.write(file, bytes);
    try (TestHttpServer http = TestHttpServer.start();
        TorrentSession session = TorrentSession.start(Swarm.config().build())) {
      http.route("/files/", StaticFiles.serve("/files/", dir.resolve("seed")));
      Torrent torrent =
          TorrentBuilder.create(file)
              .pieceLength(256 * 1024)
              .addWebSeed(http.url("/files/patch.pak"))
              .build();
      TorrentHandle handle = session.add(AddTorrent.torrent(torrent, dir.resolve("dl")).build());
      handle.completion().get(30, TimeUnit.SECONDS);
      assertThat(Files.readAllBytes(dir.resolve("dl").resolve("patch.pak"))).isEqualTo(bytes);
    }
  }

  @Test
  void aWebSeedIsAskedInFewLongRequestsAndNoMoreAtOnceThanConfigured() throws Exception {
    Path file = dir.resolve("seed").resolve("long.pak");
    Files.createDirectories(file.getParent());
    byte[] bytes = new byte[6 * 1024 * 1024 + 5];
    new Random(5).nextBytes(bytes);
    Files.write(file, bytes);
    AtomicInteger atOnce = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    TestHttpServer.Handler files = StaticFiles.serve("/files/", dir.resolve("seed"));
    try (TestHttpServer http = TestHttpServer.start();
        TorrentSession session = TorrentSession.start(Swarm.config().webSeedRequests(2).build())) {
      http.route(
          "/files/",
          ex -> {
            // Counted from arrival until just before the answer goes out: the client cannot send
            // its next request before it has the answer, so this never counts one request twice.
            most.accumulateAndGet(atOnce.incrementAndGet(), Math::max);
            Thread.sleep(20);
            atOnce.decrementAndGet();
            files.handle(ex);
          });
      Torrent torrent = TorrentBuilder.create(file).pieceLength(64 * 1024).build();
      TorrentHandle handle =
          session.add(
              AddTorrent.torrent(torrent, dir.resolve("dl"))
                  .webSeed(URI.create(http.url("/files/long.pak")))
                  .build());
      handle.completion().get(30, TimeUnit.SECONDS);
      assertThat(Files.readAllBytes(dir.resolve("dl").resolve("long.pak"))).isEqualTo(bytes);
      assertThat(most.get()).as("requests at once").isBetween(1, 2);
      // Jobs of up to 1 MiB over runs of whole pieces: not a request per 64 KiB piece (97).
      assertThat(http.hits("/files/")).as("requests").isLessThanOrEqualTo(24);
    }
  }

  @Test
  void aBusyServerIsWaitedForAsItAsks() throws Exception {
    Path payload = payload();
    Torrent torrent = TorrentBuilder.create(payload).pieceLength(64 * 1024).build();
    AtomicInteger busy = new AtomicInteger(2);
    TestHttpServer.Handler files = StaticFiles.serve("/seeds/", dir.resolve("seed"));
    try (TestHttpServer http = TestHttpServer.start();
        TorrentSession session = TorrentSession.start(Swarm.config().build())) {
      http.route(
          "/seeds/",
          ex -> {
            if (busy.getAndDecrement() > 0) {
              ex.header("Retry-After", "1");
              ex.send(503, new byte[0]);
            } else {
              files.handle(ex);
            }
          });
      TorrentHandle handle = download(session, torrent, URI.create(http.url("/seeds/")));
      handle.completion().get(30, TimeUnit.SECONDS);
      Swarm.assertSameFiles(torrent, dir.resolve("seed"), dir.resolve("dl"));
      assertThat(handle.status().webSeeds().get(0).lastError()).hasValue("HTTP 503");
    }
  }

  @Test
  void aWebSeedThatSendsWrongBytesIsBannedAndAnotherFinishesTheJob() throws Exception {
    Path payload = payload();
    Torrent torrent = TorrentBuilder.create(payload).pieceLength(64 * 1024).build();
    Swarm.Events events = new Swarm.Events();
    try (TestHttpServer liar = TestHttpServer.start();
        TestHttpServer honest = TestHttpServer.start();
        TorrentSession session = TorrentSession.start(Swarm.config().build())) {
      liar.route(
          "/seeds/", StaticFiles.serve("/seeds/", dir.resolve("seed"), WebSeedTest::flipped));
      honest.route("/seeds/", StaticFiles.serve("/seeds/", dir.resolve("seed")));
      session.addListener(events);
      TorrentHandle handle = download(session, torrent, URI.create(liar.url("/seeds")));
      Swarm.await(
          Duration.ofSeconds(20),
          "the liar's ban",
          () -> !events.of(SessionEvent.PeerBanned.class).isEmpty());
      handle.addWebSeed(URI.create(honest.url("/seeds")));
      handle.completion().get(30, TimeUnit.SECONDS);
      Swarm.assertSameFiles(torrent, dir.resolve("seed"), dir.resolve("dl"));
      SessionEvent.PeerBanned ban = events.of(SessionEvent.PeerBanned.class).get(0);
      assertThat(ban.reason()).isEqualTo(CloseReason.BAD_DATA);
      assertThat(ban.peer().getPort()).isEqualTo(liar.port());
      assertThat(handle.status().webSeeds())
          .extracting(WebSeedInfo::state)
          .containsExactly(WebSeedInfo.State.BANNED, WebSeedInfo.State.ACTIVE);
      assertThat(handle.status().state()).isNotEqualTo(TorrentState.ERROR);
    }
  }

  @Test
  void aFileOneWebSeedLacksComesFromAnother() throws Exception {
    Path payload = payload();
    Torrent torrent = TorrentBuilder.create(payload).pieceLength(64 * 1024).build();
    Path partial = dir.resolve("partial");
    Files.createDirectories(partial.resolve("My Game #1"));
    Files.copy(payload.resolve("a.bin"), partial.resolve("My Game #1").resolve("a.bin"));
    try (TestHttpServer http = TestHttpServer.start();
        TorrentSession session = TorrentSession.start(Swarm.config().build())) {
      http.route("/partial/", StaticFiles.serve("/partial/", partial));
      http.route("/full/", StaticFiles.serve("/full/", dir.resolve("seed")));
      TorrentHandle handle =
          download(
              session, torrent, URI.create(http.url("/partial/")), URI.create(http.url("/full/")));
      handle.completion().get(30, TimeUnit.SECONDS);
      Swarm.assertSameFiles(torrent, dir.resolve("seed"), dir.resolve("dl"));
    }
  }

  @Test
  void withThePolicyNeverTheWebSeedIsNotAskedAndThePeersDeliver() throws Exception {
    Path payload = payload();
    Torrent torrent = TorrentBuilder.create(payload).pieceLength(64 * 1024).build();
    SessionConfig never = Swarm.config().webSeedPolicy(WebSeedPolicy.never()).build();
    try (TestHttpServer http = TestHttpServer.start();
        TorrentSession seeder = Swarm.seeding(torrent, dir.resolve("seed"), 0);
        TorrentSession session = TorrentSession.start(never)) {
      http.route("/seeds/", StaticFiles.serve("/seeds/", dir.resolve("seed")));
      TorrentHandle handle =
          session.add(
              AddTorrent.torrent(torrent, dir.resolve("dl"))
                  .webSeed(URI.create(http.url("/seeds/")))
                  .peer(Swarm.address(seeder))
                  .build());
      handle.completion().get(30, TimeUnit.SECONDS);
      Swarm.assertSameFiles(torrent, dir.resolve("seed"), dir.resolve("dl"));
      assertThat(http.hits("/seeds/")).isZero();
      assertThat(handle.status().webSeeds().get(0).downloaded()).isZero();
    }
  }

  @Test
  void aWebSeedKeepsToTheDownloadLimit() throws Exception {
    Path payload = payload();
    Torrent torrent = TorrentBuilder.create(payload).pieceLength(64 * 1024).build();
    long limit = 128 * 1024;
    try (TestHttpServer http = TestHttpServer.start();
        TorrentSession session = TorrentSession.start(Swarm.config().build())) {
      http.route("/seeds/", StaticFiles.serve("/seeds/", dir.resolve("seed")));
      long start = System.nanoTime();
      TorrentHandle handle =
          session.add(
              AddTorrent.torrent(torrent, dir.resolve("dl"))
                  .webSeed(URI.create(http.url("/seeds/")))
                  .rateLimits(limit, 0)
                  .build());
      handle.completion().get(30, TimeUnit.SECONDS);
      long elapsed = System.nanoTime() - start;
      // A second's worth goes at once (the bucket starts full), and a second's worth more may be
      // on its way before the limit holds: the rest cannot take less than its time.
      long bytes = handle.status().bytesWanted();
      long floor = (bytes - 3 * limit) * 1_000_000_000L / limit;
      assertThat(elapsed).isGreaterThan(floor);
      Swarm.assertSameFiles(torrent, dir.resolve("seed"), dir.resolve("dl"));
    }
  }

  @Test
  void aFileNoWebSeedHasIsNotAskedForAgainAndTheRestStillComes() throws Exception {
    Path payload = payload();
    Torrent torrent = TorrentBuilder.create(payload).pieceLength(64 * 1024).build();
    Files.delete(payload.resolve("c+d.bin"));
    AtomicInteger asked = new AtomicInteger();
    TestHttpServer.Handler files = StaticFiles.serve("/seeds/", dir.resolve("seed"));
    try (TestHttpServer http = TestHttpServer.start();
        TorrentSession session = TorrentSession.start(Swarm.config().build())) {
      http.route(
          "/seeds/",
          ex -> {
            if (ex.uri().getRawPath().endsWith("c%2Bd.bin")) {
              asked.incrementAndGet();
            }
            files.handle(ex);
          });
      TorrentHandle handle = download(session, torrent, URI.create(http.url("/seeds/")));
      long missing = Files.size(dir.resolve("seed").resolve("My Game #1").resolve("a.bin"));
      Swarm.await(
          Duration.ofSeconds(20),
          "every piece the web seed can give",
          () -> handle.status().webSeeds().get(0).downloaded() >= missing);
      // Requests already in flight when the 404 came may have asked too, but none after it.
      int askedBefore = asked.get();
      assertThat(askedBefore).isPositive();
      Thread.sleep(2000);
      assertThat(asked.get()).isEqualTo(askedBefore);
      assertThat(handle.status().state()).isEqualTo(TorrentState.DOWNLOADING);
      assertThat(handle.status().webSeeds().get(0).lastError()).hasValue("HTTP 404");
    }
  }
}
