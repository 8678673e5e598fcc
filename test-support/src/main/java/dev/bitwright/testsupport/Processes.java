package dev.bitwright.testsupport;

import java.util.concurrent.TimeUnit;

/** Stopping the processes tests start, within bounds. */
final class Processes {
  private Processes() {}

  /**
   * Waits at most {@code seconds} for {@code process} to exit, then kills it and waits as long
   * again; an interrupt kills it at once (and is kept).
   */
  static void awaitOrKill(Process process, long seconds) {
    try {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(seconds, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
