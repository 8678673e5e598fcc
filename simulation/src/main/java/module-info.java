/**
 * Incubating: swarms of Bitwright engines on a simulated network, in simulated time, reproducible
 * from a seed. Start with {@link dev.bitwright.simulation.SwarmSimulation}.
 */
module dev.bitwright.simulation {
  requires static transitive org.jspecify;
  requires transitive dev.bitwright.session;
  requires com.google.common;

  exports dev.bitwright.simulation;
}
