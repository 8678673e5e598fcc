package dev.bitwright.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.FileEntry;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.metainfo.TorrentVersion;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PieceStoreSmokeTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TorrentVersion.class)
  void piecesWrittenFromTheSourceVerifyAndACorruptByteFails(TorrentVersion version)
      throws Exception {
    Path source = dir.resolve("src/payload");
    Files.createDirectories(source.resolve("sub"));
    Random random = new Random(version.ordinal());
    int[] sizes = {1, 0, 40_000, 70_001, 16_384, 100_000};
    for (int i = 0; i < sizes.length; i++) {
      byte[] bytes = new byte[sizes[i]];
      random.nextBytes(bytes);
      Files.write(source.resolve(i % 2 == 0 ? "f" + i : "sub/f" + i), bytes);
    }
    Torrent torrent = TorrentBuilder.create(source).version(version).pieceLength(32 * 1024).build();
    PieceStore from = new PieceStore(torrent, FileSystemStorage.open(dir.resolve("src"), torrent));
    PieceStore to = new PieceStore(torrent, FileSystemStorage.open(dir.resolve("dl"), torrent));
    PieceMap map = to.map();
    for (int p = map.pieceCount() - 1; p >= 0; p--) {
      assertThat(from.verifyPiece(p)).as("source piece %s", p).isTrue();
      assertThat(to.verifyPiece(p)).isFalse();
      ByteBuffer piece = ByteBuffer.allocate(map.pieceSize(p));
      from.readBlock(p, 0, piece);
      piece.flip();
      for (int offset = 0; offset < piece.limit(); offset += 16 * 1024) {
        int len = Math.min(16 * 1024, piece.limit() - offset);
        to.writeBlock(p, offset, piece.slice(offset, len));
      }
      assertThat(to.verifyPiece(p)).as("piece %s", p).isTrue();
    }
    for (int f = 0; f < torrent.files().size(); f++) {
      FileEntry e = torrent.files().get(f);
      Path written = dir.resolve("dl").resolve(String.join("/", torrent.downloadPath(e)));
      if (e.isPadding()) {
        assertThat(written).doesNotExist();
      } else if (e.length() > 0) {
        Path original = dir.resolve("src").resolve(String.join("/", torrent.downloadPath(e)));
        assertThat(Files.readAllBytes(written)).isEqualTo(Files.readAllBytes(original));
      }
    }
    to.writeBlock(2, 100, ByteBuffer.wrap(new byte[] {42}));
    BitSet valid =
        FileCheck.start(to, map.allPieces(), Runnable::run, 2, (a, b, c) -> {}).result().join();
    BitSet expected = map.allPieces();
    expected.clear(2);
    assertThat(valid).isEqualTo(expected);
  }
}
