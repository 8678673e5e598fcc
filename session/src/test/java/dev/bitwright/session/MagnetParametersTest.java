package dev.bitwright.session;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.MagnetLink;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.storage.FilePriority;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a magnet link says beyond its info-hash: its peers ({@code x.pe}) and files ({@code so}).
 */
@Timeout(60)
class MagnetParametersTest {
  @TempDir Path dir;
  Path seedDir;
  Torrent torrent;

  @BeforeEach
  void payload() throws Exception {
    seedDir = dir.resolve("seed");
    torrent =
        TorrentBuilder.create(Swarm.payload(seedDir, 41, 300_000, 200_000, 150_000, 90_000))
            .pieceLength(16 * 1024)
            .build();
  }

  /** The only source of peers is {@code x.pe}, and it names the seed by host name. */
  @Test
  void aPeerOfTheLinkIsResolvedAndDialled() throws Exception {
    try (TorrentSession seeder = Swarm.seeding(torrent, seedDir, 0);
        TorrentSession leecher = TorrentSession.start(Swarm.config().build())) {
      MagnetLink link =
          MagnetLink.parse(
              torrent.toMagnetLink().toUri()
                  + "&x.pe=localhost:"
                  + seeder.listenAddress().getPort());
      TorrentHandle handle = leecher.add(AddTorrent.magnet(link, dir.resolve("dl")).build());
      handle.completion().get(30, SECONDS);
      Swarm.assertSameFiles(torrent, seedDir, dir.resolve("dl"));
    }
  }

  /** BEP 53: with {@code so=1,3} only the second and fourth files are downloaded. */
  @Test
  void onlyTheSelectedFilesAreDownloaded() throws Exception {
    try (TorrentSession seeder = Swarm.seeding(torrent, seedDir, 0);
        TorrentSession leecher = TorrentSession.start(Swarm.config().build())) {
      MagnetLink link = MagnetLink.parse(torrent.toMagnetLink().toUri() + "&so=1,3");
      Path target = dir.resolve("dl");
      TorrentHandle handle =
          leecher.add(AddTorrent.magnet(link, target).peer(Swarm.address(seeder)).build());
      handle.completion().get(30, SECONDS);
      assertThat(handle.status().bytesWanted()).isEqualTo(200_000 + 90_000);
      for (int f = 0; f < 4; f++) {
        Path file = Swarm.path(target, torrent, torrent.files().get(f));
        if (f == 1 || f == 3) {
          assertThat(file)
              .hasSameBinaryContentAs(Swarm.path(seedDir, torrent, torrent.files().get(f)));
        } else {
          assertThat(file).doesNotExist();
        }
      }
    }
  }

  /** Priorities given when adding replace the link's selection. */
  @Test
  void prioritiesGivenWhenAddingWinOverTheSelection() throws Exception {
    try (TorrentSession seeder = Swarm.seeding(torrent, seedDir, 0);
        TorrentSession leecher = TorrentSession.start(Swarm.config().build())) {
      MagnetLink link = MagnetLink.parse(torrent.toMagnetLink().toUri() + "&so=1");
      TorrentHandle handle =
          leecher.add(
              AddTorrent.magnet(link, dir.resolve("dl"))
                  .priorities(List.of(FilePriority.NORMAL, FilePriority.SKIP))
                  .peer(Swarm.address(seeder))
                  .build());
      handle.completion().get(30, SECONDS);
      assertThat(handle.status().bytesWanted()).isEqualTo(300_000 + 150_000 + 90_000);
    }
  }
}
