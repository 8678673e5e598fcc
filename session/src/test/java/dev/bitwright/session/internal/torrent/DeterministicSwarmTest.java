package dev.bitwright.session.internal.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.FileEntry;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.metainfo.TorrentVersion;
import dev.bitwright.session.internal.net.SimulatedNetwork;
import dev.bitwright.session.internal.peer.PeerKey;
import dev.bitwright.session.internal.torrent.SimulatedSwarm.Member;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whole swarms of engines on a {@link SimulatedNetwork}: one seed and 20 leechers over links with
 * latency and loss, in simulated time, reproducible from a seed.
 */
@Timeout(120)
class DeterministicSwarmTest {
  private static final Logger log = LoggerFactory.getLogger(DeterministicSwarmTest.class);
  private static final long MS = 1_000_000L;
  private static final SimulatedNetwork.Links LINKS =
      new SimulatedNetwork.Links(5 * MS, 60 * MS, 0.02, 200 * MS, 2_000_000);
  private static final int LEECHERS = 20;
  private static final long SWARM_LIMIT_NANOS = 1_800_000 * MS;

  @TempDir Path dir;

  /** What one run produced. */
  private record Run(
      SimulatedSwarm swarm, PieceSendLog seedLog, PieceSendLog corruptLog, boolean completed) {
    List<Long> completionTimes() {
      return swarm.members.stream().map(m -> m.completedAt).toList();
    }
  }

  @Test
  void everyLeecherCompletesWithTheRightBytesAndRarestFirstSpreadsThePieces() throws Exception {
    Run run = run(1, false);

    assertThat(run.completed()).isTrue();
    for (Member m : run.swarm().members) {
      assertThat(run.swarm().digests(m)).isEqualTo(run.swarm().expectedDigests());
      // Honest peers never send data that fails (a piece sent by one peer alone that failed
      // would have got it banned): no message may land inside a block on its way.
      for (Member other : run.swarm().members) {
        assertThat(m.runtime.peerSet().isBanned(key(other))).isFalse();
      }
    }
    // Rarest first: every piece has left the seed after 2.2 to 2.6 sends per piece (seeds 1 to
    // 6; the BEP 6 allowed fast pieces each new leecher fetches while choked are part of it);
    // picking at random would take about n·H(n) sends (coupon collector), 5.4 per piece here.
    int pieces = run.swarm().torrent.pieceCount();
    int sends = run.seedLog().sendsUntilEveryPieceWasSent(pieces);
    log.info(
        "{} pieces: every piece left the seed after {} sends; {} sends in all; last leecher done"
            + " after {} ms of simulated time",
        pieces,
        sends,
        run.seedLog().sends().size(),
        run.completionTimes().stream().mapToLong(Long::longValue).max().orElseThrow() / MS);
    assertThat(sends).isBetween(pieces, pieces * 3);
    // The leechers serve each other: the seed uploads far fewer than one copy per leecher.
    assertThat(run.seedLog().sends().size()).isLessThan(pieces * LEECHERS / 4);
  }

  @Test
  void theSameSeedReplaysTheSameSwarm() throws Exception {
    Run first = run(7, false);
    Run again = run(7, false);
    Run other = run(8, false);

    assertThat(again.completionTimes()).isEqualTo(first.completionTimes());
    assertThat(again.seedLog().sends()).isEqualTo(first.seedLog().sends());
    assertThat(other.completionTimes()).isNotEqualTo(first.completionTimes());
  }

  @Test
  void aPeerSendingCorruptBlocksIsBannedAndTheSwarmStillCompletes() throws Exception {
    Run run = run(3, true);

    Member corrupt = run.swarm().members.get(1);
    List<Member> leechers = run.swarm().members.subList(2, run.swarm().members.size());
    assertThat(leechers).allMatch(Member::complete);
    for (Member m : leechers) {
      assertThat(run.swarm().digests(m)).isEqualTo(run.swarm().expectedDigests());
    }
    PieceSendLog corruptLog = run.corruptLog();
    List<Member> banning = new ArrayList<>();
    for (Member m : leechers) {
      if (m.runtime.peerSet().isBanned(key(corrupt))) {
        banning.add(m);
        // banned on evidence: it had sent this leecher blocks
        assertThat(corruptLog.piecesSentTo(m.address())).as("%s", m.address()).isNotEmpty();
        assertThat(m.runtime.peers())
            .noneMatch(p -> p.address().getAddress().equals(corrupt.address()));
      }
      // and no honest peer was blamed for the corrupt one's blocks
      for (Member honest : run.swarm().members) {
        if (honest != corrupt) {
          assertThat(m.runtime.peerSet().isBanned(key(honest)))
              .as("%s banned %s", m.address(), honest.address())
              .isFalse();
        }
      }
    }
    log.info("{} of {} leechers banned the corrupt peer", banning.size(), leechers.size());
    assertThat(banning).hasSizeGreaterThanOrEqualTo(LEECHERS / 2);
  }

