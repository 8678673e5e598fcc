package dev.bitwright.metainfo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** For the same files and piece length, our torrents have the other tools' info-hashes. */
class TorrentBuilderGoldenTest {
  @TempDir static Path payload;

  @BeforeAll
  static void writePayload() throws Exception {
    GoldenPayload.write(payload);
  }

  @ParameterizedTest(name = "{0} like {3}")
  @CsvSource({
    "single.bin, V1, false, mk-single.torrent",
    "single.bin, V1, true, mk-single-private.torrent",
    "multi, V1, false, mk-multi.torrent",
    "single.bin, V1, false, lt-v1-single.torrent",
    "multi, V1, false, lt-v1-multi.torrent",
    "single.bin, V2, false, lt-v2-single.torrent",
    "multi, V2, false, lt-v2-multi.torrent",
    "single.bin, HYBRID, false, lt-hybrid-single.torrent",
    "multi, HYBRID, false, lt-hybrid-multi.torrent",
  })
  void matchesTheInfoHashOfTheOtherTool(
      String source, TorrentVersion version, boolean isPrivate, String goldenFile)
      throws Exception {
    Golden golden = Golden.named(goldenFile);
    Torrent ours =
        TorrentBuilder.create(payload.resolve(source))
            .version(version)
            .pieceLength(golden.pieceLength())
            .privateFlag(isPrivate)
            .addTrackerTier("http://127.0.0.1:6969/announce")
            .build();
    Torrent theirs = Torrent.parse(golden.bytes());
    assertThat(ours.infoHashes()).isEqualTo(theirs.infoHashes());
    assertThat(ours.infoBytes()).isEqualTo(theirs.infoBytes());
    for (FileEntry f : theirs.files()) {
      f.piecesRoot()
          .ifPresent(
              root ->
                  assertThat(ours.pieceLayer(root).orElse(null))
                      .isEqualTo(theirs.pieceLayer(root).orElse(null)));
    }
  }
}
