package dev.bitwright.session.internal.engine;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor for disk work: the one the session was given, or two threads of its own, which the
 * engine stops when it closes.
 */
final class DiskThreads {
  private final ExecutorService own;
  private final Executor executor;

  /** Uses {@code given}, or with null starts two daemon threads. */
  DiskThreads(Executor given) {
    if (given != null) {
      this.own = null;
      this.executor = given;
    } else {
      AtomicInteger n = new AtomicInteger();
      this.own =
          Executors.newFixedThreadPool(
              2,
              r -> {
                Thread t = new Thread(r, "bitwright-disk-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      this.executor = own;
    }
  }

  Executor executor() {
    return executor;
  }

  /** Stops the own threads after the work queued, waiting at most 5 seconds before interrupting. */
  void close() throws InterruptedException {
    if (own != null) {
      own.shutdown();
      if (!own.awaitTermination(5, TimeUnit.SECONDS)) {
        own.shutdownNow();
      }
    }
  }

  /** Stops the own threads at once (the loop died), waiting at most 5 seconds. */
  void closeNow() throws InterruptedException {
    if (own != null) {
      own.shutdownNow();
      own.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
