package dev.bitwright.examples;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on standard error, drawn only when the tool runs on a terminal, and
 * redrawn only when the shown percentage changes.
 */
final class ProgressBar {
  private static final int WIDTH = 40;

  private final PrintStream err;
  private final boolean enabled;
  private int shownPercent = -1;

  private ProgressBar(PrintStream err, boolean enabled) {
    this.err = err;
    this.enabled = enabled;
  }

  /** Returns a bar that draws only if the process has a console. */
  static ProgressBar forTerminal(PrintStream err) {
    return new ProgressBar(err, System.console() != null);
  }

  void update(long done, long total) {
    if (!enabled || total <= 0) {
      return;
    }
    int percent = (int) (done * 100 / total);
    if (percent == shownPercent) {
      return;
    }
    shownPercent = percent;
    int filled = percent * WIDTH / 100;
    err.printf(
        Locale.ROOT,
        "\rhashing [%s%s] %3d%% %s / %s",
        "#".repeat(filled),
        " ".repeat(WIDTH - filled),
        percent,
        Sizes.human(done),
        Sizes.human(total));
    err.flush();
  }

  void finish() {
    if (enabled && shownPercent >= 0) {
      err.println();
    }
  }
}
