package dev.bitwright.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.FileEntry;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.metainfo.TorrentVersion;
import dev.bitwright.session.AddTorrent;
import dev.bitwright.session.SessionConfig;
import dev.bitwright.session.TorrentSession;
import dev.bitwright.testing.FakeNatGateway;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class MainTest {
  private static final Path GOLDEN = Path.of("../metainfo/src/test/resources/golden");
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  /** The real clock, for commands that wait (a fixed clock would never reach a timeout). */
  private static final Clock WALL = systemClock();

  @SuppressForbidden
  private static Clock systemClock() {
    return Clock.systemUTC();
  }

  private static CliResult run(String... args) {
    return run(CLOCK, args);
  }

  private static CliResult run(Clock clock, String... args) {
    return CliResult.run(clock, args);
  }

  @Test
  void infoJsonHasEveryDocumentedKey() {
    CliResult r = run("info", "--json", GOLDEN.resolve("lt-hybrid-multi.torrent").toString());
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .startsWith("{\"name\":\"multi\",")
        .contains("\"infoHashV1\":\"24f8e1a3e1176b871beb20e00d4e2bc36609004e\"")
        .contains(
            "\"infoHashV2\":\"f61a818ecb3a60d39090dfd3df9cb8774495f110bf4567c61cb74220af7aa973\"")
        .contains("\"pieceLength\":32768")
        .contains("\"totalLength\":229376")
        .contains("\"private\":false")
        .contains("{\"path\":\"sub/b.bin\",\"length\":40000,\"padding\":false}")
        .contains("{\"path\":\".pad/25536\",\"length\":25536,\"padding\":true}")
        .contains("\"trackers\":[[\"http://127.0.0.1:6969/announce\"],[\"udp://127.0.0.1:6969\"]]")
        .contains("\"webSeeds\":[]");
    assertThat(r.out().strip()).doesNotContain("\n");
  }

  @Test
  void infoJsonOfAV1TorrentHasANullV2Hash() {
    CliResult r = run("info", "--json", GOLDEN.resolve("mk-multi.torrent").toString());
    assertThat(r.out())
        .contains("\"infoHashV2\":null")
        .contains("\"webSeeds\":[\"http://ws.example/files/\"]")
        .contains(
            "\"trackers\":[[\"http://a.example/announce\",\"http://b.example/announce\"],"
                + "[\"udp://c.example:80\"]]");
  }

  @Test
  void infoPrintsAReadableSummary() {
    CliResult r = run("info", GOLDEN.resolve("lt-hybrid-multi.torrent").toString());
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("name:          multi")
        .contains("info-hash v1:  24f8e1a3e1176b871beb20e00d4e2bc36609004e")
        .contains("  tier 1: http://127.0.0.1:6969/announce")
        .contains(".pad/32767  [padding]");
  }

  @Test
  void infoShowsTheFileSelectionOfAMagnetLink() {
    String link = "magnet:?xt=urn:btih:3fd7a2b6d73c72adb8e73ec0e4a97a3fc74c84a7&so=0,2-4";
    assertThat(run("info", "--json", link).out()).contains("\"selectOnly\":[\"0\",\"2-4\"]");
    assertThat(run("info", link).out()).contains("select only:   0, 2-4 (file indices)");
  }

  @Test
  void infoReadsMagnetLinks() {
    CliResult r =
        run(
            "info",
            "--json",
            "magnet:?xt=urn:btih:3fd7a2b6d73c72adb8e73ec0e4a97a3fc74c84a7&dn=single.bin"
                + "&tr=http%3A%2F%2Ft.example%2Fannounce&x.pe=127.0.0.1:6881");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("\"name\":\"single.bin\"")
        .contains("\"infoHashV1\":\"3fd7a2b6d73c72adb8e73ec0e4a97a3fc74c84a7\"")
        .contains("\"pieceLength\":null")
        .contains("\"trackers\":[[\"http://t.example/announce\"]]")
        .contains("\"peers\":[\"127.0.0.1:6881\"]");
  }

  @Test
  void createWritesATorrentThatReadsBack() throws Exception {
    Path payload = dir.resolve("payload");
    Files.createDirectories(payload.resolve("sub"));
    Files.write(payload.resolve("a.bin"), new byte[70_000]);
    Files.write(payload.resolve("sub/b.bin"), new byte[] {1, 2, 3});
    Path out = dir.resolve("out.torrent");
    CliResult r =
        run(
            "create",
            payload.toString(),
            "-o",
            out.toString(),
            "--hybrid",
            "--piece-size",
            "32K",
            "--tracker",
            "http://a.example/announce,http://b.example/announce",
            "--tracker",
            "udp://c.example:80",
            "--web-seed",
            "http://ws.example/",
            "--private",
            "--comment",
            "hello");
    assertThat(r.code()).as(r.err()).isZero();
    Torrent t = Torrent.read(out);
    assertThat(r.out()).contains("info-hash v1: " + t.infoHashes().v1().orElseThrow().hex());
    assertThat(t.version()).isEqualTo(TorrentVersion.HYBRID);
    assertThat(t.pieceLength()).isEqualTo(32 * 1024);
    assertThat(t.trackers())
        .containsExactly(
            List.of("http://a.example/announce", "http://b.example/announce"),
            List.of("udp://c.example:80"));
    assertThat(t.webSeeds()).containsExactly("http://ws.example/");
    assertThat(t.isPrivate()).isTrue();
    assertThat(t.comment()).contains("hello");
    assertThat(t.creationDate()).contains(CLOCK.instant());
    assertThat(t.createdBy()).contains(Main.CREATED_BY);
    assertThat(Files.list(dir).map(p -> p.getFileName().toString()))
        .containsExactlyInAnyOrder("payload", "out.torrent");
  }

  @Test
  void createDefaultsToV1AndNoDateOmitsTheDate() throws Exception {
    Path file = dir.resolve("file.bin");
    Files.write(file, new byte[50_000]);
    Path out = dir.resolve("file.torrent");
    assertThat(run("create", file.toString(), "-o", out.toString(), "--no-date").code()).isZero();
    Torrent t = Torrent.read(out);
    assertThat(t.version()).isEqualTo(TorrentVersion.V1);
    assertThat(t.creationDate()).isEmpty();
    assertThat(t.isSingleFile()).isTrue();
  }

  @Test
  void helpAndVersion() {
    CliResult help = run("--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("info [--json]").contains("Default format: v1");
    assertThat(run("--version").out()).startsWith("bitwright ");
  }

  @Test
  void mistakesGiveOneLineAndExitCode2() {
    for (String[] args :
        List.of(
            new String[] {},
            new String[] {"frobnicate"},
            new String[] {"info"},
            new String[] {"info", "--yaml", "x"},
            new String[] {"create", "x"},
            new String[] {"create", "-o"},
            new String[] {"create", dir.toString(), "-o", "o.torrent", "--piece-size", "1000"},
            new String[] {"create", dir.toString(), "-o", "o.torrent", "--threads", "0"},
            new String[] {"create", dir.resolve("missing").toString(), "-o", "o.torrent"})) {
      CliResult r = run(args);
      assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err().lines()).as(String.join(" ", args)).hasSize(1);
      assertThat(r.err()).startsWith("bitwright: ");
    }
  }

  @Test
  void badInputGivesOneLineAndExitCode1() throws Exception {
    Path junk = dir.resolve("junk.torrent");
    Files.writeString(junk, "d4:infod4:name1:xee");
    for (String target :
        List.of(
            junk.toString(),
            dir.resolve("missing.torrent").toString(),
            "magnet:?xt=urn:btih:zz",
            "magnet:?dn=nothing")) {
      CliResult r = run("info", target);
      assertThat(r.code()).as(target).isEqualTo(1);
      assertThat(r.err().lines()).as(target).hasSize(1);
      assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }
    CliResult folder = run("info", dir.toString());
    assertThat(folder.code()).isEqualTo(1);
    assertThat(folder.err())
        .isEqualTo(
            "bitwright: " + dir + ": is a folder, not a .torrent file" + System.lineSeparator());
  }

  @Test
  void createOfAnEmptyFolderFailsCleanly() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    CliResult r = run("create", empty.toString(), "-o", dir.resolve("e.torrent").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("no data");
    assertThat(dir.resolve("e.torrent")).doesNotExist();
  }

  /** Writes a payload of two files and its torrent; returns the torrent file. */
  private Path seedable(Path seedDir) throws Exception {
    Path payload = seedDir.resolve("payload");
    Files.createDirectories(payload);
    Random random = new Random(4);
    for (int i = 0; i < 2; i++) {
      byte[] bytes = new byte[700_000 + 300_000 * i];
      random.nextBytes(bytes);
      Files.write(payload.resolve("f" + i + ".bin"), bytes);
    }
    Path file = dir.resolve("payload.torrent");
    Files.write(file, TorrentBuilder.create(payload).pieceLength(64 * 1024).build().toBytes());
    return file;
  }

  @Test
  void downloadFetchesEveryByteFromAPeerAndExitsZero() throws Exception {
    Path seedDir = dir.resolve("seed");
    Path file = seedable(seedDir);
    Torrent torrent = Torrent.read(file);
    Path target = dir.resolve("target");
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (TorrentSession seeder =
        TorrentSession.start(SessionConfig.builder().listenAddress(loopback).build())) {
      seeder
          .add(AddTorrent.torrent(torrent, seedDir).build())
          .completion()
          .get(20, TimeUnit.SECONDS);
      int port = seeder.listenAddress().getPort();
      CliResult r =
          run(
              WALL,
              "download",
              file.toString(),
              "--dir",
              target.toString(),
              "--peer",
              "127.0.0.1:" + port,
              "--listen",
              "127.0.0.1",
              "--timeout",
              "60");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.err()).isEmpty();
      assertThat(r.out()).contains("downloaded and verified: payload (1.6 MiB)");
    }
    for (String name : List.of("f0.bin", "f1.bin")) {
      assertThat(Files.readAllBytes(target.resolve("payload").resolve(name)))
          .isEqualTo(Files.readAllBytes(seedDir.resolve("payload").resolve(name)));
    }
  }

  @Test
  void downloadOverUtpOnlyFromASeedWithTcpOffTracingTheWireAndRecordingJfr() throws Exception {
    Path seedDir = dir.resolve("seed");
    Path file = seedable(seedDir);
    Torrent torrent = Torrent.read(file);
    Path target = dir.resolve("target");
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (TorrentSession seeder =
        TorrentSession.start(SessionConfig.builder().listenAddress(loopback).tcp(false).build())) {
      seeder
          .add(AddTorrent.torrent(torrent, seedDir).build())
          .completion()
          .get(20, TimeUnit.SECONDS);
      CliResult r =
          run(
              WALL,
              "download",
              file.toString(),
              "--dir",
              target.toString(),
              "--peer",
              "127.0.0.1:" + seeder.listenAddress().getPort(),
              "--listen",
              "127.0.0.1",
              "--no-tcp",
              "--trace",
              dir.resolve("wire.trace").toString(),
              "--jfr",
              dir.resolve("download.jfr").toString(),
              "--timeout",
              "60");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("downloaded and verified: payload (1.6 MiB)");
    }
    assertThat(Files.readString(dir.resolve("wire.trace")))
        .contains("connected transport=utp direction=outgoing")
        .contains(" in handshake ")
        .contains(" in piece piece=");
    assertThat(
            RecordingFile.readAllEvents(dir.resolve("download.jfr")).stream()
                .map(e -> e.getEventType().getName()))
        .contains(
            "jdk.JVMInformation",
            "dev.bitwright.PeerConnected",
            "dev.bitwright.PieceVerified",
            "dev.bitwright.DiskWrite",
            "dev.bitwright.PeerDisconnected");
    assertThat(Files.readAllBytes(target.resolve("payload").resolve("f0.bin")))
        .isEqualTo(Files.readAllBytes(seedDir.resolve("payload").resolve("f0.bin")));
  }

  @Test
  void seedWithPortMappingTellsWhatTheGatewayGranted() throws Exception {
    Path seedDir = dir.resolve("seed");
    Path file = seedable(seedDir);
    try (FakeNatGateway gateway = FakeNatGateway.builder().portOffset(3).start()) {
      InetSocketAddress at = gateway.address();
      RunningSeed seed =
          startSeed(
              file,
              seedDir,
              "3",
              "--port-mapping-gateway",
              at.getAddress().getHostAddress() + ":" + at.getPort());
      CliResult r = seed.result().get(30, TimeUnit.SECONDS);
      int port = seed.address().getPort();
      assertThat(r.out())
          .contains("port mapped: TCP " + port + " is 203.0.113.7:" + (port + 3) + " (PCP)")
          .contains("port mapped: UDP " + port + " is 203.0.113.7:" + (port + 3) + " (PCP)");
      // Deleted when the tool ended.
      assertThat(gateway.mappings()).isEmpty();
    }
  }

  @Test
  void turningOffBothTransportsIsAUsageError() throws Exception {
    Path file = seedable(dir.resolve("seed"));
    CliResult r = run("download", file.toString(), "--dir", dir.toString(), "--no-utp", "--no-tcp");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--no-utp and --no-tcp");
  }

  @Test
  void downloadWithoutPeersTimesOutWithExitCode1() throws Exception {
    Path file = seedable(dir.resolve("seed"));
    long start = System.nanoTime();
    CliResult r =
        run(
            WALL,
            "download",
            file.toString(),
            "--dir",
            dir.resolve("t").toString(),
            "--listen",
            "127.0.0.1",
            "--timeout",
            "2");
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).startsWith("bitwright: timed out after 2 s at 0.0%");
    assertThat(seconds).isBetween(2L, 15L);
  }

  /** A seed whose file is truncated while it runs stops with an error, and so does the tool. */
  @Test
  void seedExitsWithCode1WhenTheTorrentFails() throws Exception {
    Path seedDir = dir.resolve("seed");
    Path file = seedable(seedDir);
    Torrent torrent = Torrent.read(file);
    RunningSeed seed = startSeed(file, seedDir, "60");
    InetSocketAddress address = seed.address();
    Thread.sleep(500); // the check of the files is quick: 26 pieces
    Files.write(seedDir.resolve("payload/f1.bin"), new byte[0]);
    try (TorrentSession leecher =
        TorrentSession.start(
            SessionConfig.builder().listenAddress(InetAddress.getLoopbackAddress()).build())) {
      leecher.add(AddTorrent.torrent(torrent, dir.resolve("dl")).peer(address).build());
      CliResult r = seed.result().get(30, TimeUnit.SECONDS);
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err().lines()).hasSize(1);
      assertThat(r.err()).startsWith("bitwright: seeding failed: piece ");
    }
  }

  /** {@code seed --seed-mode} trusts the files unhashed, and a leecher gets every byte. */
  @Test
  void seedModeSeedsWithoutHashingFirst() throws Exception {
    Path seedDir = dir.resolve("seed");
    Path file = seedable(seedDir);
    Torrent torrent = Torrent.read(file);
    RunningSeed seed = startSeed(file, seedDir, "8", "--seed-mode");
    InetSocketAddress address = seed.address();
    try (TorrentSession leecher =
        TorrentSession.start(
            SessionConfig.builder().listenAddress(InetAddress.getLoopbackAddress()).build())) {
      leecher
          .add(AddTorrent.torrent(torrent, dir.resolve("dl")).peer(address).build())
          .completion()
          .get(20, TimeUnit.SECONDS);
    }
    for (FileEntry f : torrent.files()) {
      String path = String.join("/", torrent.downloadPath(f));
      assertThat(dir.resolve("dl").resolve(path)).hasSameBinaryContentAs(seedDir.resolve(path));
    }
    assertThat(seed.result().get(30, TimeUnit.SECONDS).code()).isZero();
    assertThat(run(WALL, "download", file.toString(), "--seed-mode").code()).isEqualTo(2);
  }

  /** A {@code seed} command running on a thread of its own, and where it listens. */
  private record RunningSeed(CompletableFuture<CliResult> result, InetSocketAddress address) {}

  /** Starts {@code seed} on a free port for {@code timeout} seconds and waits until it listens. */
  private RunningSeed startSeed(Path file, Path seedDir, String timeout, String... more)
      throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    List<String> args =
        new ArrayList<>(
            List.of(
                "seed",
                file.toString(),
                "--dir",
                seedDir.toString(),
                "--listen",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--timeout",
                timeout));
    args.addAll(List.of(more));
    CompletableFuture<CliResult> result =
        CompletableFuture.supplyAsync(() -> run(WALL, args.toArray(String[]::new)));
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!accepts(address)) {
      assertThat(System.nanoTime() - deadline).as("the seed listens").isNegative();
      Thread.sleep(50);
    }
    return new RunningSeed(result, address);
  }

  private static boolean accepts(InetSocketAddress address) {
    try (Socket s = new Socket()) {
      s.connect(address, 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void seedingMissingDataFailsWithOneLine() throws Exception {
    Path file = seedable(dir.resolve("seed"));
    Path empty = Files.createDirectories(dir.resolve("empty"));
    CliResult r =
        run(
            WALL,
            "seed",
            file.toString(),
            "--dir",
            empty.toString(),
            "--listen",
            "127.0.0.1",
            "--timeout",
            "5");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err())
        .startsWith("bitwright: cannot seed: data incomplete in " + empty)
        .contains("0 of 26 pieces verified");
  }

  @Test
  void demoRunsASwarmAndVerifiesEveryFile() {
    CliResult r = run(WALL, "demo", "--size", "4", "--leechers", "2");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("1 seeder and 2 leechers on 127.0.0.1")
        .contains("leecher 1: every file matches the original")
        .contains("leecher 2: every file matches the original")
        .contains("every file verified by SHA-256");
  }

  @Test
  void studyComparesThePickingPoliciesOnTheSimulatedNetworkAndReplaysFromItsSeed() {
    CliResult r = run("study", "--peers", "8", "--size", "1", "--runs", "2", "--seed", "5");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("1 seed and 7 leechers, 1 MiB")
        .containsPattern("rarest-first +14 +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+%")
        .containsPattern("sequential +14 ");
    assertThat(run("study", "--peers", "8", "--size", "1", "--runs", "2", "--seed", "5").out())
        .isEqualTo(r.out());
    assertThat(run("study", "--peers", "1").code()).isEqualTo(2);
  }

  @Test
  void badTransferOptionsGiveOneLineAndExitCode2() {
    String t = dir.resolve("x.torrent").toString();
    String d = dir.toString();
    for (String[] args :
        List.of(
            new String[] {"download"},
            new String[] {"download", t},
            new String[] {"download", t, "--dir"},
            new String[] {"download", t, "x2.torrent", "--dir", d},
            new String[] {"download", t, "--dir", d, "--port", "70000"},
            new String[] {"download", t, "--dir", d, "--encryption", "maybe"},
            new String[] {"download", t, "--dir", d, "--timeout", "0"},
            new String[] {"download", t, "--dir", d, "--timeout", "soon"},
            new String[] {"download", t, "--dir", d, "--peer", "nowhere"},
            new String[] {"download", t, "--dir", d, "--peer", "127.0.0.1:0"},
            new String[] {"download", t, "--dir", d, "--peer", "999.1.1.1:1"},
            new String[] {"download", t, "--dir", d, "--peer", "no-such-host.invalid:1"},
            new String[] {"download", t, "--dir", d, "--verbose"},
            new String[] {"download", t, "--dir", d, "--listen"},
            new String[] {"seed", t, "--dir", d, "--seed-after"},
            new String[] {"seed", "--dir", d},
            new String[] {"demo", "--leechers", "0"},
            new String[] {"demo", "--leechers", "17"},
            new String[] {"demo", "--size", "big"},
            new String[] {"demo", "--size"},
            new String[] {"demo", "--fast"})) {
      CliResult r = run(args);
      assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err().lines()).as(String.join(" ", args)).hasSize(1);
      assertThat(r.err())
          .startsWith("bitwright: ")
          .endsWith("(see --help)" + System.lineSeparator());
    }
  }
}
