package dev.bitwright.session;

import static dev.bitwright.session.Swarm.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Streaming: sequential mode and piece deadlines, from a seed limited to 1 MiB/s. */
@Timeout(60)
class SequentialTest {
  /**
   * Pieces are downloaded in order but written and hashed on two disk threads, so a hiccup there
   * may let a piece be verified a few places late (more during the first second's burst): "in
   * order" means nearly every pair of pieces is verified in order (about half, rarest first).
   */
  private static final double ORDERED_PAIRS = 0.95;

  /** With a deadline, a piece comes among the first quarter instead of last. */
  private int early() {
    return torrent.pieceCount() / 4;
  }

  private static double orderedPairs(List<Integer> order) {
    long ordered = 0;
    long pairs = 0;
    for (int i = 0; i < order.size(); i++) {
      for (int j = i + 1; j < order.size(); j++) {
        pairs++;
        if (order.get(i) < order.get(j)) {
          ordered++;
        }
      }
    }
    return (double) ordered / pairs;
  }

  @TempDir Path dir;
  Path seedDir;
  Torrent torrent;

  @BeforeEach
  void payload() throws Exception {
    seedDir = dir.resolve("seed");
    torrent =
        TorrentBuilder.create(Swarm.payload(seedDir, 8, 3 * MIB / 2, 3 * MIB / 2))
            .pieceLength(64 * 1024)
            .build();
  }

  private TorrentSession seeder() throws Exception {
    return Swarm.seeding(torrent, seedDir, MIB);
  }

  @Test
  void sequentialModeVerifiesPiecesInOrder() throws Exception {
    List<Integer> order = verifiedOrder(true, false, leech -> {});
    Swarm.assertSameFiles(torrent, seedDir, dir.resolve("download"));
    assertThat(orderedPairs(order)).as("%s", order).isGreaterThanOrEqualTo(ORDERED_PAIRS);
  }

  /** What a test does to the leecher before the seeder is added as its peer. */
  private interface BeforeThePeer {
    void run(TorrentHandle leech) throws Exception;
  }

  /**
   * Downloads (in sequential mode from the start or not; the leecher added paused, or started and
   * checked), doing {@code before} first; returns the order in which the pieces were verified.
   */
  private List<Integer> verifiedOrder(boolean sequential, boolean paused, BeforeThePeer before)
      throws Exception {
    Swarm.Events events = new Swarm.Events();
    try (TorrentSession seeder = seeder();
        TorrentSession leecher = TorrentSession.start(Swarm.config().build())) {
      leecher.addListener(events);
      TorrentHandle leech =
          leecher.add(
              AddTorrent.torrent(torrent, dir.resolve("download"))
                  .sequential(sequential)
                  .paused(paused)
                  .build());
      if (!paused) {
        Swarm.await(
            Duration.ofSeconds(10),
            "DOWNLOADING",
            () -> leech.status().state() == TorrentState.DOWNLOADING);
      }
      before.run(leech);
      leech.addPeer(Swarm.address(seeder));
      leech.completion().get(40, TimeUnit.SECONDS);
      Swarm.await(
          Duration.ofSeconds(5),
          "every PieceVerified",
          () -> events.verifiedPieces().size() == torrent.pieceCount());
    }
    return events.verifiedPieces();
  }

  @Test
  void aDeadlineBringsALatePieceForward() throws Exception {
    int last = torrent.pieceCount() - 1;
    List<Integer> order =
        verifiedOrder(
            true,
            false,
            leech -> {
              leech.setPieceDeadline(last, Duration.ofSeconds(1));
              leech.setPieceDeadline(last - 1, Duration.ofSeconds(2));
            });
    assertThat(order.indexOf(last)).as("in %s", order).isLessThan(early());
    assertThat(order.indexOf(last - 1)).as("in %s", order).isLessThan(early());
    List<Integer> rest = order.stream().filter(p -> p < last - 1).toList();
    assertThat(orderedPairs(rest)).as("%s", order).isGreaterThanOrEqualTo(ORDERED_PAIRS);
  }

  /** A deadline set before the files are checked (here: before the first start) is kept. */
  @Test
  void aDeadlineSetBeforeTheCheckIsKept() throws Exception {
    int last = torrent.pieceCount() - 1;
    List<Integer> order =
        verifiedOrder(
            true,
            true,
            leech -> {
              leech.setPieceDeadline(last, Duration.ofSeconds(1));
              leech.resume();
            });
    assertThat(order.indexOf(last)).as("in %s", order).isLessThan(early());
  }

  /** A recheck builds a new picker; the deadlines set before still hold. */
  @Test
  void aDeadlineSurvivesARecheck() throws Exception {
    int last = torrent.pieceCount() - 1;
    List<Integer> order =
        verifiedOrder(
            true,
            false,
            leech -> {
              leech.setPieceDeadline(last, Duration.ofSeconds(1));
              leech.recheck().get(10, TimeUnit.SECONDS);
            });
    assertThat(order.indexOf(last)).as("in %s", order).isLessThan(early());
  }

  @Test
  void sequentialModeCanBeSwitchedOnWhileRunning() throws Exception {
    List<Integer> order = verifiedOrder(false, false, leech -> leech.setSequential(true));
    assertThat(orderedPairs(order)).as("%s", order).isGreaterThanOrEqualTo(ORDERED_PAIRS);
  }
}
