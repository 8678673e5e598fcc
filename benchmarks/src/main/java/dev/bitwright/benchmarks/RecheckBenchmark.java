package dev.bitwright.benchmarks;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.metainfo.TorrentVersion;
import dev.bitwright.storage.FileCheck;
import dev.bitwright.storage.FileSystemStorage;
import dev.bitwright.storage.PieceStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * A full recheck of complete data ("check files"): a {@code sizeMiB} file of random bytes in {@code
 * dir} (a tmpfs such as /dev/shm, so that the CPU is measured, not the disk) with 2 MiB pieces,
 * every piece checked by {@link FileCheck} on {@code lanes} threads. Throughput = size / time; the
 * bound to compare with is {@link PieceHashBenchmark} on as many lanes, which only reads and
 * hashes. Every piece must pass, or the iteration fails.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(1)
public class RecheckBenchmark {
  /** Folder for the test file. */
  @Param({"/dev/shm"})
  public String dir;

  /** File size in MiB. */
  @Param({"4096"})
  public int sizeMiB;

  /** Checking lanes (threads). */
  @Param({"2"})
  public int lanes;

  /** Metadata version of the torrent. */
  @Param({"V1", "V2", "HYBRID"})
  public TorrentVersion version;

  private Path folder;
  private PieceStore store;
  private ExecutorService executor;

  /** Writes the file, makes its torrent and opens the store, once per trial. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    folder = Files.createTempDirectory(Path.of(dir), "bitwright-recheck-");
    Path file = folder.resolve("payload.bin");
    RandomFiles.write(file, sizeMiB);
    Torrent torrent = TorrentBuilder.create(file).version(version).pieceLength(2 << 20).build();
    store = new PieceStore(torrent, FileSystemStorage.open(folder, torrent));
    executor = Executors.newFixedThreadPool(lanes);
  }

  /** Closes the store and deletes the file. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    executor.shutdownNow();
    store.close();
    Files.deleteIfExists(folder.resolve("payload.bin"));
    Files.deleteIfExists(folder);
  }

  /** Checks every piece. */
  @Benchmark
  public BitSet recheck() throws InterruptedException, ExecutionException {
    BitSet valid =
        FileCheck.start(store, store.map().allPieces(), executor, lanes, (n, total, bytes) -> {})
            .result()
            .get();
    if (valid.cardinality() != store.map().pieceCount()) {
      throw new IllegalStateException(
          valid.cardinality() + " of " + store.map().pieceCount() + " pieces passed");
    }
    return valid;
  }
}
