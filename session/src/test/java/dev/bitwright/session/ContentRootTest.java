package dev.bitwright.session;

import static dev.bitwright.session.Swarm.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.metainfo.FileEntry;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A launcher's install folder: the files of a torrent directly in a content root. */
@Timeout(60)
class ContentRootTest {
  @TempDir Path dir;

  @Test
  void aDownloadGoesStraightIntoTheInstallFolderAndIsSeededFromThere() throws Exception {
    Path payload = Swarm.payload(dir.resolve("build"), 31, 2 * MIB, 300_001, 1);
    Torrent torrent = TorrentBuilder.create(payload).pieceLength(64 * 1024).build();
    Path install = dir.resolve("Game");
    try (TorrentSession seeder = Swarm.seeding(torrent, dir.resolve("build"), 0);
        TorrentSession player = TorrentSession.start(Swarm.config().build())) {
      TorrentHandle handle =
          player.add(
              AddTorrent.torrent(torrent, dir.resolve("ignored"))
                  .contentRoot(install)
                  .peer(Swarm.address(seeder))
                  .build());
      handle.completion().get(30, TimeUnit.SECONDS);
      for (FileEntry f : torrent.files()) {
        String inTorrent = String.join("/", f.path());
        assertThat(install.resolve(inTorrent))
            .as(inTorrent + " directly in the install folder")
            .hasSameBinaryContentAs(payload.resolve(inTorrent));
      }
      assertThat(install.resolve(torrent.name())).doesNotExist();
      assertThat(dir.resolve("ignored")).doesNotExist();
    }
    // Another player seeds from its install folder, unhashed.
    try (TorrentSession player = TorrentSession.start(Swarm.config().build())) {
      TorrentHandle again =
          player.add(
              AddTorrent.torrent(torrent, install).contentRoot(install).seedMode(true).build());
      again.completion().get(10, TimeUnit.SECONDS);
      assertThat(again.status().state()).isEqualTo(TorrentState.SEEDING);
    }
  }

  @Test
  void aRenamedFileGoesWhereTheLauncherWantsItAndARenameOntoAnotherFailsClearly() throws Exception {
    Path payload = Swarm.payload(dir.resolve("build"), 33, 300_000, 70_001);
    Torrent torrent = TorrentBuilder.create(payload).pieceLength(64 * 1024).build();
    Path install = dir.resolve("Game");
    try (TorrentSession seeder = Swarm.seeding(torrent, dir.resolve("build"), 0);
        TorrentSession player = TorrentSession.start(Swarm.config().build())) {
      player
          .add(
              AddTorrent.torrent(torrent, install)
                  .contentRoot(install)
                  .renameFile(1, "bin/launcher.exe")
                  .peer(Swarm.address(seeder))
                  .build())
          .completion()
          .get(30, TimeUnit.SECONDS);
      assertThat(install.resolve("bin/launcher.exe"))
          .hasSameBinaryContentAs(payload.resolve("f1.bin"));
      assertThat(install.resolve("f0.bin")).hasSameBinaryContentAs(payload.resolve("f0.bin"));
      assertThat(install.resolve("f1.bin")).doesNotExist();
    }
    try (TorrentSession other = TorrentSession.start(Swarm.config().build())) {
      TorrentHandle clash =
          other.add(
              AddTorrent.torrent(torrent, dir.resolve("clash"))
                  .renameFile(1, "payload/f0.bin")
                  .build());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (clash.status().error().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(clash.status().error()).hasValueSatisfying(e -> assertThat(e).contains("share"));
    }
    assertThatThrownBy(() -> AddTorrent.torrent(torrent, dir).renameFile(0, "../escape"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
