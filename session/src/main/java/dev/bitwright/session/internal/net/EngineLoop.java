package dev.bitwright.session.internal.net;

/**
 * The engine's single thread of control: everything that touches peers, pieces and trackers runs on
 * it, so the engine needs no locks. Time comes from here too (an injected ticker, or simulated time
 * in tests).
 */
public interface EngineLoop {
  /** Returns the current time in nanoseconds (monotonic). */
  long nanoTime();

  /** Runs {@code task} on the loop thread soon; callable from any thread. */
  void execute(Runnable task);

  /** Runs {@code task} on the loop thread after {@code delayNanos}; call from the loop thread. */
  Timer schedule(long delayNanos, Runnable task);

  /** Returns whether the calling thread is the loop thread. */
  boolean inLoop();

  /** A scheduled task. */
  interface Timer {
    /** Cancels the task if it has not run. */
    void cancel();
  }
}
