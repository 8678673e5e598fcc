package dev.bitwright.benchmarks;

import java.io.PrintStream;

/**
 * What the command-line benchmarks (not the JMH ones) take from the system: their output, the clock
 * they time themselves with, and their exit status. In one place so that forbidden-apis is told
 * only once that these uses are meant.
 */
@SuppressForbidden
final class Console {
  private Console() {}

  /** Returns standard output, where the benchmarks print their figures. */
  static PrintStream out() {
    return System.out;
  }

  /** Returns the monotonic clock, in nanoseconds. */
  static long nanoTime() {
    return System.nanoTime();
  }

  /** Ends the process with {@code status}. */
  static void exit(int status) {
    System.exit(status);
  }
}
