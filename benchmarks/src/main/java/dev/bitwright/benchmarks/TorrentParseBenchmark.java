package dev.bitwright.benchmarks;

import dev.bitwright.bencode.BencodeDecoder;
import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeEncoder;
import dev.bitwright.bencode.BencodeList;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.bencode.BencodeValue;
import dev.bitwright.metainfo.MetainfoException;
import dev.bitwright.metainfo.Torrent;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding a large torrent: {@code files} files in nested folders, v1 (a {@code files} list) or v2
 * (a {@code file tree}), as raw bencode and as a fully validated {@link Torrent}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TorrentParseBenchmark {
  private static final int PIECE_LENGTH = 64 * 1024;

  /** Number of files in the torrent. */
  @Param({"10000"})
  public int files;

  private byte[] v1Torrent;
  private byte[] v2Torrent;

  /** Builds the two torrents (random hashes; lengths chosen so no v2 piece layers are needed). */
  @Setup
  public void setUp() {
    Random random = new Random(42);
    List<BencodeValue> list = new ArrayList<>();
    BencodeDictionary.Builder tree = BencodeDictionary.builder();
    long total = 0;
    for (int folder = 0; folder * 100 < files; folder++) {
      BencodeDictionary.Builder dir = BencodeDictionary.builder();
      for (int i = 0; i < 100 && folder * 100 + i < files; i++) {
        int length = 1 + random.nextInt(PIECE_LENGTH);
        String name = String.format(java.util.Locale.ROOT, "file-%05d.dat", i);
        total += length;
        list.add(
            BencodeDictionary.builder()
                .put("length", length)
                .put("path", BencodeList.of(text("folder-" + folder), text(name)))
                .build());
        dir.put(
            name,
            BencodeDictionary.builder()
                .put(
                    "",
                    BencodeDictionary.builder()
                        .put("length", length)
                        .put("pieces root", bytes(random, 32))
                        .build())
                .build());
      }
      tree.put("folder-" + folder, dir.build());
    }
    int pieces = (int) ((total + PIECE_LENGTH - 1) / PIECE_LENGTH);
    v1Torrent =
        torrent(
            BencodeDictionary.builder()
                .put("files", new BencodeList(list))
                .put("name", "large")
                .put("piece length", PIECE_LENGTH)
                .put("pieces", bytes(random, 20 * pieces))
                .build());
    v2Torrent =
        torrent(
            BencodeDictionary.builder()
                .put("file tree", tree.build())
                .put("meta version", 2)
                .put("name", "large")
                .put("piece length", PIECE_LENGTH)
                .build());
  }

  private static byte[] torrent(BencodeDictionary info) {
    return BencodeEncoder.encode(
        BencodeDictionary.builder()
            .put("announce", "http://tracker.example/announce")
            .put("info", info)
            .build());
  }

  private static BencodeString text(String s) {
    return BencodeString.of(s);
  }

  private static byte[] bytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /** Bencode only: the v1 torrent decoded into values. */
  @Benchmark
  public BencodeValue decodeBencodeV1() throws Exception {
    return BencodeDecoder.strict().decode(v1Torrent);
  }

  /** The v1 torrent read and validated, info-hash included. */
  @Benchmark
  public Torrent parseTorrentV1() throws MetainfoException {
    return Torrent.parse(v1Torrent);
  }

  /** The v2 torrent read and validated, info-hash included. */
  @Benchmark
  public Torrent parseTorrentV2() throws MetainfoException {
    return Torrent.parse(v2Torrent);
  }
}
