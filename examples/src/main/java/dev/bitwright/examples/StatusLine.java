package dev.bitwright.examples;

import dev.bitwright.session.PeerTransport;
import dev.bitwright.session.TorrentStatus;
import dev.bitwright.session.WebSeedInfo;
import java.io.PrintStream;
import java.util.Locale;

/** Progress of a transfer: a live line on a terminal, plain lines every few seconds otherwise. */
final class StatusLine {
  private final PrintStream out;
  private final boolean terminal;
  private int ticks;

  StatusLine(PrintStream out) {
    this.out = out;
    this.terminal = System.console() != null;
  }

  /** Prints {@code message} on a line of its own; a live line is drawn again by the next show. */
  void note(String message) {
    if (terminal) {
      out.print("\r" + message + " ".repeat(40) + "\n");
    } else {
      out.println(message);
    }
    out.flush();
  }

  void show(TorrentStatus s) {
    String line =
        String.format(
            Locale.ROOT,
            "%-8s %5.1f%%  %s/%s  down %s/s  up %s/s  peers %d%s%s  eta %s",
            s.state().name().toLowerCase(Locale.ROOT),
            s.progress() * 100,
            Sizes.human(s.bytesDone()),
            Sizes.human(s.bytesWanted()),
            Sizes.human(s.downloadRate()),
            Sizes.human(s.uploadRate()),
            s.peers().size(),
            overUtp(s),
            webSeeds(s),
            s.eta().map(d -> d.toSeconds() + "s").orElse("-"));
    if (terminal) {
      out.print("\r" + line + "   ");
      out.flush();
    } else if (ticks++ % 10 == 0) {
      out.println(line);
    }
  }

  /** Returns how many peers are on uTP, as " (N uTP)"; empty if none. */
  private static String overUtp(TorrentStatus s) {
    long utp = s.peers().stream().filter(p -> p.transport() == PeerTransport.UTP).count();
    return utp == 0 ? "" : " (" + utp + " uTP)";
  }

  /** Returns the web seeds' part of the line: how many, and the bytes they gave; empty if none. */
  private static String webSeeds(TorrentStatus s) {
    if (s.webSeeds().isEmpty()) {
      return "";
    }
    long bytes = s.webSeeds().stream().mapToLong(WebSeedInfo::downloaded).sum();
    return String.format(
        Locale.ROOT, "  web seeds %d (%s)", s.webSeeds().size(), Sizes.human(bytes));
  }

  void finish() {
    if (terminal) {
      out.println();
    }
  }
}
