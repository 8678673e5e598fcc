package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.FileEntry;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.testsupport.Opentracker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Helpers shared by the interop tests against other clients' programs on 127.0.0.1. */
final class InteropSupport {
  /** A client for local HTTP (RPC, tracker scrapes) that never goes through a proxy. */
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .proxy(HttpClient.Builder.NO_PROXY)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private static final Pattern COMPLETE = Pattern.compile("8:completei(\\d+)e");

  private InteropSupport() {}

  /**
   * Writes a random payload folder {@code root/name} with files of the given sizes, the odd-indexed
   * ones in a sub-folder {@code sub}. Returns the payload folder.
   */
  static Path payload(Path root, String name, long seed, int... sizes) throws IOException {
    Path payload = root.resolve(name);
    Files.createDirectories(payload.resolve("sub"));
    Random random = new Random(seed);
    for (int i = 0; i < sizes.length; i++) {
      byte[] bytes = new byte[sizes[i]];
      random.nextBytes(bytes);
      Files.write(payload.resolve(i % 2 == 0 ? "f" + i + ".bin" : "sub/f" + i + ".bin"), bytes);
    }
    return payload;
  }

  /** Returns the address 127.0.0.1:{@code port}. */
  static InetSocketAddress local(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  /** Returns a TCP port free on 127.0.0.1 just now. */
  static int freeTcpPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Returns a port free for TCP and UDP on 127.0.0.1 just now. */
  static int freePeerPort() throws IOException {
    return Opentracker.freePort();
  }

  /**
   * Asserts that every file of {@code torrent} under {@code downloaded} has the SHA-256 of the same
   * file under {@code original} (both folders hold the torrent's top-level folder); padding files
   * are not stored.
   */
  static void assertSameFiles(Torrent torrent, Path original, Path downloaded) throws IOException {
    assertThat(torrent.files()).isNotEmpty();
    for (FileEntry f : torrent.files()) {
      if (f.isPadding()) {
        continue;
      }
      Path relative = Path.of(String.join("/", torrent.downloadPath(f)));
      Path copy = downloaded.resolve(relative);
      assertThat(copy).as("downloaded file %s", relative).isRegularFile();
      assertThat(Files.size(copy)).as("size of %s", relative).isEqualTo(f.length());
      assertThat(sha256(copy))
          .as("SHA-256 of %s", relative)
          .isEqualTo(sha256(original.resolve(relative)));
    }
  }

  /** Returns the SHA-256 of a file, in hex. */
  static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Waits until {@code condition} holds, at most {@code timeout}; returns whether it held. */
  static boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        return false;
      }
      Thread.sleep(100);
    }
    return true;
  }

  /**
   * Returns how many seeds opentracker lists for the v1 info-hash of {@code torrent}, from an HTTP
   * scrape; 0 if the scrape fails.
   */
  static int trackerSeeds(Opentracker tracker, Torrent torrent) throws InterruptedException {
    byte[] hash = torrent.infoHashes().v1().orElseThrow().bytes();
    StringBuilder query = new StringBuilder();
    for (byte b : hash) {
      query.append('%').append(HexFormat.of().toHexDigits(b));
    }
    URI uri =
        URI.create("http://127.0.0.1:" + tracker.port() + "/scrape?info_hash=" + query.toString());
    try {
      HttpResponse<byte[]> reply =
          HTTP.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      Matcher m = COMPLETE.matcher(new String(reply.body(), StandardCharsets.ISO_8859_1));
      return m.find() ? Integer.parseInt(m.group(1)) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * Waits (at most {@code timeout}) until opentracker lists at least one seed of {@code torrent}.
   */
  static void awaitTrackerSeed(Opentracker tracker, Torrent torrent, Duration timeout)
      throws InterruptedException, IOException {
    long end = System.nanoTime() + timeout.toNanos();
    while (trackerSeeds(tracker, torrent) < 1) {
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("no seed announced to the tracker: " + tracker.log());
      }
      Thread.sleep(200);
    }
  }

  /** Stops a child process: SIGTERM, a bounded wait, then SIGKILL. Never throws. */
  static void stop(Process process, Duration grace) {
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Removes proxy settings so that a child process talks to 127.0.0.1 directly. */
  static void noProxy(Map<String, String> environment) {
    for (String name : List.copyOf(environment.keySet())) {
      if (name.toLowerCase(Locale.ROOT).endsWith("_proxy")) {
        environment.remove(name);
      }
    }
  }

  /** Returns the last {@code max} characters of a log file, or a note that it is missing. */
  static String tail(Path log, int max) {
    try {
      String text = Files.readString(log, StandardCharsets.UTF_8);
      return text.length() <= max ? text : text.substring(text.length() - max);
    } catch (IOException e) {
      return "(no log " + log + ")";
    }
  }
}
