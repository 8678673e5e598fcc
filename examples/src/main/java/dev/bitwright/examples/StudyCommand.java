package dev.bitwright.examples;

import dev.bitwright.simulation.NetworkModel;
import dev.bitwright.simulation.SimulatedPayload;
import dev.bitwright.simulation.SimulatedPeer;
import dev.bitwright.simulation.SwarmSimulation;
import dev.bitwright.simulation.SwarmSimulation.Picking;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * {@code bitwright study}: a research run on the simulated network (bitwright-simulation). One seed
 * and N leechers share a generated payload over a broadband model, once with every leecher picking
 * rarest first and once sequentially, for several seeds; the table gives the distribution of the
 * leechers' completion times and the share of the bytes that came from the seed.
 */
final class StudyCommand {
  static final String USAGE = "study [--peers N] [--size MIB] [--runs R] [--seed S]";

  private static final Duration LIMIT = Duration.ofHours(6);
  private static final int PIECE_LENGTH = 64 * 1024;

  private StudyCommand() {}

  /** What one policy's runs gave. */
  private record Result(Picking picking, List<Duration> completions, long fromSeed, long total) {}

  static void run(Arguments args, PrintStream out)
      throws UsageException, IOException, CommandException {
    int peers = 50;
    int sizeMib = 8;
    int runs = 3;
    long seed = 1;
    while (!args.isEmpty()) {
      String word = args.next();
      switch (word) {
        case "--peers" -> peers = args.number(word, 2, 500);
        case "--size" -> sizeMib = args.number(word, 1, 256);
        case "--runs" -> runs = args.number(word, 1, 100);
        case "--seed" -> seed = args.number(word, 0, Integer.MAX_VALUE);
        default -> throw new UsageException("unknown option for study: " + word);
      }
    }
    out.printf(
        Locale.ROOT,
        "study: 1 seed and %d leechers, %d MiB in %d KiB pieces, network %s, %d run(s) per"
            + " policy from seed %d (simulated time)%n",
        peers - 1,
        sizeMib,
        PIECE_LENGTH / 1024,
        describe(NetworkModel.broadband()),
        runs,
        seed);
    List<Result> results = new ArrayList<>();
    for (Picking picking : Picking.values()) {
      results.add(study(picking, peers, sizeMib, runs, seed));
    }
    out.printf(
        Locale.ROOT,
        "%-13s %9s %9s %9s %9s %9s %11s%n",
        "picking",
        "leechers",
        "min s",
        "median s",
        "p90 s",
        "max s",
        "from seed");
    for (Result r : results) {
      List<Duration> times = r.completions();
      out.printf(
          Locale.ROOT,
          "%-13s %9d %9.1f %9.1f %9.1f %9.1f %10.1f%%%n",
          r.picking().name().toLowerCase(Locale.ROOT).replace('_', '-'),
          times.size(),
          seconds(times.get(0)),
          seconds(quantile(times, 0.5)),
          seconds(quantile(times, 0.9)),
          seconds(times.get(times.size() - 1)),
          100.0 * r.fromSeed() / r.total());
    }
  }

  private static Result study(Picking picking, int peers, int sizeMib, int runs, long seed)
      throws IOException, CommandException {
    List<Duration> completions = new ArrayList<>();
    long fromSeed = 0;
    long total = 0;
    for (int run = 0; run < runs; run++) {
      SimulatedPayload payload = SimulatedPayload.random(seed + run, PIECE_LENGTH, sizeMib << 20);
      SwarmSimulation swarm = SwarmSimulation.create(seed + run, NetworkModel.broadband(), payload);
      List<SimulatedPeer> known = new ArrayList<>();
      SimulatedPeer origin = swarm.addSeed("10.0.0.1", 0);
      known.add(origin);
      for (int i = 1; i < peers; i++) {
        // Each knows the seed and a few earlier leechers, as a tracker's reply would give them.
        List<SimulatedPeer> told =
            new ArrayList<>(known.subList(Math.max(1, known.size() - 8), known.size()));
        told.add(origin);
        known.add(swarm.addLeecher("10.0." + (i / 250) + "." + (i % 250 + 2), picking, told));
      }
      if (!swarm.runUntilAllComplete(LIMIT)) {
        throw new CommandException(
            "the " + picking + " swarm of run " + run + " did not complete in " + LIMIT);
      }
      for (SimulatedPeer p : swarm.peers()) {
        if (!p.isSeed()) {
          completions.add(p.completedAt().orElseThrow());
          total += p.downloaded();
        }
      }
      fromSeed += origin.uploaded();
    }
    Collections.sort(completions);
    return new Result(picking, completions, fromSeed, total);
  }

  private static Duration quantile(List<Duration> sorted, double q) {
    return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  private static String describe(NetworkModel m) {
    return String.format(
        Locale.ROOT,
        "%d-%d ms one way, %.0f%% loss, %.1f MB/s up",
        m.minLatency().toMillis(),
        m.maxLatency().toMillis(),
        m.lossRate() * 100,
        m.uplinkBytesPerSecond() / 1e6);
  }
}
