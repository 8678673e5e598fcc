package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.FileEntry;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.wire.EncryptionPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * uTP with libtorrent 2.0 (Debian python3-libtorrent) on 127.0.0.1, TCP turned off on both sides,
 * so that only uTP can carry the bytes.
 */
@Timeout(120)
class LibtorrentUtpInteropTest {
  @TempDir static Path dir;

  static Path seedDir;
  static Torrent torrent;
  static Path torrentFile;

  @BeforeAll
  static void payload() throws Exception {
    seedDir = dir.resolve("seed");
    Path payload = seedDir.resolve("payload");
    Files.createDirectories(payload.resolve("sub"));
    Random random = new Random(29);
    int[] sizes = {12_000_000, 1, 0, 1_234_567, 262_144};
    for (int i = 0; i < sizes.length; i++) {
      byte[] bytes = new byte[sizes[i]];
      random.nextBytes(bytes);
      Files.write(payload.resolve(i % 2 == 0 ? "f" + i : "sub/f" + i), bytes);
    }
    torrent = TorrentBuilder.create(payload).pieceLength(256 * 1024).build();
    torrentFile = dir.resolve("payload.torrent");
    Files.write(torrentFile, torrent.toBytes());
  }

  private static SessionConfig utpOnly(EncryptionPolicy encryption) {
    return SessionConfig.builder()
        .listenAddress(InetAddress.getLoopbackAddress())
        .tcp(false)
        .encryption(encryption)
        .build();
  }

  @ParameterizedTest(name = "libtorrent {0}, ours {1}")
  @CsvSource({"disabled, ENABLED", "forced, FORCED"})
  void downloadsFromALibtorrentSeedOverUtp(String ltEncryption, EncryptionPolicy ours)
      throws Exception {
    Path scratch = Files.createDirectories(dir.resolve("scratch-down-" + ltEncryption));
    Path target = dir.resolve("download-" + ltEncryption);
    try (LibtorrentClient seed =
            LibtorrentClient.start(
                "seed", torrentFile.toString(), seedDir, ltEncryption, scratch, 0, "utp");
        TorrentSession session = TorrentSession.start(utpOnly(ours))) {
      TorrentHandle handle =
          session.add(
              AddTorrent.torrent(torrent, target)
                  .peer(new InetSocketAddress(InetAddress.getLoopbackAddress(), seed.port()))
                  .build());
      handle.completion().get(90, TimeUnit.SECONDS);
      assertSameFiles(target);
    }
  }

  @ParameterizedTest(name = "libtorrent {0}, ours {1}")
  @CsvSource({"enabled, ENABLED", "forced, FORCED"})
  void libtorrentDownloadsFromUsOverUtp(String ltEncryption, EncryptionPolicy ours)
      throws Exception {
    Path scratch = Files.createDirectories(dir.resolve("scratch-up-" + ltEncryption));
    Path target = Files.createDirectories(dir.resolve("lt-download-" + ltEncryption));
    try (TorrentSession session = TorrentSession.start(utpOnly(ours))) {
      TorrentHandle handle = session.add(AddTorrent.torrent(torrent, seedDir).build());
      handle.completion().get(30, TimeUnit.SECONDS);
      try (LibtorrentClient leech =
          LibtorrentClient.start(
              "leech", torrentFile.toString(), target, ltEncryption, scratch, 0, "utp")) {
        leech.connectTo(session.listenAddress().getPort());
        leech.awaitFinished(90);
      }
      for (FileEntry f : torrent.files()) {
        Path relative = Path.of(String.join("/", torrent.downloadPath(f)));
        if (f.length() > 0) {
          assertThat(LibtorrentInteropTest.sha256(target.resolve(relative)))
              .isEqualTo(LibtorrentInteropTest.sha256(seedDir.resolve(relative)));
        }
      }
    }
  }

  private static void assertSameFiles(Path target) throws Exception {
    for (FileEntry f : torrent.files()) {
      Path relative = Path.of(String.join("/", torrent.downloadPath(f)));
      assertThat(target.resolve(relative)).exists();
      assertThat(LibtorrentInteropTest.sha256(target.resolve(relative)))
          .isEqualTo(LibtorrentInteropTest.sha256(seedDir.resolve(relative)));
    }
  }
}
