package dev.bitwright.benchmarks;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.session.AddTorrent;
import dev.bitwright.session.SessionConfig;
import dev.bitwright.session.TorrentHandle;
import dev.bitwright.session.TorrentSession;
import dev.bitwright.wire.EncryptionPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The two sides of the many-peers measure, on 127.0.0.1, TCP only and plaintext: one seed in its
 * own process, and a swarm of leechers sharing another process (one {@link TorrentSession} each,
 * each on its own port, all sharing one disk pool of two threads, as an application running several
 * sessions would: {@link SessionConfig.Builder#diskExecutor}), every leecher told of the seed and
 * of every other leecher, as a tracker would tell them. {@code benchmarks/swarm.sh} runs them next
 * to the same swarm of libtorrent.
 *
 * <pre>
 * SwarmBenchmark seed TORRENT DIR PORT
 *     seeds TORRENT from DIR on PORT; prints "ready" once seeding, and "uploaded=BYTES" (payload
 *     bytes sent) when stopped by SIGTERM
 * SwarmBenchmark leechers TORRENT WORK_DIR SEED_PORT FIRST_PORT COUNT [TIMEOUT_SECONDS]
 *     COUNT leechers on ports FIRST_PORT.., leecher i downloading into WORK_DIR/i; prints
 *     "leecher=i seconds=S" as each finishes and "swarm_s=S" when the last has every piece
 *     verified (exit status 1 if the timeout, default 600 s, passes first)
 * </pre>
 */
public final class SwarmBenchmark {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private SwarmBenchmark() {}

  /**
   * Runs one side.
   *
   * @param args {@code seed ...} or {@code leechers ...}, as above
   */
  public static void main(String[] args) throws Exception {
    if (args.length >= 4 && args[0].equals("seed")) {
      seed(Torrent.read(Path.of(args[1])), Path.of(args[2]), Integer.parseInt(args[3]));
    } else if (args.length >= 6 && args[0].equals("leechers")) {
      int timeout = args.length > 6 ? Integer.parseInt(args[6]) : 600;
      int code =
          leechers(
              Torrent.read(Path.of(args[1])),
              Path.of(args[2]),
              Integer.parseInt(args[3]),
              Integer.parseInt(args[4]),
              Integer.parseInt(args[5]),
              timeout);
      Console.exit(code);
    } else {
      throw new IllegalArgumentException(
          "usage: SwarmBenchmark seed TORRENT DIR PORT | leechers TORRENT WORK_DIR SEED_PORT"
              + " FIRST_PORT COUNT [TIMEOUT_SECONDS]");
    }
  }

  private static SessionConfig.Builder config(int port) {
    return SessionConfig.builder()
        .listenAddress(LOOPBACK)
        .listenPort(port)
        .encryption(EncryptionPolicy.DISABLED)
        .utp(false)
        .dht(false)
        .lsd(false);
  }

  private static void seed(Torrent torrent, Path dir, int port) throws Exception {
    TorrentSession session = TorrentSession.start(config(port).build());
    TorrentHandle handle = session.add(AddTorrent.torrent(torrent, dir).build());
    handle.completion().get(10, TimeUnit.MINUTES);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  Console.out().println("uploaded=" + handle.status().uploaded());
                  Console.out().flush();
                  session.close();
                  stopped.countDown();
                }));
    Console.out().println("ready");
    Console.out().flush();
    stopped.await();
  }

  private static int leechers(
      Torrent torrent, Path work, int seedPort, int firstPort, int count, int timeoutSeconds)
      throws Exception {
    List<TorrentSession> sessions = new ArrayList<>();
    ExecutorService disk = Executors.newFixedThreadPool(2);
    try {
      for (int i = 0; i < count; i++) {
        sessions.add(TorrentSession.start(config(firstPort + i).diskExecutor(disk).build()));
      }
      long start = Console.nanoTime();
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        AddTorrent.Builder add =
            AddTorrent.torrent(torrent, work.resolve(Integer.toString(i)))
                .peer(new InetSocketAddress(LOOPBACK, seedPort));
        for (int j = 0; j < count; j++) {
          if (j != i) {
            add.peer(new InetSocketAddress(LOOPBACK, firstPort + j));
          }
        }
        int leecher = i;
        done.add(
            sessions
                .get(i)
                .add(add.build())
                .completion()
                .thenRun(() -> report("leecher=" + leecher + " seconds=" + seconds(start))));
      }
      try {
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new))
            .get(timeoutSeconds, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        report("timed out after " + timeoutSeconds + " s");
        return 1;
      }
      report("swarm_s=" + seconds(start));
      return 0;
    } finally {
      for (TorrentSession s : sessions) {
        s.close();
      }
      disk.shutdown();
    }
  }

  private static synchronized void report(String line) {
    Console.out().println(line);
    Console.out().flush();
  }

  private static String seconds(long start) {
    return String.format(Locale.ROOT, "%.2f", (Console.nanoTime() - start) / 1e9);
  }
}