  @Test
  void aPeerThatSnubsUsMakesRoomForOneThatWaits() throws Exception {
    SimulatedSwarm swarm = swarm(5, new SplittableRandom(5));
    // It unchokes but never delivers: at one byte a second, no 16 KiB block ever goes out.
    Member staller = swarm.addSeed("10.0.0.3", false, 1);
    Member seeder = swarm.addSeed("10.0.0.1", false);
    Member leecher = swarm.addLeecher("10.0.1.1", List.of(staller, seeder), 1);

    assertThat(swarm.network.runUntil(leecher::complete, SWARM_LIMIT_NANOS)).isTrue();
    assertThat(swarm.digests(leecher)).isEqualTo(swarm.expectedDigests());
    // The staller held the only connection until it had snubbed for a minute.
    assertThat(leecher.completedAt).isGreaterThan(60_000 * MS);
  }

  /** Returns a swarm with nobody in it yet, of a torrent made from {@code random}'s bytes. */
  private SimulatedSwarm swarm(long seed, SplittableRandom random) throws Exception {
    Path payload = Files.createDirectories(dir.resolve("payload-" + seed));
    List<byte[]> contents = SimulatedSwarm.payload(random, 3_000_000, 1_200_001);
    for (int i = 0; i < contents.size(); i++) {
      Files.write(payload.resolve("file" + i), contents.get(i));
    }
    Torrent torrent =
        TorrentBuilder.create(payload).version(TorrentVersion.V1).pieceLength(32 * 1024).build();
    List<byte[]> files = new ArrayList<>();
    for (FileEntry f : torrent.files()) {
      files.add(Files.readAllBytes(dir.resolve(String.join("/", torrent.downloadPath(f)))));
    }

    return new SimulatedSwarm(new SimulatedNetwork(seed, LINKS), torrent, files);
  }

  private Run run(long seed, boolean withCorruptSeed) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    SimulatedSwarm swarm = swarm(seed, random);
    SimulatedNetwork network = swarm.network;
    Member seeder = swarm.addSeed("10.0.0.1", false);
    PieceSendLog seedLog = new PieceSendLog();
    seeder.host.tap(seedLog);
    List<Member> sources = new ArrayList<>(List.of(seeder));
    PieceSendLog corruptLog = new PieceSendLog();
    if (withCorruptSeed) {
      Member corrupt = swarm.addSeed("10.0.0.2", true);
      corrupt.host.tap(corruptLog);
      sources.add(corrupt);
    }
    List<Member> leechers = new ArrayList<>();
    for (int i = 0; i < LEECHERS; i++) {
      List<Member> known = new ArrayList<>(sources);
      for (int k = 0; k < 3 && !leechers.isEmpty(); k++) {
        known.add(leechers.get(random.nextInt(leechers.size())));
      }
      // Every fourth leecher starts from a magnet link: metadata from its peers first.
      leechers.add(
          swarm.addLeecher("10.0.1." + (i + 1), known.stream().distinct().toList(), i % 4 == 3));
    }
    // Each picker counts exactly the pieces of the peers connected now, checked every second.
    boolean completed = false;
    for (long t = 0; t < SWARM_LIMIT_NANOS && !completed; t += 1_000 * MS) {
      completed = network.runUntil(() -> leechers.stream().allMatch(Member::complete), 1_000 * MS);
      for (Member m : swarm.members) {
        assertThat(SimulatedSwarm.availabilityMismatches(m)).as("%s", m.address()).isEmpty();
      }
    }
    return new Run(swarm, seedLog, corruptLog, completed);
  }

  /** Who a member is to the others: its address and peer id. */
  private static PeerKey key(Member m) {
    return new PeerKey(m.address(), m.runtime.host().peerId());
  }
}
