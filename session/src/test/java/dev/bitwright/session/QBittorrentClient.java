package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * qBittorrent 4.5 ({@code qbittorrent-nox} from Debian, built on libtorrent-rasterbar 2.0) as a
 * child process with a fresh profile folder, driven through its Web API v2 on 127.0.0.1.
 *
 * <p>The profile's {@code qBittorrent.conf} is written before the start: legal notice accepted (or
 * it would wait for a key press); the Web UI on 127.0.0.1 with no login from localhost; the session
 * bound to interface {@code lo} / 127.0.0.1; DHT, PeX, LSD, UPnP/NAT-PMP and peer-country lookups
 * off; several connections per IP allowed (every peer is 127.0.0.1); the queueing system on, but
 * with no limits (so that the Web API tells a torrent libtorrent holds paused, {@code queuedUP},
 * from a running one; see {@link #awaitSeeding}). Its transports ({@code Session\BTProtocol}) and
 * encryption ({@code Session\Encryption}) are chosen by the caller. Once the Web API answers, the
 * preferences it reports are checked against all that before anything is added.
 *
 * <p>Every wait is bounded. Closing it asks qBittorrent to exit ({@code app/shutdown}), waits 10 s,
 * then stops the process (SIGTERM, then SIGKILL).
 */
final class QBittorrentClient implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/qbittorrent-nox");

  /** Which transports it uses for peers: {@code Session\BTProtocol}. */
  enum Protocol {
    BOTH("Both", 0),
    TCP("TCP", 1),
    UTP("UTP", 2);

    /** How qBittorrent.conf spells it (enum settings are stored by name). */
    final String conf;

    /** The Web API's number ({@code bittorrent_protocol}). */
    final int api;

    Protocol(String conf, int api) {
      this.conf = conf;
      this.api = api;
    }
  }

  /** Its MSE/PE setting: {@code Session\Encryption} (0 prefer, 1 force, 2 off). */
  enum Encryption {
    PREFER,
    FORCE,
    OFF
  }

  private static final Pattern STATE = Pattern.compile("\"state\":\"([^\"]*)\"");
  private static final Pattern PROGRESS = Pattern.compile("\"progress\":([0-9.eE+-]+)");

  private final Process process;
  private final Path profile;
  private final int peerPort;
  private final int webPort;

  private QBittorrentClient(Process process, Path profile, int peerPort, int webPort) {
    this.process = process;
    this.profile = profile;
    this.peerPort = peerPort;
    this.webPort = webPort;
  }

  /**
   * Starts qbittorrent-nox with a fresh profile under {@code work} and waits (bounded) until its
   * Web API answers and it listens for peers on 127.0.0.1. Fails the test if the program is
   * missing.
   */
  static QBittorrentClient start(Path work, Protocol protocol, Encryption encryption)
      throws IOException, InterruptedException {
    assertThat(BINARY)
        .as("qBittorrent is needed for this interop test (apt-get install qbittorrent-nox)")
        .isRegularFile()
        .isExecutable();
    Files.createDirectories(work);
    String why = "";
    for (int attempt = 0; attempt < 3; attempt++) {
      // a fresh profile for each attempt: nothing is left of an earlier one
      Path profile = work.resolve("profile-" + attempt);
      Path config = Files.createDirectories(profile.resolve("qBittorrent/config"));
      int peerPort = InteropSupport.freePeerPort();
      int webPort = InteropSupport.freeTcpPort();
      if (webPort == peerPort) {
        continue;
      }
      Files.writeString(
          config.resolve("qBittorrent.conf"),
          conf(profile, peerPort, webPort, protocol, encryption),
          StandardCharsets.UTF_8);
      ProcessBuilder builder =
          new ProcessBuilder(BINARY.toString(), "--profile=" + profile, "--webui-port=" + webPort)
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(profile.resolve("stdout.log").toFile()));
      Map<String, String> env = builder.environment();
      InteropSupport.noProxy(env);
      // everything it (and Qt) would keep in the home folder goes to the profile
      for (String name : new String[] {"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"}) {
        env.put(name, profile.toString());
      }
      env.put("XDG_CACHE_HOME", profile.resolve("cache").toString());
      QBittorrentClient client = new QBittorrentClient(builder.start(), profile, peerPort, webPort);
      try {
        if (client.ready(protocol, Duration.ofSeconds(20))) {
          client.checkPreferences(protocol, encryption);
          return client;
        }
      } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
        client.close();
        throw e;
      }
      why = client.log();
      client.close();
    }
    throw new AssertionError("qbittorrent-nox did not start:\n" + why);
  }

  private static String conf(
      Path profile, int peerPort, int webPort, Protocol protocol, Encryption encryption) {
    return String.join(
        "\n",
        "[LegalNotice]",
        "Accepted=true",
        "",
        "[Application]",
        "FileLogger\\Enabled=true",
        "FileLogger\\Path=" + profile,
        "",
        "[BitTorrent]",
        "Session\\Port=" + peerPort,
        "Session\\Interface=lo",
        "Session\\InterfaceName=lo",
        "Session\\InterfaceAddress=127.0.0.1",
        "Session\\DHTEnabled=false",
        "Session\\PeXEnabled=false",
        "Session\\LSDEnabled=false",
        "Session\\Encryption=" + encryption.ordinal(),
        "Session\\BTProtocol=" + protocol.conf,
        "Session\\MultiConnectionsPerIp=true",
        "Session\\QueueingSystemEnabled=true",
        "Session\\MaxActiveDownloads=-1",
        "Session\\MaxActiveUploads=-1",
        "Session\\MaxActiveTorrents=-1",
        "Session\\DefaultSavePath=" + profile.resolve("downloads"),
        "Session\\TempPathEnabled=false",
        "Session\\AnonymousModeEnabled=false",
        "Session\\AddTrackersEnabled=false",
        "",
        "[Network]",
        "PortForwardingEnabled=false",
        "",
        "[Preferences]",
        "Connection\\UPnP=false",
        "Connection\\ResolvePeerCountries=false",
        "General\\Locale=en",
        "WebUI\\Enabled=true",
        "WebUI\\Address=127.0.0.1",
        "WebUI\\Port=" + webPort,
        "WebUI\\LocalHostAuth=false",
        "WebUI\\CSRFProtection=false",
        "WebUI\\HostHeaderValidation=false",
        "");
  }

  /**
   * Waits (at most {@code timeout}) until the Web API answers and qBittorrent's log says it listens
   * on the peer port (over uTP, or TCP if that is its only transport); false if it exits, fails to
   * listen, or takes too long.
   */
  private boolean ready(Protocol protocol, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    // the session opens its sockets before the Web UI starts; the log (GET log/main) tells how
    // that went. In JSON: Successfully listening on IP. IP: \"127.0.0.1\". Port: \"UTP/6881\"
    String listening =
        "Port: \\\"" + (protocol == Protocol.TCP ? "TCP/" : "UTP/") + peerPort + "\\\"";
    while (System.nanoTime() - end < 0 && process.isAlive()) {
      String log;
      try {
        log = get("log/main?normal=true&info=true&warning=true&critical=true");
      } catch (IOException notYet) {
        Thread.sleep(50);
        continue;
      }
      if (log.contains("Failed to listen")) {
        return false;
      }
      if (log.contains("Successfully listening") && log.contains(listening)) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  /** Fails unless the preferences it reports are the loopback-only ones its profile asks for. */
  private void checkPreferences(Protocol protocol, Encryption encryption)
      throws IOException, InterruptedException {
    String prefs = get("app/preferences");
    for (String off : new String[] {"dht", "pex", "lsd", "upnp"}) {
      assertThat(prefs)
          .as("qBittorrent's %s in its preferences\n%s", off, log())
          .contains("\"" + off + "\":false");
    }
    assertThat(prefs)
        .as("qBittorrent's preferences\n%s", log())
        .contains("\"bittorrent_protocol\":" + protocol.api)
        .contains("\"encryption\":" + encryption.ordinal())
        .contains("\"current_interface_address\":\"127.0.0.1\"")
        .contains("\"current_network_interface\":\"lo\"")
        .contains("\"listen_port\":" + peerPort)
        .contains("\"queueing_enabled\":true")
        .contains("\"max_active_uploads\":-1")
        .contains("\"web_ui_address\":\"127.0.0.1\"");
  }

  /** Returns the port it listens on for peers (uTP and, with TCP on, TCP; on 127.0.0.1). */
  int peerPort() {
    return peerPort;
  }

  /** Returns the end of its log (qbittorrent.log, then what it printed). */
  String log() {
    return InteropSupport.tail(profile.resolve("qbittorrent.log"), 3000)
        + "\n-- stdout --\n"
        + InteropSupport.tail(profile.resolve("stdout.log"), 1000);
  }

  /**
   * Adds {@code torrentFile} to seed from {@code savePath} (the folder that holds the torrent's
   * top-level file or folder) in libtorrent's seed mode ({@code skip_checking}): no check up front,
   * each piece is hashed before it is first sent.
   *
   * <p>Why not a check: when a check ends, qBittorrent 4.5 pauses the torrent in libtorrent (its
   * NativeTorrentExtension) and resumes it only on its next status refresh (every 1.5 s), and
   * libtorrent puts that off by up to a second more if its auto-manager ran in the last second.
   * Meanwhile the Web API says {@code stalledUP}, but libtorrent closes every incoming connection
   * at once (a peer that dialled then was dropped, and Bitwright redialled only ~10 s later), and
   * nothing the Web API reports tells when the pause ends.
   */
  void add(Path torrentFile, Path savePath) throws IOException, InterruptedException {
    String boundary = "----bitwright" + UUID.randomUUID().toString().replace("-", "");
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    part(
        body,
        boundary,
        "torrents\"; filename=\"" + torrentFile.getFileName(),
        "application/x-bittorrent",
        Files.readAllBytes(torrentFile));
    part(
        body,
        boundary,
        "savepath",
        null,
        savePath.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8));
    part(body, boundary, "paused", null, "false".getBytes(StandardCharsets.UTF_8));
    part(body, boundary, "skip_checking", null, "true".getBytes(StandardCharsets.UTF_8));
    body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    HttpResponse<String> reply =
        InteropSupport.HTTP.send(
            HttpRequest.newBuilder(api("torrents/add"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (reply.statusCode() != 200 || !reply.body().startsWith("Ok")) {
      throw new AssertionError(
          "qBittorrent's torrents/add answered "
              + reply.statusCode()
              + " "
              + reply.body()
              + "\n"
              + log());
    }
  }

  private static void part(
      ByteArrayOutputStream body, String boundary, String name, String type, byte[] content) {
    StringBuilder head = new StringBuilder();
    head.append("--").append(boundary).append("\r\n");
    head.append("Content-Disposition: form-data; name=\"").append(name).append("\"\r\n");
    if (type != null) {
      head.append("Content-Type: ").append(type).append("\r\n");
    }
    head.append("\r\n");
    body.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
    body.writeBytes(content);
    body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  /** Returns the JSON object {@code torrents/info} gives for one torrent, if it has it. */
  Optional<String> torrent(String infoHashHex) throws IOException, InterruptedException {
    String list = get("torrents/info?hashes=" + infoHashHex);
    return list.startsWith("[{") ? Optional.of(list) : Optional.empty();
  }

  /**
   * Waits (at most {@code timeout}) until the torrent seeds: state {@code uploading} or {@code
   * stalledUP} and progress 1. Fails with its state and log otherwise.
   *
   * <p>qBittorrent adds a torrent paused and leaves the start to libtorrent's auto-manager. With
   * the queueing system on, the Web API shows such a torrent as {@code queuedUP} until libtorrent
   * runs it (with queueing off it would say {@code stalledUP} already, though libtorrent still
   * turns peers away), so {@code stalledUP} here means that it takes connections.
   */
  void awaitSeeding(String infoHashHex, Duration timeout) throws IOException, InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    String last = "(not added)";
    while (true) {
      Optional<String> info = torrent(infoHashHex);
      if (info.isPresent()) {
        last = info.get();
        String state = field(STATE, last);
        String progress = field(PROGRESS, last);
        if ((state.equals("uploading") || state.equals("stalledUP"))
            && !progress.isEmpty()
            && Double.parseDouble(progress) == 1.0) {
          return;
        }
        if (state.equals("error") || state.equals("missingFiles")) {
          break;
        }
      }
      if (System.nanoTime() - end > 0 || !process.isAlive()) {
        break;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("qBittorrent is not seeding: " + last + "\n" + log());
  }

  private static String field(Pattern pattern, String json) {
    Matcher m = pattern.matcher(json);
    return m.find() ? m.group(1) : "";
  }

  private URI api(String path) {
    return URI.create("http://127.0.0.1:" + webPort + "/api/v2/" + path);
  }

  /** GETs a Web API path and returns the body; IOException unless 200. */
  String get(String path) throws IOException, InterruptedException {
    HttpResponse<String> reply =
        InteropSupport.HTTP.send(
            HttpRequest.newBuilder(api(path)).timeout(Duration.ofSeconds(5)).GET().build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (reply.statusCode() != 200) {
      throw new IOException("qBittorrent's " + path + " answered " + reply.statusCode());
    }
    return reply.body();
  }

  /**
   * Asks qBittorrent to exit ({@code POST app/shutdown}), waits at most 10 s, then stops the
   * process (SIGTERM, at most 5 s, then SIGKILL). Never throws.
   */
  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        InteropSupport.HTTP.send(
            HttpRequest.newBuilder(api("app/shutdown"))
                .timeout(Duration.ofSeconds(2))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding());
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (IOException notAnswering) {
      // stopped below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    InteropSupport.stop(process, Duration.ofSeconds(5));
  }
}
