package dev.bitwright.metainfo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GoldenTorrentsTest {

  static List<Golden> goldens() {
    return Golden.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void readsEveryToolsTorrentsWithTheirInfoHashes(Golden golden) throws Exception {
    Torrent torrent = Torrent.parse(golden.bytes());
    assertThat(torrent.infoHashes().v1().map(InfoHash::hex))
        .isEqualTo(golden.v1().equals("-") ? Optional.empty() : Optional.of(golden.v1()));
    assertThat(torrent.infoHashes().v2().map(InfoHash::hex))
        .isEqualTo(golden.v2().equals("-") ? Optional.empty() : Optional.of(golden.v2()));
    assertThat(torrent.pieceLength()).isEqualTo(golden.pieceLength());
    assertThat(torrent.toBytes()).isEqualTo(golden.bytes());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void describesThePayloadFiles(Golden golden) throws Exception {
    Torrent torrent = Torrent.parse(golden.bytes());
    List<FileEntry> real = torrent.files().stream().filter(f -> !f.isPadding()).toList();
    if (torrent.isSingleFile()) {
      assertThat(torrent.name()).isEqualTo("single.bin");
      assertThat(real).singleElement().satisfies(f -> assertThat(f.length()).isEqualTo(100_000));
      assertThat(torrent.pieceCount())
          .isEqualTo((100_000 + golden.pieceLength() - 1) / golden.pieceLength());
    } else {
      assertThat(torrent.name()).isEqualTo("multi");
      for (FileEntry f : real) {
        long[] spec = GoldenPayload.FILES.get("multi/" + f.pathString());
        assertThat(spec).as(f.pathString()).isNotNull();
        assertThat(f.length()).isEqualTo(spec[0]);
      }
      int expectedFiles = golden.creator().equals("transmission") ? 4 : 5;
      assertThat(real).hasSize(expectedFiles);
    }
  }

  @Test
  void readsTrackerTiersWebSeedsAndComment() throws Exception {
    Torrent mk = Torrent.parse(Golden.named("mk-multi.torrent").bytes());
    assertThat(mk.trackers())
        .containsExactly(
            List.of("http://a.example/announce", "http://b.example/announce"),
            List.of("udp://c.example:80"));
    assertThat(mk.webSeeds()).containsExactly("http://ws.example/files/");
    assertThat(mk.comment()).contains("golden multi");
    assertThat(mk.createdBy()).contains("mktorrent 1.1");
    assertThat(mk.creationDate()).isEmpty();
    assertThat(mk.isPrivate()).isFalse();
    assertThat(mk.files().get(1).pathString()).isEqualTo("empty.dat");
    assertThat(mk.downloadPath(mk.files().get(2))).containsExactly("multi", "sub", "b.bin");

    Torrent tr = Torrent.parse(Golden.named("tr-multi.torrent").bytes());
    assertThat(tr.isPrivate()).isTrue();
    assertThat(tr.trackers())
        .containsExactly(
            List.of("http://a.example/announce"), List.of("http://b.example/announce"));
    assertThat(tr.creationDate()).isPresent();
    assertThat(tr.encoding()).contains("UTF-8");
    assertThat(Torrent.parse(Golden.named("mk-single-private.torrent").bytes()).isPrivate())
        .isTrue();
  }

  @Test
  void hybridTorrentsAlignFilesWithPaddingAndCarryMerkleRoots() throws Exception {
    Torrent hybrid = Torrent.parse(Golden.named("lt-hybrid-multi.torrent").bytes());
    assertThat(hybrid.version()).isEqualTo(TorrentVersion.HYBRID);
    assertThat(hybrid.files().stream().filter(FileEntry::isPadding).map(FileEntry::pathString))
        .containsExactly(".pad/32767", ".pad/25536", ".pad/28303", ".pad/16384");
    for (FileEntry f : hybrid.files()) {
      if (!f.isPadding() && f.length() > 0) {
        assertThat(f.offset() % hybrid.pieceLength()).isZero();
        assertThat(f.piecesRoot()).isPresent();
      }
    }
    assertThat(hybrid.totalLength()).isEqualTo(7L * 32768);
    assertThat(hybrid.pieceCount()).isEqualTo(7);

    Torrent v2 = Torrent.parse(Golden.named("lt-v2-multi.torrent").bytes());
    assertThat(v2.version()).isEqualTo(TorrentVersion.V2);
    FileEntry c =
        v2.files().stream()
            .filter(f -> f.pathString().equals("sub/c.bin"))
            .findFirst()
            .orElseThrow();
    assertThat(v2.pieceLayer(c.piecesRoot().orElseThrow()))
        .hasValueSatisfying(layer -> assertThat(layer).hasSize(3 * 32));
    assertThat(v2.pieceCount()).isEqualTo(1 + 2 + 3 + 1);
  }
}
