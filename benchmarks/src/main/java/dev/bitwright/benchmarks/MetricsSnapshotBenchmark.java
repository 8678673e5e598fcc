package dev.bitwright.benchmarks;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.session.AddTorrent;
import dev.bitwright.session.SessionConfig;
import dev.bitwright.session.SessionMetrics;
import dev.bitwright.session.TorrentHandle;
import dev.bitwright.session.TorrentSession;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a metrics snapshot costs the caller: {@code TorrentSession.metrics()} on a session seeding
 * {@code torrents} small torrents, against the round trip to the session's loop alone ({@code
 * dhtStats()} with the DHT off, which answers at once).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MetricsSnapshotBenchmark {
  /** Torrents the session seeds. */
  @Param({"10", "1000"})
  public int torrents;

  private Path folder;
  private TorrentSession session;

  /**
   * Writes the torrents' files (64 KiB each), starts the session and waits until every torrent
   * seeds.
   *
   * @throws Exception if a file cannot be written or a torrent does not start
   */
  @Setup
  public void start() throws Exception {
    folder = Files.createTempDirectory("bitwright-metrics-bench");
    session =
        TorrentSession.start(
            SessionConfig.builder()
                .listenAddress(InetAddress.getLoopbackAddress())
                .dht(false)
                .build());
    SplittableRandom random = new SplittableRandom(1);
    List<TorrentHandle> handles = new ArrayList<>();
    for (int i = 0; i < torrents; i++) {
      Path file = Files.createDirectories(folder.resolve("t" + i)).resolve("f.bin");
      byte[] bytes = new byte[64 * 1024];
      random.nextBytes(bytes);
      Files.write(file, bytes);
      Torrent torrent = TorrentBuilder.create(file).pieceLength(16 * 1024).build();
      handles.add(session.add(AddTorrent.torrent(torrent, file.getParent()).build()));
    }
    for (TorrentHandle h : handles) {
      h.completion().get(60, TimeUnit.SECONDS);
    }
  }

  /**
   * Closes the session and deletes the files.
   *
   * @throws IOException if a file cannot be deleted
   */
  @TearDown
  public void stop() throws IOException {
    session.close();
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /**
   * Takes one snapshot.
   *
   * @return the snapshot
   */
  @Benchmark
  public SessionMetrics metrics() {
    return session.metrics();
  }

  /**
   * Asks the loop for the DHT's figures (none: the DHT is off): the cost of the round trip alone.
   *
   * @return nothing, the DHT being off
   */
  @Benchmark
  public Optional<?> loopRoundTrip() {
    return session.dhtStats();
  }
}
