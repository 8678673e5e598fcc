package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Transmission 3.00 ({@code transmission-daemon} from Debian) in the foreground as a child process,
 * with a fresh config folder: peer and RPC sockets on 127.0.0.1 only; DHT, LPD, PEX, uTP (unless
 * asked for), port mapping and the blocklist off; no queues, no ratio limits. It is driven over its
 * JSON RPC (HTTP with the {@code X-Transmission-Session-Id} handshake). Closing it stops the
 * process (SIGTERM, which flushes its write cache, then SIGKILL after 10 s).
 *
 * <p>Transmission 3.00 cannot be handed a peer and never dials 127.x peers it learns from a tracker
 * ("martian" addresses), so on loopback the other side has to dial its {@link #peerPort()}.
 */
final class TransmissionDaemon implements AutoCloseable {
  static final Path DAEMON = Path.of("/usr/bin/transmission-daemon");

  /** Transmission's encryption settings (its {@code encryption} number). */
  enum Encryption {
    TOLERATED,
    PREFERRED,
    REQUIRED
  }

  /** Torrent status numbers of Transmission's RPC ({@code tr_torrent_activity}). */
  static final int STATUS_DOWNLOAD = 4;

  static final int STATUS_SEED = 6;

  private static final Pattern SESSION_ID =
      Pattern.compile("X-Transmission-Session-Id: ?([A-Za-z0-9]+)");

  private final Process process;
  private final int peerPort;
  private final int rpcPort;
  private final Path log;
  private String sessionId = "";

  private TransmissionDaemon(Process process, int peerPort, int rpcPort, Path log) {
    this.process = process;
    this.peerPort = peerPort;
    this.rpcPort = rpcPort;
    this.log = log;
  }

  /**
   * Starts transmission-daemon with its config in {@code configDir} (created fresh) and {@code
   * downloadDir} as its download folder. Fails the test if the program is missing.
   */
  static TransmissionDaemon start(Path configDir, Path downloadDir, Encryption encryption)
      throws IOException, InterruptedException {
    return start(configDir, downloadDir, encryption, false);
  }

  /** As {@link #start(Path, Path, Encryption)}, with uTP on (its UDP socket on the peer port). */
  static TransmissionDaemon start(
      Path configDir, Path downloadDir, Encryption encryption, boolean utp)
      throws IOException, InterruptedException {
    assertThat(DAEMON)
        .as("Transmission is needed (apt-get install transmission-daemon transmission-cli)")
        .isRegularFile()
        .isExecutable();
    Files.createDirectories(configDir);
    Files.createDirectories(downloadDir);
    Path log = configDir.resolve("daemon.log");
    String why = "";
    for (int attempt = 0; attempt < 3; attempt++) {
      int peerPort = InteropSupport.freePeerPort();
      int rpcPort = InteropSupport.freeTcpPort();
      Files.writeString(
          configDir.resolve("settings.json"),
          settings(peerPort, rpcPort, downloadDir, encryption, utp),
          StandardCharsets.UTF_8);
      ProcessBuilder builder =
          new ProcessBuilder(DAEMON.toString(), "-f", "-g", configDir.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      InteropSupport.noProxy(builder.environment());
      Process process = builder.start();
      TransmissionDaemon daemon = new TransmissionDaemon(process, peerPort, rpcPort, log);
      if (daemon.rpcAnswers(Duration.ofSeconds(10))) {
        return daemon;
      }
      daemon.close();
      why = InteropSupport.tail(log, 2000);
    }
    throw new IOException("transmission-daemon did not start: " + why);
  }

  private static String settings(
      int peerPort, int rpcPort, Path downloadDir, Encryption enc, boolean utp) {
    return "{\n"
        + "  \"bind-address-ipv4\": \"127.0.0.1\",\n"
        + "  \"bind-address-ipv6\": \"::1\",\n"
        + "  \"rpc-enabled\": true,\n"
        + "  \"rpc-bind-address\": \"127.0.0.1\",\n"
        + "  \"rpc-port\": "
        + rpcPort
        + ",\n"
        + "  \"rpc-whitelist\": \"127.0.0.1\",\n"
        + "  \"rpc-whitelist-enabled\": true,\n"
        + "  \"rpc-authentication-required\": false,\n"
        + "  \"peer-port\": "
        + peerPort
        + ",\n"
        + "  \"peer-port-random-on-start\": false,\n"
        + "  \"dht-enabled\": false,\n"
        + "  \"lpd-enabled\": false,\n"
        + "  \"pex-enabled\": false,\n"
        + "  \"port-forwarding-enabled\": false,\n"
        + "  \"blocklist-enabled\": false,\n"
        + "  \"utp-enabled\": "
        + utp
        + ",\n"
        + "  \"encryption\": "
        + enc.ordinal()
        + ",\n"
        + "  \"download-dir\": \""
        + json(downloadDir.toString())
        + "\",\n"
        + "  \"incomplete-dir-enabled\": false,\n"
        + "  \"rename-partial-files\": false,\n"
        + "  \"download-queue-enabled\": false,\n"
        + "  \"seed-queue-enabled\": false,\n"
        + "  \"queue-stalled-enabled\": false,\n"
        + "  \"ratio-limit-enabled\": false,\n"
        + "  \"idle-seeding-limit-enabled\": false,\n"
        + "  \"speed-limit-down-enabled\": false,\n"
        + "  \"speed-limit-up-enabled\": false,\n"
        + "  \"alt-speed-enabled\": false,\n"
        + "  \"start-added-torrents\": true,\n"
        + "  \"trash-original-torrent-files\": false,\n"
        + "  \"watch-dir-enabled\": false,\n"
        + "  \"script-torrent-done-enabled\": false,\n"
        + "  \"message-level\": 2\n"
        + "}\n";
  }

  /** Returns the peer port it listens on (TCP on 127.0.0.1). */
  int peerPort() {
    return peerPort;
  }

  /** Returns the end of its log. */
  String log() {
    return InteropSupport.tail(log, 3000);
  }

  /** Adds a .torrent (download folder: the daemon's, or {@code downloadDir}); returns its id. */
  int add(Path torrentFile, Path downloadDir) throws IOException, InterruptedException {
    String metainfo = Base64.getEncoder().encodeToString(Files.readAllBytes(torrentFile));
    String reply =
        rpc(
            "{\"method\":\"torrent-add\",\"arguments\":{\"metainfo\":\""
                + metainfo
                + "\",\"download-dir\":\""
                + json(downloadDir.toString())
                + "\",\"paused\":false}}");
    Matcher id = Pattern.compile("\"id\":(\\d+)").matcher(reply);
    if (!reply.contains("\"result\":\"success\"") || !reply.contains("torrent-added")) {
      throw new IOException("torrent-add failed: " + reply);
    }
    assertThat(id.find()).as("torrent id in %s", reply).isTrue();
    return Integer.parseInt(id.group(1));
  }

  /** A few fields of one torrent, from {@code torrent-get}. */
  record State(
      int status,
      double percentDone,
      long leftUntilDone,
      int peersConnected,
      int error,
      String errorString) {}

  /** Returns the torrent's status. */
  State torrent(int id) throws IOException, InterruptedException {
    String reply =
        rpc(
            "{\"method\":\"torrent-get\",\"arguments\":{\"ids\":["
                + id
                + "],\"fields\":[\"status\",\"percentDone\",\"leftUntilDone\","
                + "\"peersConnected\",\"error\",\"errorString\"]}}");
    return new State(
        (int) number(reply, "status"),
        number(reply, "percentDone"),
        (long) number(reply, "leftUntilDone"),
        (int) number(reply, "peersConnected"),
        (int) number(reply, "error"),
        string(reply, "errorString").orElse(""));
  }

  /**
   * Waits (at most {@code timeout}) until torrent {@code id} has every piece and is in {@code
   * status}; fails with its state and log otherwise.
   */
  State awaitComplete(int id, int status, Duration timeout)
      throws IOException, InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    State t = torrent(id);
    while (!(t.percentDone() >= 1.0 && t.leftUntilDone() == 0 && t.status() == status)) {
      if (System.nanoTime() - end > 0 || !process.isAlive()) {
        throw new AssertionError("Transmission did not complete: " + t + "\n" + log());
      }
      assertThat(t.error()).as("Transmission's error: %s", t.errorString()).isZero();
      Thread.sleep(100);
      t = torrent(id);
    }
    return t;
  }

  /** Waits (at most {@code timeout}) until torrent {@code id} is in {@code status}. */
  State awaitStatus(int id, int status, Duration timeout) throws IOException, InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    State t = torrent(id);
    while (t.status() != status) {
      if (System.nanoTime() - end > 0 || !process.isAlive()) {
        throw new AssertionError("Transmission's torrent is not in status " + status + ": " + t);
      }
      Thread.sleep(100);
      t = torrent(id);
    }
    return t;
  }

  /** Sends one RPC request (a JSON object) and returns the JSON reply. */
  String rpc(String request) throws IOException, InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + rpcPort + "/transmission/rpc");
    for (int attempt = 0; attempt < 3; attempt++) {
      HttpResponse<String> reply =
          InteropSupport.HTTP.send(
              HttpRequest.newBuilder(uri)
                  .timeout(Duration.ofSeconds(5))
                  .header("X-Transmission-Session-Id", sessionId)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(request, StandardCharsets.UTF_8))
                  .build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (reply.statusCode() == 409) {
        // the session-id handshake: the 409 answer names the id to send from now on
        Optional<String> id = reply.headers().firstValue("X-Transmission-Session-Id");
        if (id.isEmpty()) {
          Matcher m = SESSION_ID.matcher(reply.body());
          id = m.find() ? Optional.of(m.group(1)) : Optional.empty();
        }
        sessionId = id.orElseThrow(() -> new IOException("409 without a session id"));
        continue;
      }
      if (reply.statusCode() != 200) {
        throw new IOException("Transmission RPC answered " + reply.statusCode() + ": " + reply);
      }
      return reply.body();
    }
    throw new IOException("Transmission RPC kept answering 409");
  }

  private boolean rpcAnswers(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() - end < 0 && process.isAlive()) {
      try (Socket s = new Socket()) {
        s.connect(InteropSupport.local(rpcPort), 200);
      } catch (IOException notYet) {
        Thread.sleep(50);
        continue;
      }
      try {
        return rpc("{\"method\":\"session-get\"}").contains("\"result\":\"success\"");
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    return false;
  }

  private static double number(String json, String field) throws IOException {
    Matcher m = Pattern.compile("\"" + field + "\":(-?[0-9.eE+-]+)").matcher(json);
    if (!m.find()) {
      throw new IOException("no " + field + " in " + json);
    }
    return Double.parseDouble(m.group(1));
  }

  private static Optional<String> string(String json, String field) {
    Matcher m = Pattern.compile("\"" + field + "\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  private static String json(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /** Stops the daemon (SIGTERM, at most 10 s, then SIGKILL). */
  @Override
  public void close() {
    InteropSupport.stop(process, Duration.ofSeconds(10));
  }
}
