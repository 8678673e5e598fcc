package dev.bitwright.benchmarks;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.metainfo.TorrentVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Hashing a file for {@code create}: a {@code sizeMiB} file of random bytes in {@code dir} (use a
 * tmpfs such as /dev/shm to measure the CPU, not the disk), hashed on {@code lanes} lanes.
 * Throughput = size / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(1)
public class PieceHashBenchmark {
  /** Folder for the test file. */
  @Param({"/dev/shm"})
  public String dir;

  /** File size in MiB. */
  @Param({"1024"})
  public int sizeMiB;

  /** Hashing lanes (threads, the caller included). */
  @Param({"1", "2"})
  public int lanes;

  /** Metadata version to create. */
  @Param({"V1", "V2", "HYBRID"})
  public TorrentVersion version;

  private Path file;

  /** Writes the file once per trial. */
  @Setup(Level.Trial)
  public void writeFile() throws IOException {
    file = Files.createTempFile(Path.of(dir), "bitwright-bench-", ".bin");
    RandomFiles.write(file, sizeMiB);
  }

  /** Deletes the file. */
  @TearDown(Level.Trial)
  public void deleteFile() throws IOException {
    Files.deleteIfExists(file);
  }

  /** Creates the torrent with 2 MiB pieces. */
  @Benchmark
  public Torrent create() throws IOException {
    return TorrentBuilder.create(file)
        .version(version)
        .pieceLength(2 << 20)
        .parallelism(lanes)
        .build();
  }
}
