package dev.bitwright.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.metainfo.InfoHash;
import dev.bitwright.metainfo.InfoHashes;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.metainfo.TorrentVersion;
import dev.bitwright.wire.MetadataMessage.Data;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Fetching the info dictionary of real torrents piece by piece, and proving it. */
class MetadataAssemblerTest {
  @TempDir static Path temp;

  private static Path folder;

  /** A folder of many files with long names, so that every info dictionary spans pieces. */
  @BeforeAll
  static void createPayload() throws Exception {
    folder = Files.createDirectories(temp.resolve("payload"));
    for (int i = 0; i < 400; i++) {
      String name = String.format(Locale.ROOT, "a-file-with-a-rather-long-name-number-%03d.bin", i);
      Files.write(folder.resolve(name), ("content of file " + i).getBytes(StandardCharsets.UTF_8));
    }
  }

  private static Torrent torrent(TorrentVersion version) throws Exception {
    return TorrentBuilder.create(folder)
        .version(version)
        .pieceLength(16 * 1024)
        .parallelism(1)
        .build();
  }

  /** Serves every piece of {@code info} in a random order into {@code assembler}. */
  private static void serveAll(byte[] info, MetadataAssembler assembler, long seed)
      throws Exception {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < assembler.pieceCount(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(seed));
    for (int piece : order) {
      assertThat(assembler.isComplete()).isFalse();
      MetadataMessage m = MetadataAssembler.serve(info, piece);
      assembler.accept((Data) MetadataMessage.decode(m.encode()));
    }
  }

  @ParameterizedTest
  @EnumSource(TorrentVersion.class)
  void assemblesTheInfoDictionaryOfARealTorrent(TorrentVersion version) throws Exception {
    Torrent torrent = torrent(version);
    byte[] info = torrent.infoBytes();
    InfoHashes hashes = torrent.infoHashes();
    assertThat(hashes.isHybrid()).isEqualTo(version == TorrentVersion.HYBRID);
    for (long seed = 0; seed < 3; seed++) {
      MetadataAssembler assembler = new MetadataAssembler(hashes, info.length);
      assertThat(assembler.totalSize()).isEqualTo(info.length);
      assertThat(assembler.pieceCount())
          .isEqualTo((info.length + 16383) / 16384)
          .isGreaterThanOrEqualTo(2);
      assertThat(assembler.nextMissing()).hasValue(0);
      serveAll(info, assembler, seed);
      assertThat(assembler.isComplete()).isTrue();
      assertThat(assembler.nextMissing()).isEmpty();
      assertThat(assembler.verify()).hasValueSatisfying(v -> assertThat(v).isEqualTo(info));
      assertThat(Torrent.parseInfo(assembler.verify().orElseThrow()).infoHashes())
          .isEqualTo(hashes);
    }
  }

  @ParameterizedTest
  @EnumSource(TorrentVersion.class)
  void aCorruptedPieceIsDetectedAndEverythingIsFetchedAgain(TorrentVersion version)
      throws Exception {
    Torrent torrent = torrent(version);
    byte[] info = torrent.infoBytes();
    MetadataAssembler assembler = new MetadataAssembler(torrent.infoHashes(), info.length);
    byte[] bad = info.clone();
    bad[bad.length - 2] ^= 1;
    serveAll(bad, assembler, 1);
    assertThat(assembler.verify()).isEmpty();
    assertThat(assembler.isComplete()).isFalse();
    assertThat(assembler.nextMissing()).hasValue(0);
    serveAll(info, assembler, 2);
    assertThat(assembler.verify()).hasValueSatisfying(v -> assertThat(v).isEqualTo(info));
  }

