/**
 * <b>Incubating</b> (its API may change in any release): whole swarms of Bitwright engines on a
 * simulated network, for research (how a swarm behaves under a picking policy, latency or loss) and
 * for testing an application's swarm-level assumptions without sockets.
 *
 * <p>A {@link dev.bitwright.simulation.SwarmSimulation} runs every engine in the calling thread, in
 * simulated time, on a {@link dev.bitwright.simulation.NetworkModel} of latency, loss and upload
 * bandwidth; the same seed replays the same swarm, event for event. Each engine is the real one
 * (picker, choker, wire protocol, verification) with its data in memory; only the sockets, the
 * clock and the disk threads are simulated. There is no UDP: no DHT, no uTP.
 *
 * <p>Null-marked (JSpecify): no parameter, return value or field of this package's API is null
 * unless its type is annotated {@code @Nullable}.
 */
@NullMarked
package dev.bitwright.simulation;

import org.jspecify.annotations.NullMarked;
