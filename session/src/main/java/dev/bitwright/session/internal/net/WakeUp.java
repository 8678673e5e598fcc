package dev.bitwright.session.internal.net;

import org.jspecify.annotations.Nullable;

/**
 * One task of a loop, run at the earliest time asked for since it last ran: asking for a later time
 * than the one pending changes nothing, asking for an earlier one moves it. Loop thread only.
 */
public final class WakeUp {
  private final EngineLoop loop;
  private final Runnable task;
  private EngineLoop.@Nullable Timer timer;
  private long at;

  /** A wake-up that runs {@code task} on {@code loop}. */
  public WakeUp(EngineLoop loop, Runnable task) {
    this.loop = loop;
    this.task = task;
  }

  /** Runs the task at {@code nanoTime} of the loop's clock, unless it is due sooner already. */
  public void at(long nanoTime) {
    if (timer != null) {
      if (nanoTime - at >= 0) {
        return;
      }
      timer.cancel();
    }
    at = nanoTime;
    timer =
        loop.schedule(
            Math.max(0, nanoTime - loop.nanoTime()),
            () -> {
              timer = null;
              task.run();
            });
  }

  /** Cancels the pending run, if any. */
  public void cancel() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }
}
