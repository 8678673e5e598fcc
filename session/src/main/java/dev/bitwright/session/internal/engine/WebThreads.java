package dev.bitwright.session.internal.engine;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that wait for web seeds' answers, one per request on its way, started when the first
 * request needs one (a session without web seeds starts none) and kept a minute when idle; the
 * engine stops them when it closes.
 */
final class WebThreads {
  private final AtomicInteger count = new AtomicInteger();
  private volatile ExecutorService pool;

  /** Returns the executor, starting it if it is not yet (any thread). */
  synchronized ExecutorService executor() {
    if (pool == null) {
      pool =
          Executors.newCachedThreadPool(
              r -> {
                Thread t = new Thread(r, "bitwright-web-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
    }
    return pool;
  }

  /** Stops the threads, interrupting requests on their way, waiting at most 5 seconds. */
  void close() throws InterruptedException {
    ExecutorService p = pool;
    if (p != null) {
      p.shutdownNow();
      p.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
