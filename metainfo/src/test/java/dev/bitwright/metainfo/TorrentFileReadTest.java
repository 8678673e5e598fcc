package dev.bitwright.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Torrent#read(Path)}: files on disk, with a size limit. */
class TorrentFileReadTest {
  @TempDir Path dir;

  @Test
  void readsATorrentFile() throws Exception {
    Golden golden = Golden.named("lt-hybrid-multi.torrent");
    Path file = Files.write(dir.resolve("t.torrent"), golden.bytes());
    Torrent t = Torrent.read(file);
    assertThat(t.infoHashes().v1().orElseThrow().hex()).isEqualTo(golden.v1());
    assertThat(t.infoHashes().v2().orElseThrow().hex()).isEqualTo(golden.v2());
    assertThat(t.toBytes()).isEqualTo(golden.bytes());
  }

  @Test
  void rejectsAFileLargerThanTheLimitWithoutParsingIt() throws Exception {
    Path file = dir.resolve("huge.torrent");
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(Torrent.MAX_TORRENT_FILE_SIZE + 1L);
    }
    assertThatThrownBy(() -> Torrent.read(file))
        .isInstanceOf(MetainfoException.class)
        .hasMessageContaining("larger than " + Torrent.MAX_TORRENT_FILE_SIZE);
  }

  @Test
  void parsesAFileOfExactlyTheLimit() throws Exception {
    Path file = dir.resolve("limit.torrent");
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(Torrent.MAX_TORRENT_FILE_SIZE);
    }
    assertThatThrownBy(() -> Torrent.read(file))
        .isInstanceOf(MetainfoException.class)
        .hasMessageContaining("malformed bencode");
  }

  @Test
  void rejectsInvalidContentAndReportsMissingFiles() throws Exception {
    Path bad = Files.write(dir.resolve("bad.torrent"), new byte[] {'l', 'e'});
    assertThatThrownBy(() -> Torrent.read(bad)).isInstanceOf(MetainfoException.class);
    assertThatThrownBy(() -> Torrent.read(dir.resolve("missing.torrent")))
        .isInstanceOf(NoSuchFileException.class);
  }
}
