package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * aria2 1.36 ({@code aria2c} from Debian) as a child process on 127.0.0.1: it listens on 127.0.0.1
 * only ({@code --interface}); DHT, LPD, PEX and IPv6 off; no config file. A seed runs until closed
 * (with {@code --seed-ratio=0.0}, since the default ratio of 1.0 would stop it after one copy) and
 * answers JSON-RPC on 127.0.0.1; a leech exits once its download is complete and verified. Both
 * stop by themselves if this JVM dies ({@code --stop-with-process}). Closing it stops the process
 * (SIGTERM, then SIGKILL after 5 s).
 *
 * <p>aria2 cannot be handed a peer; it finds peers through the torrent's HTTP trackers (its UDP
 * tracker support needs its DHT on) or takes connections on its {@link #port()}.
 */
final class Aria2Client implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/aria2c");

  private final Process process;
  private final int port;
  private final int rpcPort;
  private final Path log;

  private Aria2Client(Process process, int port, int rpcPort, Path log) {
    this.process = process;
    this.port = port;
    this.rpcPort = rpcPort;
    this.log = log;
  }

  /**
   * Starts seeding {@code torrentFile} from {@code dir} (which holds the payload; not verified
   * first) and waits until aria2 says it is seeding. {@code extra} are more aria2c options.
   */
  static Aria2Client seed(Path torrentFile, Path dir, Path work, String... extra)
      throws IOException, InterruptedException {
    int rpcPort = InteropSupport.freeTcpPort();
    List<String> options = new ArrayList<>();
    options.add("--bt-seed-unverified=true");
    options.add("--seed-time=10"); // minutes: a bound, in case closing fails
    options.add("--enable-rpc=true");
    options.add("--rpc-listen-all=false");
    options.add("--rpc-listen-port=" + rpcPort);
    options.addAll(List.of(extra));
    Aria2Client seed = start("seed", torrentFile, dir, work, rpcPort, options);
    try {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (!seed.rpc("aria2.tellActive", "[[\"gid\",\"seeder\"]]")
          .contains("\"seeder\":\"true\"")) {
        if (System.nanoTime() - end > 0 || !seed.process.isAlive()) {
          throw new IOException("aria2 did not start seeding: " + seed.log());
        }
        Thread.sleep(100);
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      seed.close();
      throw e;
    }
    return seed;
  }

  /**
   * Starts downloading {@code torrentFile} into {@code dir}; aria2 exits when the download is
   * complete and verified ({@code --seed-time=0}). {@code extra} are more aria2c options.
   */
  static Aria2Client leech(Path torrentFile, Path dir, Path work, String... extra)
      throws IOException {
    List<String> options = new ArrayList<>();
    options.add("--seed-time=0");
    options.addAll(List.of(extra));
    return start("leech", torrentFile, dir, work, 0, options);
  }

  private static Aria2Client start(
      String mode, Path torrentFile, Path dir, Path work, int rpcPort, List<String> options)
      throws IOException {
    assertThat(BINARY)
        .as("aria2 is needed for the interop tests (apt-get install aria2)")
        .isRegularFile()
        .isExecutable();
    Files.createDirectories(work);
    Files.createDirectories(dir);
    int port = InteropSupport.freePeerPort();
    Path log = work.resolve("aria2-" + mode + ".log");
    List<String> command = new ArrayList<>();
    command.add(BINARY.toString());
    command.addAll(
        List.of(
            "--no-conf=true",
            "--interface=127.0.0.1",
            "--disable-ipv6=true",
            "--async-dns=false",
            "--listen-port=" + port,
            "--enable-dht=false",
            "--enable-dht6=false",
            "--bt-enable-lpd=false",
            "--enable-peer-exchange=false",
            "--follow-torrent=mem",
            "--allow-overwrite=true",
            "--auto-file-renaming=false",
            "--file-allocation=none",
            "--summary-interval=0",
            "--console-log-level=warn",
            "--log=" + log,
            "--log-level=info",
            "--bt-tracker-connect-timeout=5",
            "--bt-tracker-timeout=10",
            "--seed-ratio=0.0",
            "--stop-with-process=" + ProcessHandle.current().pid(),
            "--dir=" + dir));
    command.addAll(options);
    command.add(torrentFile.toString());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(work.resolve("aria2-" + mode + ".out").toFile()));
    InteropSupport.noProxy(builder.environment());
    return new Aria2Client(builder.start(), port, rpcPort, log);
  }

  /** Returns the port it listens on for peers (TCP on 127.0.0.1). */
  int port() {
    return port;
  }

  /** Returns the end of its log. */
  String log() {
    return InteropSupport.tail(log, 4000);
  }

  /** Returns whether the process still runs. */
  boolean isAlive() {
    return process.isAlive();
  }

  /** Waits (at most {@code timeout}) for a leech to exit and returns its exit code. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("aria2 did not finish within " + timeout + ":\n" + log());
    }
    return process.exitValue();
  }

  /** Calls a JSON-RPC method of a seed; {@code params} is a JSON array. */
  String rpc(String method, String params) throws IOException, InterruptedException {
    String body =
        "{\"jsonrpc\":\"2.0\",\"id\":\"t\",\"method\":\""
            + method
            + "\",\"params\":"
            + params
            + "}";
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rpcPort + "/jsonrpc"))
            .timeout(Duration.ofSeconds(2))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    try {
      return InteropSupport.HTTP
          .send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
          .body();
    } catch (IOException notYet) {
      return ""; // not listening yet
    }
  }

  /** Stops aria2 (SIGTERM, at most 5 s, then SIGKILL). */
  @Override
  public void close() {
    InteropSupport.stop(process, Duration.ofSeconds(5));
  }
}
