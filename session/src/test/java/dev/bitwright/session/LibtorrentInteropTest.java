package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.FileEntry;
import dev.bitwright.metainfo.MagnetLink;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.wire.EncryptionPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from and uploads to libtorrent 2.0 (Debian python3-libtorrent) on 127.0.0.1. */
@Timeout(90)
class LibtorrentInteropTest {
  @TempDir static Path dir;

  static Path seedDir;
  static Torrent torrent;
  static Path torrentFile;

  @BeforeAll
  static void payload() throws Exception {
    seedDir = dir.resolve("seed");
    Path payload = seedDir.resolve("payload");
    Files.createDirectories(payload.resolve("sub"));
    Random random = new Random(11);
    int[] sizes = {5_000_000, 1, 0, 1_234_567, 262_144};
    for (int i = 0; i < sizes.length; i++) {
      byte[] bytes = new byte[sizes[i]];
      random.nextBytes(bytes);
      Files.write(payload.resolve(i % 2 == 0 ? "f" + i : "sub/f" + i), bytes);
    }
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

  private static InetSocketAddress local(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  @Test
  void downloadsFromALibtorrentSeed() throws Exception {
    download("disabled", EncryptionPolicy.ENABLED, "plain");
  }

  @Test
  void downloadsFromALibtorrentSeedWithEncryptionForced() throws Exception {
    download("forced", EncryptionPolicy.FORCED, "forced");
  }

  private void download(String ltEncryption, EncryptionPolicy ours, String name) throws Exception {
    Path scratch = Files.createDirectories(dir.resolve("scratch-" + name));
    Path target = dir.resolve("download-" + name);
    try (LibtorrentClient seed =
            LibtorrentClient.start("seed", torrentFile.toString(), seedDir, ltEncryption, scratch);
        TorrentSession session = TorrentSession.start(config(ours))) {
      TorrentHandle handle =
          session.add(AddTorrent.torrent(torrent, target).peer(local(seed.port())).build());
      handle.completion().get(60, TimeUnit.SECONDS);
      assertSameFiles(target);
      if (ours == EncryptionPolicy.FORCED) {
        assertThat(handle.status().peers())
            .allSatisfy(p -> assertThat(p.flags()).contains(PeerInfo.Flag.ENCRYPTED));
      }
    }
  }

  @Test
  void libtorrentDownloadsFromUs() throws Exception {
    Path scratch = Files.createDirectories(dir.resolve("scratch-upload"));
    Path target = Files.createDirectories(dir.resolve("lt-download"));
    try (TorrentSession session = TorrentSession.start(config(EncryptionPolicy.ENABLED))) {
      TorrentHandle handle = session.add(AddTorrent.torrent(torrent, seedDir).build());
      handle.completion().get(30, TimeUnit.SECONDS);
      try (LibtorrentClient leech =
          LibtorrentClient.start("leech", torrentFile.toString(), target, "enabled", scratch)) {
        leech.connectTo(session.listenAddress().getPort());
        leech.awaitFinished(60);
      }
      for (FileEntry f : torrent.files()) {
        Path relative = Path.of(String.join("/", torrent.downloadPath(f)));
        if (f.length() > 0) {
          assertThat(sha256(target.resolve(relative))).isEqualTo(sha256(seedDir.resolve(relative)));
        }
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (handle.status().uploaded() < torrent.totalLength() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(handle.status().uploaded()).isGreaterThanOrEqualTo(torrent.totalLength());
    }
  }

  @Test
  void magnetLinkFetchesMetadataThenData() throws Exception {
    Path scratch = Files.createDirectories(dir.resolve("scratch-magnet"));
    Path target = dir.resolve("download-magnet");
    try (LibtorrentClient seed =
            LibtorrentClient.start("seed", torrentFile.toString(), seedDir, "enabled", scratch);
        TorrentSession session = TorrentSession.start(config(EncryptionPolicy.ENABLED))) {
      MagnetLink magnet = MagnetLink.of(torrent.infoHashes());
      TorrentHandle handle =
          session.add(AddTorrent.magnet(magnet, target).peer(local(seed.port())).build());
      handle.completion().get(60, TimeUnit.SECONDS);
      assertSameFiles(target);
      assertThat(handle.status().name()).isEqualTo("payload");
    }
  }

  private static void assertSameFiles(Path target) throws Exception {
    for (FileEntry f : torrent.files()) {
      Path relative = Path.of(String.join("/", torrent.downloadPath(f)));
      assertThat(target.resolve(relative)).exists();
      assertThat(sha256(target.resolve(relative))).isEqualTo(sha256(seedDir.resolve(relative)));
    }
  }

  static byte[] sha256(Path file) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
  }
}
