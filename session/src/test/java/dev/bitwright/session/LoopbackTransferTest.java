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
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Two sessions on 127.0.0.1: one seeds, the other downloads; the bytes must be the same. */
@Timeout(60)
class LoopbackTransferTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"V1, DISABLED", "HYBRID, FORCED", "V2, ENABLED"})
  void bitwrightToBitwright(TorrentVersion version, EncryptionPolicy encryption) throws Exception {
    Path seedDir = dir.resolve("seed");
    Path payload = seedDir.resolve("payload");
    Files.createDirectories(payload.resolve("sub"));
    Random random = new Random(9);
    int[] sizes = {3_000_000, 1, 0, 700_001, 65_536};
    for (int i = 0; i < sizes.length; i++) {
      byte[] bytes = new byte[sizes[i]];
      random.nextBytes(bytes);
      Files.write(payload.resolve(i % 2 == 0 ? "f" + i : "sub/f" + i), bytes);
    }
    Torrent torrent =
        TorrentBuilder.create(payload).version(version).pieceLength(64 * 1024).build();
    SessionConfig.Builder config =
        SessionConfig.builder()
            .listenAddress(InetAddress.getLoopbackAddress())
            .encryption(encryption);
    try (TorrentSession seeder = TorrentSession.start(config.build());
        TorrentSession leecher = TorrentSession.start(config.build())) {
      TorrentHandle seed = seeder.add(AddTorrent.torrent(torrent, seedDir).build());
      seed.completion().get(30, TimeUnit.SECONDS);
      assertThat(seed.status().state()).isEqualTo(TorrentState.SEEDING);
      Path downloadDir = dir.resolve("download");
      TorrentHandle leech =
          leecher.add(
              AddTorrent.torrent(torrent, downloadDir)
                  .peer(
                      new InetSocketAddress(
                          InetAddress.getLoopbackAddress(), seeder.listenAddress().getPort()))
                  .build());
      leech.completion().get(40, TimeUnit.SECONDS);
      assertThat(leech.status().state()).isEqualTo(TorrentState.SEEDING);
      for (var f : torrent.files()) {
        if (f.isPadding()) {
          continue;
        }
        Path relative = Path.of(String.join("/", torrent.downloadPath(f)));
        assertThat(sha256(downloadDir.resolve(relative)))
            .isEqualTo(sha256(seedDir.resolve(relative)));
      }
    }
  }

  static byte[] sha256(Path file) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
  }
}
