package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.metainfo.TorrentVersion;
import dev.bitwright.wire.EncryptionPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Two sessions on 127.0.0.1 talking uTP: TCP off on both sides, or only on one. */
@Timeout(90)
class UtpTransferTest {
  @TempDir Path dir;

  private Torrent payload(TorrentVersion version, int bytes) throws Exception {
    Path payload = dir.resolve("seed").resolve("payload");
    Files.createDirectories(payload);
    byte[] data = new byte[bytes];
    new Random(16).nextBytes(data);
    Files.write(payload.resolve("data.bin"), data);
    Files.write(payload.resolve("tiny"), new byte[] {7});
    return TorrentBuilder.create(payload).version(version).pieceLength(256 * 1024).build();
  }

  private static SessionConfig.Builder config() {
    return SessionConfig.builder().listenAddress(InetAddress.getLoopbackAddress());
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"V1, DISABLED", "HYBRID, FORCED"})
  void downloadsOverUtpWithTcpOffOnBothSides(TorrentVersion version, EncryptionPolicy encryption)
      throws Exception {
    Torrent torrent = payload(version, 24 << 20);
    SessionConfig.Builder utpOnly = config().tcp(false).encryption(encryption);
    // the seed is held to 12 MiB/s, so that the connection is still there to be looked at
    try (TorrentSession seeder = TorrentSession.start(utpOnly.uploadRateLimit(12 << 20).build());
        TorrentSession leecher = TorrentSession.start(utpOnly.uploadRateLimit(0).build())) {
      TorrentHandle seed = seeder.add(AddTorrent.torrent(torrent, dir.resolve("seed")).build());
      seed.completion().get(30, TimeUnit.SECONDS);
      TorrentHandle leech =
          leecher.add(
              AddTorrent.torrent(torrent, dir.resolve("download")).peer(localPeer(seeder)).build());
      waitForPeer(leech);
      assertThat(leech.status().peers())
          .allSatisfy(p -> assertThat(p.transport()).isEqualTo(PeerTransport.UTP));

      leech.completion().get(60, TimeUnit.SECONDS);

      assertSameFiles(torrent, dir.resolve("seed"), dir.resolve("download"));
    }
  }

  @Test
  void fallsBackToTcpWhenThePeerHasNoUtp() throws Exception {
    Torrent torrent = payload(TorrentVersion.V1, 2 << 20);
    try (TorrentSession seeder = TorrentSession.start(config().utp(false).build());
        TorrentSession leecher = TorrentSession.start(config().build())) {
      seeder
          .add(AddTorrent.torrent(torrent, dir.resolve("seed")).build())
          .completion()
          .get(30, TimeUnit.SECONDS);
      long start = System.nanoTime();
      TorrentHandle leech =
          leecher.add(
              AddTorrent.torrent(torrent, dir.resolve("download")).peer(localPeer(seeder)).build());

      leech.completion().get(30, TimeUnit.SECONDS);

      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(15);
      assertSameFiles(torrent, dir.resolve("seed"), dir.resolve("download"));
    }
  }

  @Test
  void aSessionWithUtpOffRefusesUtpAndUsesTcp() throws Exception {
    Torrent torrent = payload(TorrentVersion.V1, 1 << 20);
    try (TorrentSession seeder = TorrentSession.start(config().uploadRateLimit(512 << 10).build());
        TorrentSession leecher = TorrentSession.start(config().utp(false).build())) {
      seeder
          .add(AddTorrent.torrent(torrent, dir.resolve("seed")).build())
          .completion()
          .get(30, TimeUnit.SECONDS);
      TorrentHandle leech =
          leecher.add(
              AddTorrent.torrent(torrent, dir.resolve("download")).peer(localPeer(seeder)).build());
      waitForPeer(leech);
      assertThat(leech.status().peers())
          .allSatisfy(p -> assertThat(p.transport()).isEqualTo(PeerTransport.TCP));
      leech.completion().get(30, TimeUnit.SECONDS);
    }
  }

  private static InetSocketAddress localPeer(TorrentSession session) {
    return new InetSocketAddress(
        InetAddress.getLoopbackAddress(), session.listenAddress().getPort());
  }

  private static void waitForPeer(TorrentHandle handle) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (handle.status().peers().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(handle.status().peers()).as("connected peers").isNotEmpty();
  }

  private static void assertSameFiles(Torrent torrent, Path seedDir, Path downloadDir)
      throws Exception {
    for (var f : torrent.files()) {
      if (f.isPadding()) {
        continue;
      }
      Path relative = Path.of(String.join("/", torrent.downloadPath(f)));
      assertThat(LoopbackTransferTest.sha256(downloadDir.resolve(relative)))
          .isEqualTo(LoopbackTransferTest.sha256(seedDir.resolve(relative)));
    }
  }
}
