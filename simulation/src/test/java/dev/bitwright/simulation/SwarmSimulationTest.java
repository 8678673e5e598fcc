package dev.bitwright.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.simulation.SwarmSimulation.Picking;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Swarms on the simulated network: they complete with the right bytes, and replay from a seed. */
@Timeout(120)
class SwarmSimulationTest {
  private static final int LEECHERS = 12;

  @Test
  void everyLeecherEndsWithThePayloadAndTheLeechersTradeAmongThemselves() throws Exception {
    SimulatedPayload payload = SimulatedPayload.random(3, 32 * 1024, 1_500_000, 700_001);
    SwarmSimulation swarm = swarm(11, payload, Picking.RAREST_FIRST);

    assertThat(swarm.runUntilAllComplete(Duration.ofHours(1))).isTrue();
    long downloaded = 0;
    for (SimulatedPeer p : swarm.peers()) {
      assertThat(p.holdsThePayload()).as("%s", p).isTrue();
      assertThat(p.completedAt()).isPresent();
      downloaded += p.downloaded();
    }
    SimulatedPeer seed = swarm.peers().get(0);
    assertThat(seed.isSeed()).isTrue();
    assertThat(seed.downloaded()).isZero();
    long size = 2_200_001;
    assertThat(downloaded).isGreaterThanOrEqualTo(size * LEECHERS);
    // The seed's uplink alone would take 13 s; the leechers' uploads carry most of the bytes.
    assertThat(seed.uploaded()).isLessThan(downloaded / 2);
    assertThat(swarm.elapsed()).isLessThan(Duration.ofHours(1));
  }

  @Test
  void theSameSeedReplaysTheSameSwarm() throws Exception {
    SimulatedPayload payload = SimulatedPayload.random(4, 32 * 1024, 600_000);
    assertThat(completionTimes(payload, 21)).isEqualTo(completionTimes(payload, 21));
  }

  @Test
  void sequentialLeechersCompleteToo() throws Exception {
    SimulatedPayload payload = SimulatedPayload.random(5, 32 * 1024, 800_000);
    SwarmSimulation swarm = swarm(31, payload, Picking.SEQUENTIAL);
    assertThat(swarm.runUntilAllComplete(Duration.ofHours(1))).isTrue();
    assertThat(swarm.peers()).allMatch(SimulatedPeer::holdsThePayload);
  }

  @Test
  void badModelsAndPayloadsAreRefused() throws Exception {
    assertThatThrownBy(
            () ->
                new NetworkModel(
                    Duration.ofMillis(10), Duration.ofMillis(5), 0, Duration.ofMillis(1), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new NetworkModel(Duration.ZERO, Duration.ZERO, 1.0, Duration.ofMillis(1), 1_000))
        .isInstanceOf(IllegalArgumentException.class);
    SimulatedPayload payload = SimulatedPayload.random(6, 16 * 1024, 40_000);
    assertThatThrownBy(() -> new SimulatedPayload(payload.torrent(), List.of(new byte[3])))
        .isInstanceOf(IllegalArgumentException.class);
    SwarmSimulation swarm = SwarmSimulation.create(1, NetworkModel.lan(), payload);
    swarm.addSeed("10.0.0.1", 0);
    assertThatThrownBy(() -> swarm.addSeed("10.0.0.1", 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> swarm.addLeecher("seed.example", Picking.RAREST_FIRST, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static List<Optional<Duration>> completionTimes(SimulatedPayload payload, long seed) {
    SwarmSimulation swarm = swarm(seed, payload, Picking.RAREST_FIRST);
    assertThat(swarm.runUntilAllComplete(Duration.ofHours(1))).isTrue();
    return swarm.peers().stream().map(SimulatedPeer::completedAt).toList();
  }

  /** A seed and {@value #LEECHERS} leechers, each knowing the seed and the leechers before it. */
  private static SwarmSimulation swarm(long seed, SimulatedPayload payload, Picking picking) {
    SwarmSimulation swarm = SwarmSimulation.create(seed, NetworkModel.broadband(), payload);
    List<SimulatedPeer> known = new ArrayList<>();
    known.add(swarm.addSeed("10.0.0.1", 0));
    for (int i = 0; i < LEECHERS; i++) {
      known.add(swarm.addLeecher("10.0.1." + (i + 1), picking, known));
    }
    return swarm;
  }
}
