package dev.bitwright.session.internal.engine;

import dev.bitwright.session.SessionEvent;
import dev.bitwright.session.SessionListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to listeners on one thread of its own, so that no listener can stall the I/O
 * thread. At most {@value #MAX_QUEUED} events wait; more are dropped and counted.
 */
public final class EventDispatcher {
  static final int MAX_QUEUED = 100_000;
  private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);

  private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong dropped = new AtomicLong();
  private final ThreadPoolExecutor thread;

  EventDispatcher() {
    thread =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(MAX_QUEUED),
            r -> {
              Thread t = new Thread(r, "bitwright-events");
              t.setDaemon(true);
              return t;
            },
            (task, executor) -> {
              if (dropped.incrementAndGet() % 10_000 == 1) {
                log.warn("listeners are too slow: {} events dropped", dropped.get());
              }
            });
  }

  void add(SessionListener listener) {
    listeners.add(listener);
  }

  void remove(SessionListener listener) {
    listeners.remove(listener);
  }

  void post(SessionEvent event) {
    if (listeners.isEmpty() || thread.isShutdown()) {
      return;
    }
    thread.execute(
        () -> {
          for (SessionListener l : listeners) {
            try {
              l.onEvent(event);
            } catch (RuntimeException e) {
              log.warn("a session listener failed on {}", event, e);
            }
          }
        });
  }

  /** Tells every listener that the session failed, after the events queued before. */
  void postFailure(Throwable cause) {
    if (listeners.isEmpty() || thread.isShutdown()) {
      return;
    }
    thread.execute(
        () -> {
          for (SessionListener l : listeners) {
            try {
              l.onSessionFailed(cause);
            } catch (RuntimeException e) {
              log.warn("a session listener failed on the session's failure", e);
            }
          }
        });
  }

  /** Delivers what is queued (up to the timeout) and stops the thread. */
  void close(long timeoutMillis) throws InterruptedException {
    thread.shutdown();
    if (!thread.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS)) {
      thread.shutdownNow();
      thread.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
    }
  }
}
