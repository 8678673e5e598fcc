package dev.bitwright.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.FileEntry;
import dev.bitwright.metainfo.MagnetLink;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.testsupport.LibtorrentDhtSwarm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's DHT: {@code download --dht-bootstrap} of a magnet link without trackers and
 * {@code dht get-peers|sample}, against a private DHT of libtorrent nodes on 127.0.0.1 where one
 * node seeds a torrent it announced through the DHT only.
 */
@Timeout(120)
class DhtCommandTest {
  @TempDir static Path dir;

  static Path seedDir;
  static Torrent torrent;
  static LibtorrentDhtSwarm swarm;
  static String bootstrap;

  @BeforeAll
  static void swarm() throws Exception {
    seedDir = dir.resolve("seed");
    Path payload = Files.createDirectories(seedDir.resolve("payload"));
    Random random = new Random(5);
    for (int i = 0; i < 2; i++) {
      byte[] bytes = new byte[1_000_000 + i];
      random.nextBytes(bytes);
      Files.write(payload.resolve("f" + i), bytes);
    }
    torrent = TorrentBuilder.create(payload).pieceLength(64 * 1024).build();
    Path torrentFile = dir.resolve("payload.torrent");
    Files.write(torrentFile, torrent.toBytes());
    swarm =
        LibtorrentDhtSwarm.start(
            4, torrentFile, seedDir, Files.createDirectories(dir.resolve("scratch")));
    swarm.ready().get(30, TimeUnit.SECONDS);
    bootstrap = "127.0.0.1:" + swarm.bootstrap().getPort();
  }

  @AfterAll
  static void stop() {
    if (swarm != null) {
      swarm.close();
    }
  }

  @SuppressForbidden
  private static CliResult run(String... args) {
    return CliResult.run(Clock.systemUTC(), args);
  }

  private static String infoHashHex() {
    return torrent.infoHashes().best().hex();
  }

  @Test
  void aMagnetWithoutTrackersDownloadsThroughTheDhtAlone() throws Exception {
    Path target = dir.resolve("download");
    String magnet = MagnetLink.of(torrent.infoHashes()).toUri();
    assertThat(magnet).doesNotContain("tr=").doesNotContain("x.pe=");
    CliResult r =
        run(
            "download",
            magnet,
            "--dir",
            target.toString(),
            "--listen",
            "127.0.0.1",
            "--dht-bootstrap",
            bootstrap,
            "--timeout",
            "60");
    assertThat(r.code()).as(r.err()).isZero();
    for (FileEntry f : torrent.files()) {
      Path relative = Path.of(String.join("/", torrent.downloadPath(f)));
      assertThat(Files.readAllBytes(target.resolve(relative)))
          .isEqualTo(Files.readAllBytes(seedDir.resolve(relative)));
    }
    assertThat(target.resolve(".bitwright").resolve("dht.state")).isNotEmptyFile();
  }

  /** Runs {@code bitwright dht ACTION} for the seeded torrent against the libtorrent DHT. */
  private static CliResult dht(String action) {
    return run(
        "dht",
        action,
        infoHashHex(),
        "--listen",
        "127.0.0.1",
        "--dht-bootstrap",
        bootstrap,
        "--timeout",
        "30");
  }

  @Test
  void getPeersPrintsTheSeedAndTheLookup() {
    CliResult r = dht("get-peers");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("peer 127.0.0.1:").containsPattern("lookup done: \\d+ hops");
  }

  @Test
  void samplePrintsTheInfoHashesNodesStore() {
    CliResult r = dht("sample");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("node 127.0.0.1:").contains(infoHashHex());
  }

  @Test
  void mistakesGiveOneLineAndExitCode2() {
    String hex = infoHashHex();
    for (String[] args :
        List.of(
            new String[] {"dht"},
            new String[] {"dht", "crawl", hex},
            new String[] {"dht", "get-peers"},
            new String[] {"dht", "get-peers", "xyz"},
            new String[] {"dht", "get-peers", hex, hex},
            new String[] {"dht", "sample", hex, "--announce", "6881"},
            new String[] {"dht", "get-peers", hex, "--dht-bootstrap", "nowhere"},
            new String[] {"dht", "get-peers", hex, "--timeout", "0"},
            new String[] {"download", "x.torrent", "--dir", "d", "--dht-bootstrap"})) {
      CliResult r = run(args);
      assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err().lines()).as(String.join(" ", args)).hasSize(1);
    }
  }
}
