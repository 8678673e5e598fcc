package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.FileEntry;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.wire.ExtensionHandshake;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Helpers for session tests on the loopback interface. */
final class Swarm {
  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  static final int MIB = 1 << 20;

  private Swarm() {}

  /** Returns a configuration listening on 127.0.0.1. */
  static SessionConfig.Builder config() {
    return SessionConfig.builder().listenAddress(LOOPBACK);
  }

  /**
   * Starts a session on 127.0.0.1 seeding {@code torrent} from {@code folder}, its data checked;
   * {@code uploadLimit} in bytes per second, 0 for none.
   */
  static TorrentSession seeding(Torrent torrent, Path folder, long uploadLimit) throws Exception {
    TorrentSession seeder = TorrentSession.start(config().build());
    try {
      seeder
          .add(AddTorrent.torrent(torrent, folder).rateLimits(0, uploadLimit).build())
          .completion()
          .get(20, TimeUnit.SECONDS);
    } catch (Exception | Error e) {
      seeder.close();
      throw e;
    }
    return seeder;
  }

  /**
   * Returns an HTTP tracker's announce reply (interval 30 minutes) naming one peer on 127.0.0.1 at
   * {@code port}, in the compact form.
   */
  static byte[] trackerReply(int port) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("d8:intervali1800e5:peers6:".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(new byte[] {127, 0, 0, 1, (byte) (port >> 8), (byte) port});
    out.writeBytes("e".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /** Returns the address on 127.0.0.1 where {@code session} listens. */
  static InetSocketAddress address(TorrentSession session) {
    return new InetSocketAddress(LOOPBACK, session.listenAddress().getPort());
  }

  /**
   * Returns the extension handshake of a scripted peer: {@code messages} (name to the id it wants),
   * and the metadata size and listen port it claims, if any.
   */
  static ExtensionHandshake extensions(
      Map<String, Integer> messages, OptionalInt metadataSize, OptionalInt listenPort) {
    return new ExtensionHandshake(
        messages,
        Optional.of("MockPeer"),
        listenPort,
        OptionalInt.empty(),
        Optional.empty(),
        metadataSize,
        false,
        false);
  }

  /** Writes files of random bytes of {@code sizes} to {@code folder/payload/f<i>.bin}. */
  static Path payload(Path folder, long seed, int... sizes) throws IOException {
    Path payload = folder.resolve("payload");
    Files.createDirectories(payload);
    Random random = new Random(seed);
    for (int i = 0; i < sizes.length; i++) {
      byte[] bytes = new byte[sizes[i]];
      random.nextBytes(bytes);
      Files.write(payload.resolve("f" + i + ".bin"), bytes);
    }
    return payload;
  }

  /** Returns where {@code file} of {@code torrent} lies under {@code folder}. */
  static Path path(Path folder, Torrent torrent, FileEntry file) {
    return folder.resolve(String.join("/", torrent.downloadPath(file)));
  }

  /** Asserts that every file of {@code torrent} is the same in both folders. */
  static void assertSameFiles(Torrent torrent, Path expected, Path actual) throws IOException {
    for (FileEntry f : torrent.files()) {
      if (!f.isPadding()) {
        assertThat(sha256(path(actual, torrent, f)))
            .as("%s", f)
            .isEqualTo(sha256(path(expected, torrent, f)));
      }
    }
  }

  private static byte[] sha256(Path file) throws IOException {
    try {
      return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits up to {@code timeout} for {@code condition}, failing with {@code what} if it stays false.
   */
  static void await(Duration timeout, String what, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  /** Records a session's events. */
  static final class Events implements SessionListener {
    private final List<SessionEvent> events = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onEvent(SessionEvent event) {
      events.add(event);
    }

    /** Returns the events of type {@code type} so far, in order. */
    <T extends SessionEvent> List<T> of(Class<T> type) {
      synchronized (events) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
      }
    }

    /** Returns every event so far. */
    List<SessionEvent> all() {
      synchronized (events) {
        return List.copyOf(events);
      }
    }

    /** Returns the pieces verified so far, in order. */
    List<Integer> verifiedPieces() {
      return of(SessionEvent.PieceVerified.class).stream()
          .map(SessionEvent.PieceVerified::piece)
          .toList();
    }
  }
}
