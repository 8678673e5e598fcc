package dev.bitwright.session.internal.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.metainfo.TorrentVersion;
import dev.bitwright.session.internal.peer.Block;
import dev.bitwright.storage.PieceMap;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebJobTest {
  private static final int PIECE = 64 * 1024;

  @TempDir Path dir;
  private Torrent torrent;
  private PieceMap map;
  private byte[] stream;

  @BeforeEach
  void hybridTorrentWithPaddingFiles() throws Exception {
    Path payload = dir.resolve("payload");
    Files.createDirectories(payload);
    int[] sizes = {100_000, 1, 70_000};
    Random random = new Random(5);
    for (int i = 0; i < sizes.length; i++) {
      byte[] bytes = new byte[sizes[i]];
      random.nextBytes(bytes);
      Files.write(payload.resolve("f" + i), bytes);
    }
    torrent =
        TorrentBuilder.create(payload).version(TorrentVersion.HYBRID).pieceLength(PIECE).build();
    map = PieceMap.of(torrent);
    // The byte stream of the torrent: files and their padding (zeros) one after the other.
    long length = 0;
    for (var f : torrent.files()) {
      length = Math.max(length, f.offset() + f.length());
    }
    stream = new byte[(int) length];
    for (var f : torrent.files()) {
      if (!f.isPadding()) {
        byte[] bytes = Files.readAllBytes(payload.resolve(f.path().get(f.path().size() - 1)));
        System.arraycopy(bytes, 0, stream, (int) f.offset(), bytes.length);
      }
    }
  }

  private List<Block> allBlocks() {
    List<Block> blocks = new ArrayList<>();
    for (int p = 0; p < map.pieceCount(); p++) {
      for (int o = 0; o < map.pieceSize(p); o += Block.SIZE) {
        blocks.add(new Block(p, o, Math.min(Block.SIZE, map.pieceSize(p) - o)));
      }
    }
    return blocks;
  }

  @Test
  void paddingIsNeverAskedForAndEveryBlockComesOutWhole() {
    List<WebJob> jobs = WebJob.plan(map, allBlocks(), Integer.MAX_VALUE);
    assertThat(jobs).hasSize(1);
    WebJob job = jobs.get(0);
    assertThat(job.ranges()).allMatch(r -> !torrent.files().get(r.file()).isPadding());
    assertThat(job.ranges()).extracting(WebJob.FileRange::file).doesNotHaveDuplicates();
    for (WebJob.FileRange r : job.ranges()) {
      long start = torrent.files().get(r.file()).offset() + r.offset();
      System.arraycopy(stream, (int) start, job.buffer(), r.at(), r.length());
      job.arrived();
    }
    for (int i = 0; i < job.blocks().size(); i++) {
      Block b = job.blocks().get(i);
      ByteBuffer got = job.bytesOf(i);
      long start = (long) b.piece() * PIECE + b.offset();
      byte[] expected = new byte[b.length()];
      System.arraycopy(stream, (int) start, expected, 0, b.length());
      byte[] actual = new byte[got.remaining()];
      got.get(actual);
      assertThat(actual).isEqualTo(expected);
    }
  }

  @Test
  void jobsAreBoundedAndRunsThatDoNotFollowEachOtherAreApart() {
    List<Block> blocks = allBlocks();
    List<WebJob> jobs = WebJob.plan(map, blocks, 2 * Block.SIZE);
    assertThat(jobs).allMatch(j -> j.length() <= 2 * Block.SIZE);
    assertThat(jobs.stream().mapToInt(j -> j.blocks().size()).sum()).isEqualTo(blocks.size());
    List<Block> gapped = List.of(blocks.get(0), blocks.get(2));
    assertThat(WebJob.plan(map, gapped, Integer.MAX_VALUE)).hasSize(2);
  }
}
