package dev.bitwright.session.internal.net;

import com.google.common.base.Ticker;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the {@link NioTransport}'s loop runs besides I/O: tasks other threads post, and timers on
 * the injected clock. Posting is thread-safe; the rest runs on the loop thread.
 */
final class LoopTasks {
  // The transport's logger: these are its loop's tasks.
  private static final Logger log = LoggerFactory.getLogger(NioTransport.class);

  private final Ticker ticker;
  private final Runnable wakeup;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  // Tasks the loop posts to itself (flushes, deliveries: many per second with uTP) go here, where
  // adding one allocates nothing.
  private final ArrayDeque<Runnable> ownTasks = new ArrayDeque<>();
  private final AtomicBoolean wakeupPending = new AtomicBoolean();
  private final PriorityQueue<ScheduledTask> timers = new PriorityQueue<>();
  private long sequence;

  /** Tasks and timers on {@code ticker}'s time; {@code wakeup} wakes the waiting loop. */
  LoopTasks(Ticker ticker, Runnable wakeup) {
    this.ticker = ticker;
    this.wakeup = wakeup;
  }

  long nanoTime() {
    return ticker.read();
  }

  /** Queues {@code task}; wakes the loop unless {@code fromLoop} (it runs the queue anyway). */
  void post(Runnable task, boolean fromLoop) {
    if (fromLoop) {
      ownTasks.add(task);
      return;
    }
    tasks.add(task);
    // One wake-up per batch: the loop clears the flag before it runs the queued tasks.
    if (!fromLoop && !wakeupPending.getAndSet(true)) {
      wakeup.run();
    }
  }

  /** Returns whether tasks wait (the loop must not block). */
  boolean pending() {
    return !ownTasks.isEmpty() || !tasks.isEmpty();
  }

  /** Runs the queued tasks, those queued while they run included; loop thread. */
  void runPosted() {
    wakeupPending.set(false);
    Runnable task;
    while ((task = ownTasks.poll()) != null || (task = tasks.poll()) != null) {
      runSafely(task);
    }
  }

  /** Schedules {@code task} after {@code delayNanos}; loop thread. */
  EngineLoop.Timer schedule(long delayNanos, Runnable task) {
    ScheduledTask t = new ScheduledTask(nanoTime() + Math.max(0, delayNanos), sequence++, task);
    timers.add(t);
    return t;
  }

  /** Runs due timers; returns nanoseconds until the next one, 0 for none (block until woken). */
  long runTimers() {
    long now = nanoTime();
    ScheduledTask t;
    while ((t = timers.peek()) != null && t.deadline - now <= 0) {
      timers.poll();
      if (!t.cancelled) {
        runSafely(t.task);
      }
      now = nanoTime();
    }
    t = timers.peek();
    return t == null ? 0 : Math.max(1, t.deadline - now);
  }

  private static void runSafely(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      log.error("engine task failed", e);
    }
  }
}