  @Test
  void aHybridNeedsBothHashesToMatch() throws Exception {
    Torrent torrent = torrent(TorrentVersion.HYBRID);
    byte[] info = torrent.infoBytes();
    InfoHash v1 = torrent.infoHashes().v1().orElseThrow();
    InfoHash wrongV2 = new InfoHash(new byte[32]);
    MetadataAssembler assembler =
        new MetadataAssembler(InfoHashes.ofHybrid(v1, wrongV2), info.length);
    serveAll(info, assembler, 0);
    assertThat(assembler.verify()).isEmpty();
    MetadataAssembler onlyV1 = new MetadataAssembler(InfoHashes.ofV1(v1), info.length);
    serveAll(info, onlyV1, 0);
    assertThat(onlyV1.verify()).isPresent();
  }

  @Test
  void verifyBeforeTheLastPieceIsAnError() throws Exception {
    MetadataAssembler assembler =
        new MetadataAssembler(InfoHashes.ofV1(new InfoHash(new byte[20])), 20000);
    assembler.accept(new Data(0, 20000, new byte[16384]));
    assertThat(assembler.nextMissing()).hasValue(1);
    assertThatThrownBy(assembler::verify).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void piecesThatDoNotFitTheAnnouncedSizeAreRefused() throws Exception {
    MetadataAssembler assembler =
        new MetadataAssembler(InfoHashes.ofV1(new InfoHash(new byte[20])), 20000);
    assertThatThrownBy(() -> assembler.accept(new Data(0, 20001, new byte[16384])))
        .isInstanceOf(WireException.class);
    assertThatThrownBy(() -> assembler.accept(new Data(2, 20000, new byte[0])))
        .isInstanceOf(WireException.class);
    assertThatThrownBy(() -> assembler.accept(new Data(0, 20000, new byte[16383])))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("expected 16384");
    assertThatThrownBy(() -> assembler.accept(new Data(1, 20000, new byte[3617])))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("expected 3616");
    assertThatThrownBy(() -> assembler.accept(new Data(1, 20000, new byte[16384])))
        .isInstanceOf(WireException.class);
    assertThat(assembler.nextMissing()).hasValue(0);
    assembler.accept(new Data(1, 20000, new byte[3616]));
    assertThat(assembler.nextMissing()).hasValue(0);
  }

  @Test
  void sizesOutOfRangeAreRefusedAtConstruction() throws Exception {
    InfoHashes hashes = InfoHashes.ofV1(new InfoHash(new byte[20]));
    for (int size :
        new int[] {
          0, -1, Integer.MIN_VALUE, MetadataAssembler.MAX_METADATA_SIZE + 1, Integer.MAX_VALUE
        }) {
      assertThatThrownBy(() -> new MetadataAssembler(hashes, size))
          .as("size %s", size)
          .isInstanceOf(WireException.class);
    }
    assertThat(new MetadataAssembler(hashes, 1).pieceCount()).isEqualTo(1);
    assertThat(new MetadataAssembler(hashes, 16384).pieceCount()).isEqualTo(1);
    assertThat(new MetadataAssembler(hashes, 16385).pieceCount()).isEqualTo(2);
    assertThat(new MetadataAssembler(hashes, MetadataAssembler.MAX_METADATA_SIZE).pieceCount())
        .isEqualTo(1024);
  }

  @Test
  void serveAnswersOutOfRangeRequestsWithAReject() {
    byte[] info = new byte[16384 + 10];
    assertThat(MetadataAssembler.serve(info, 0)).isInstanceOf(Data.class);
    Data last = (Data) MetadataAssembler.serve(info, 1);
    assertThat(last.data()).hasSize(10);
    assertThat(last.totalSize()).isEqualTo(info.length);
    assertThat(last.piece()).isEqualTo(1);
    assertThat(MetadataAssembler.serve(info, 2)).isEqualTo(new MetadataMessage.Reject(2));
    assertThat(MetadataAssembler.serve(info, Integer.MAX_VALUE))
        .isEqualTo(new MetadataMessage.Reject(Integer.MAX_VALUE));
    assertThat(MetadataAssembler.serve(info, -1)).isInstanceOf(MetadataMessage.Reject.class);
    assertThatThrownBy(() -> MetadataAssembler.serve(new byte[0], 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
