package dev.bitwright.session;

import static dev.bitwright.session.InteropSupport.assertSameFiles;
import static dev.bitwright.session.InteropSupport.local;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.session.TransmissionDaemon.Encryption;
import dev.bitwright.testsupport.Opentracker;
import dev.bitwright.wire.EncryptionPolicy;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads from and uploads to Transmission 3.00 (Debian's transmission-daemon) on 127.0.0.1.
 *
 * <p>What Transmission 3.00 allows on loopback shapes these tests:
 *
 * <ul>
 *   <li>It never dials 127.x peers it learns from a tracker (they are "martian" addresses to it)
 *       and cannot be handed a peer, so when it downloads, Bitwright has to dial it ({@link
 *       TorrentHandle#addPeer}). When it seeds, Bitwright dials it, with the address given by hand
 *       or learnt from opentracker (Transmission's announce from 127.0.0.1 is listed as usual).
 *   <li>It does not create 0-byte files, so the payload has none; it refuses hybrid v1+v2 torrents,
 *       so the torrent is v1.
 *   <li>It decides whom to unchoke and whom to be interested in every 10 s, so each transfer may
 *       idle for up to 10 s after the connection opens.
 * </ul>
 */
@Timeout(60)
class TransmissionInteropTest {
  @TempDir static Path dir;

  static Path seedDir;
  static Torrent torrent;
  static Path torrentFile;
  static Path payload;

  @BeforeAll
  static void payload() throws Exception {
    seedDir = dir.resolve("seed");
    // odd sizes, a 1-byte file, a sub-folder, files that start and end inside pieces; no empty
    // file, as Transmission would not create it
    payload =
        InteropSupport.payload(seedDir, "payload", 7, 2_000_003, 1, 1_234_567, 262_144, 777_777);
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

  /**
   * Transmission seeds; Bitwright is given its address and downloads over a plaintext connection
   * (Bitwright's encryption off, Transmission's at its default, "preferred").
   */
  @Test
  void downloadsFromTransmissionGivenItsAddress() throws Exception {
    Path target = dir.resolve("download-by-hand");
    try (TransmissionDaemon seed =
        TransmissionDaemon.start(dir.resolve("tr-seed-by-hand"), seedDir, Encryption.PREFERRED)) {
      int id = seed.add(torrentFile, seedDir);
      seed.awaitComplete(id, TransmissionDaemon.STATUS_SEED, Duration.ofSeconds(15));
      try (TorrentSession session = TorrentSession.start(config(EncryptionPolicy.DISABLED))) {
        TorrentHandle handle =
            session.add(AddTorrent.torrent(torrent, target).peer(local(seed.peerPort())).build());
        // Transmission takes up to 10 s to unchoke, so the connection is there to look at
        InteropSupport.await(Duration.ofSeconds(10), () -> !handle.status().peers().isEmpty());
        assertThat(handle.status().peers())
            .singleElement()
            .satisfies(p -> assertThat(p.address().getPort()).isEqualTo(seed.peerPort()))
            .satisfies(
                p ->
                    assertThat(p.client())
                        .hasValueSatisfying(c -> assertThat(c).startsWith("Transmission")))
            .satisfies(p -> assertThat(p.flags()).doesNotContain(PeerInfo.Flag.ENCRYPTED));
        handle.completion().get(40, TimeUnit.SECONDS);
      }
    }
    assertSameFiles(torrent, seedDir, target);
  }

  /**
   * Transmission seeds and announces to opentracker over HTTP; Bitwright finds it there
   * (Transmission's 127.0.0.1 address and peer port) and dials it. Both at their default encryption
   * settings.
   */
  @Test
  void downloadsFromTransmissionFoundThroughTheTracker() throws Exception {
    Path target = dir.resolve("download-tracker");
    try (Opentracker tracker =
        Opentracker.start(
            dir.resolve("tracker"), List.of(torrent.infoHashes().v1().orElseThrow().bytes()))) {
      Torrent tracked =
          TorrentBuilder.create(payload)
              .pieceLength(256 * 1024)
              .addTrackerTier(tracker.httpUrl())
              .build();
      assertThat(tracked.infoHashes()).isEqualTo(torrent.infoHashes());
      Path trackedFile = dir.resolve("tracked.torrent");
      Files.write(trackedFile, tracked.toBytes());
      try (TransmissionDaemon seed =
          TransmissionDaemon.start(dir.resolve("tr-seed-tracker"), seedDir, Encryption.PREFERRED)) {
        int id = seed.add(trackedFile, seedDir);
        seed.awaitComplete(id, TransmissionDaemon.STATUS_SEED, Duration.ofSeconds(15));
        InteropSupport.awaitTrackerSeed(tracker, tracked, Duration.ofSeconds(15));
        List<SessionEvent> events = Collections.synchronizedList(new ArrayList<>());
        try (TorrentSession session = TorrentSession.start(config(EncryptionPolicy.ENABLED))) {
          session.addListener(events::add);
          TorrentHandle handle = session.add(AddTorrent.torrent(tracked, target).build());
          handle.completion().get(40, TimeUnit.SECONDS);
        }
        assertThat(events)
            .anyMatch(e -> e instanceof SessionEvent.TrackerReply r && r.peers() > 0)
            .anyMatch(
                e ->
                    e instanceof SessionEvent.PeerConnected c
                        && c.peer().getPort() == seed.peerPort()
                        && c.client().startsWith("Transmission"));
      }
    }
    assertSameFiles(torrent, seedDir, target);
  }

  /**
   * Bitwright seeds; Transmission downloads. Transmission would not dial Bitwright at 127.0.0.1, so
   * Bitwright dials Transmission once the torrent is added there. Transmission requires encryption,
   * so Bitwright (encryption at its default, "enabled") must complete an MSE handshake with RC4.
   */
  @Test
  void transmissionDownloadsFromUs() throws Exception {
    Path target = Files.createDirectories(dir.resolve("tr-download"));
    try (TorrentSession session = TorrentSession.start(config(EncryptionPolicy.ENABLED))) {
      TorrentHandle handle = session.add(AddTorrent.torrent(torrent, seedDir).build());
      handle.completion().get(20, TimeUnit.SECONDS);
      try (TransmissionDaemon leech =
          TransmissionDaemon.start(dir.resolve("tr-leech"), target, Encryption.REQUIRED)) {
        int id = leech.add(torrentFile, target);
        leech.awaitStatus(id, TransmissionDaemon.STATUS_DOWNLOAD, Duration.ofSeconds(10));
        handle.addPeer(local(leech.peerPort()));
        InteropSupport.await(Duration.ofSeconds(5), () -> !handle.status().peers().isEmpty());
        assertThat(handle.status().peers())
            .singleElement()
            .satisfies(p -> assertThat(p.flags()).contains(PeerInfo.Flag.ENCRYPTED));
        leech.awaitComplete(id, TransmissionDaemon.STATUS_SEED, Duration.ofSeconds(40));
      } // stopping the daemon flushes its write cache
      InteropSupport.await(
          Duration.ofSeconds(5), () -> handle.status().uploaded() >= torrent.totalLength());
      assertThat(handle.status().uploaded()).isGreaterThanOrEqualTo(torrent.totalLength());
    }
    assertSameFiles(torrent, seedDir, target);
  }

  /**
   * Bitwright seeds with TCP off, so that the connection it dials to Transmission (uTP on) can only
   * be uTP; Transmission downloads every byte over it.
   */
  @Test
  void transmissionDownloadsFromUsOverUtp() throws Exception {
    Path target = Files.createDirectories(dir.resolve("tr-download-utp"));
    SessionConfig utpOnly =
        SessionConfig.builder()
            .listenAddress(InetAddress.getLoopbackAddress())
            .tcp(false)
            .encryption(EncryptionPolicy.ENABLED)
            .build();
    try (TorrentSession session = TorrentSession.start(utpOnly)) {
      TorrentHandle handle = session.add(AddTorrent.torrent(torrent, seedDir).build());
      handle.completion().get(20, TimeUnit.SECONDS);
      try (TransmissionDaemon leech =
          TransmissionDaemon.start(
              dir.resolve("tr-leech-utp"), target, Encryption.PREFERRED, true)) {
        int id = leech.add(torrentFile, target);
        leech.awaitStatus(id, TransmissionDaemon.STATUS_DOWNLOAD, Duration.ofSeconds(10));
        handle.addPeer(local(leech.peerPort()));
        InteropSupport.await(Duration.ofSeconds(10), () -> !handle.status().peers().isEmpty());
        assertThat(handle.status().peers())
            .singleElement()
            .satisfies(p -> assertThat(p.transport()).isEqualTo(PeerTransport.UTP));
        leech.awaitComplete(id, TransmissionDaemon.STATUS_SEED, Duration.ofSeconds(40));
      }
      InteropSupport.await(
          Duration.ofSeconds(5), () -> handle.status().uploaded() >= torrent.totalLength());
    }
    assertSameFiles(torrent, seedDir, target);
  }
}
