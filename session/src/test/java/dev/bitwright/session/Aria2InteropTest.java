package dev.bitwright.session;

import static dev.bitwright.session.InteropSupport.assertSameFiles;
import static dev.bitwright.session.InteropSupport.local;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.testsupport.Opentracker;
import dev.bitwright.wire.EncryptionPolicy;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Downloads from and uploads to aria2 1.36 (Debian's aria2c) on 127.0.0.1.
 *
 * <p>aria2 cannot be handed a peer address, so when it downloads it finds Bitwright through
 * opentracker's HTTP interface (its udp:// tracker support only works with its DHT on, which stays
 * off here). It does dial 127.0.0.1 peers from a tracker and accepts incoming connections, so when
 * it seeds Bitwright finds it through the tracker or is given its listening port. The torrents are
 * v1 (aria2 computes a wrong info-hash for hybrid ones); the payload includes an empty file, which
 * aria2 handles.
 */
@Timeout(60)
class Aria2InteropTest {
  @TempDir static Path dir;

  static Path seedDir;
  static Path payload;
  static Torrent torrent;
  static Path torrentFile;

  @BeforeAll
  static void payload() throws Exception {
    seedDir = dir.resolve("seed");
    // odd sizes, a 1-byte and an empty file, a sub-folder, files that start and end inside pieces
    payload =
        InteropSupport.payload(seedDir, "payload", 5, 2_000_003, 1, 0, 1_234_567, 262_144, 777_777);
    torrent = TorrentBuilder.create(payload).pieceLength(256 * 1024).build();
    torrentFile = dir.resolve("payload.torrent");
    Files.write(torrentFile, torrent.toBytes());
  }

  private static SessionConfig config(EncryptionPolicy encryption) {
    return SessionConfig.builder()
        .listenAddress(InetAddress.getLoopbackAddress())
        .encryption(encryption)
        .build();
  }

  /** Returns the torrent with {@code tracker}'s HTTP URL (same info-hash) written to a file. */
  private static Path trackedTorrent(Opentracker tracker, String name) throws Exception {
    Torrent tracked =
        TorrentBuilder.create(payload)
            .pieceLength(256 * 1024)
            .addTrackerTier(tracker.httpUrl())
            .build();
    assertThat(tracked.infoHashes()).isEqualTo(torrent.infoHashes());
    Path file = dir.resolve(name + ".torrent");
    Files.write(file, tracked.toBytes());
    return file;
  }

  private static Opentracker tracker(String name) throws Exception {
    return Opentracker.start(
        dir.resolve(name), List.of(torrent.infoHashes().v1().orElseThrow().bytes()));
  }

  /** aria2 seeds and announces to opentracker; Bitwright finds it there and downloads. */
  @Test
  void downloadsFromAria2FoundThroughTheTracker() throws Exception {
    Path target = dir.resolve("download-tracker");
    List<SessionEvent> events = Collections.synchronizedList(new ArrayList<>());
    try (Opentracker tracker = tracker("tracker-seed")) {
      Path trackedFile = trackedTorrent(tracker, "tracked-seed");
      Torrent tracked = Torrent.read(trackedFile);
      try (Aria2Client seed = Aria2Client.seed(trackedFile, seedDir, dir.resolve("aria2-seed-t"));
          TorrentSession session = TorrentSession.start(config(EncryptionPolicy.ENABLED))) {
        InteropSupport.awaitTrackerSeed(tracker, tracked, Duration.ofSeconds(15));
        session.addListener(events::add);
        TorrentHandle handle = session.add(AddTorrent.torrent(tracked, target).build());
        handle.completion().get(40, TimeUnit.SECONDS);
        assertThat(events)
            .anyMatch(e -> e instanceof SessionEvent.TrackerReply r && r.peers() > 0)
            .anyMatch(
                e ->
                    e instanceof SessionEvent.PeerConnected c && c.peer().getPort() == seed.port());
      }
    }
    assertSameFiles(torrent, seedDir, target);
  }

  /**
   * aria2 seeds a torrent without trackers; Bitwright is given its listening port and downloads,
   * with encryption forced (aria2 accepts an incoming MSE handshake and chooses RC4).
   */
  @Test
  void downloadsFromAria2GivenItsAddress() throws Exception {
    Path target = dir.resolve("download-by-hand");
    try (Aria2Client seed = Aria2Client.seed(torrentFile, seedDir, dir.resolve("aria2-seed-h"));
        TorrentSession session = TorrentSession.start(config(EncryptionPolicy.FORCED))) {
      TorrentHandle handle =
          session.add(AddTorrent.torrent(torrent, target).peer(local(seed.port())).build());
      handle.completion().get(40, TimeUnit.SECONDS);
    }
    assertSameFiles(torrent, seedDir, target);
  }

  /**
   * Bitwright seeds and announces to opentracker; aria2 finds it there, downloads, verifies and
   * exits with 0: at aria2's default encryption settings (it dials with an MSE handshake and offers
   * plaintext or RC4), and with "require", where it accepts only RC4-encrypted connections.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"default", "require"})
  void aria2DownloadsFromUsThroughTheTracker(String crypto) throws Exception {
    Path target = Files.createDirectories(dir.resolve("aria2-download-" + crypto));
    String[] options =
        crypto.equals("require")
            ? new String[] {"--bt-require-crypto=true", "--bt-min-crypto-level=arc4"}
            : new String[0];
    try (Opentracker tracker = tracker("tracker-leech-" + crypto);
        TorrentSession session = TorrentSession.start(config(EncryptionPolicy.ENABLED))) {
      Path trackedFile = trackedTorrent(tracker, "tracked-leech-" + crypto);
      Torrent tracked = Torrent.read(trackedFile);
      TorrentHandle handle = session.add(AddTorrent.torrent(tracked, seedDir).build());
      handle.completion().get(20, TimeUnit.SECONDS);
      InteropSupport.awaitTrackerSeed(tracker, tracked, Duration.ofSeconds(15));
      try (Aria2Client leech =
          Aria2Client.leech(trackedFile, target, dir.resolve("aria2-leech-" + crypto), options)) {
        // watch the connection while aria2 runs: which flags did it have?
        Set<PeerInfo.Flag> flags = EnumSet.noneOf(PeerInfo.Flag.class);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (leech.isAlive() && System.nanoTime() - end < 0) {
          handle.status().peers().forEach(p -> flags.addAll(p.flags()));
          Thread.sleep(20);
        }
        assertThat(leech.awaitExit(Duration.ofSeconds(5))).as(leech.log()).isZero();
        assertThat(flags).as("aria2's connection was seen").isNotEmpty();
        if (crypto.equals("require")) {
          assertThat(flags).contains(PeerInfo.Flag.ENCRYPTED);
        }
      }
      InteropSupport.await(
          Duration.ofSeconds(5), () -> handle.status().uploaded() >= torrent.totalLength());
      assertThat(handle.status().uploaded()).isGreaterThanOrEqualTo(torrent.totalLength());
    }
    assertSameFiles(torrent, seedDir, target);
  }
}
