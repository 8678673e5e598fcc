package dev.bitwright.simulation;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.common.net.InetAddresses;
import dev.bitwright.session.AddTorrent;
import dev.bitwright.session.SessionConfig;
import dev.bitwright.session.internal.engine.Engine;
import dev.bitwright.session.internal.net.SimulatedNetwork;
import dev.bitwright.session.internal.torrent.TorrentRuntime;
import dev.bitwright.storage.InMemoryStorage;
import dev.bitwright.storage.Storage;
import dev.bitwright.wire.EncryptionPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A swarm of Bitwright engines sharing one {@link SimulatedPayload} on a simulated network, run in
 * the calling thread and in simulated time: the same seed, network, payload and calls replay the
 * same swarm, event for event. Seeds start with the payload; leechers start empty and know the
 * peers they are given (there are no trackers, no DHT and no UDP in the simulation). Not
 * thread-safe: one thread makes every call.
 *
 * <pre>{@code
 * SwarmSimulation swarm = SwarmSimulation.create(7, NetworkModel.broadband(), payload);
 * SimulatedPeer seed = swarm.addSeed("10.0.0.1", 0);
 * for (int i = 2; i <= 50; i++) {
 *   swarm.addLeecher("10.0.0." + i, Picking.RAREST_FIRST, List.of(seed));
 * }
 * swarm.runUntilAllComplete(Duration.ofHours(1));
 * }</pre>
 */
public final class SwarmSimulation {
  /** The port every simulated peer listens on. */
  public static final int PORT = 6881;

  /** Simulated time a peer may take to add its torrent (its seed's check included). */
  private static final long ADD_LIMIT_NANOS = 60_000_000_000L;

  /** How a leecher picks the pieces it asks for. */
  public enum Picking {
    /** Rarest first among its peers (the default of every client). */
    RAREST_FIRST,
    /** In order, first piece first, as a player streaming a video does. */
    SEQUENTIAL
  }

  private final SimulatedNetwork network;
  private final SimulatedPayload payload;
  private final List<SimulatedPeer> peers = new ArrayList<>();

  private SwarmSimulation(SimulatedNetwork network, SimulatedPayload payload) {
    this.network = network;
    this.payload = payload;
  }

  /**
   * Returns an empty swarm.
   *
   * @param seed the seed of every random choice: latencies, losses, and each engine's own choices
   * @param model the network
   * @param payload what the swarm shares
   * @return the swarm, at simulated time zero
   */
  public static SwarmSimulation create(long seed, NetworkModel model, SimulatedPayload payload) {
    checkNotNull(model, "model");
    checkNotNull(payload, "payload");
    SimulatedNetwork.Links links =
        new SimulatedNetwork.Links(
            model.minLatency().toNanos(),
            model.maxLatency().toNanos(),
            model.lossRate(),
            model.retransmitDelay().toNanos(),
            model.uplinkBytesPerSecond());
    return new SwarmSimulation(new SimulatedNetwork(seed, links), payload);
  }

  /**
   * Adds a seed at {@code ip}: it starts with the payload, checks it, and serves it.
   *
   * @param ip the seed's IP address, distinct from every other peer's (such as "10.0.0.1")
   * @param uploadBytesPerSecond its upload limit, 0 for none (its uplink still bounds it)
   * @return the seed
   * @throws IllegalArgumentException if {@code ip} is not an IP address or is taken
   * @throws IllegalStateException if the seed did not verify its data
   */
  public SimulatedPeer addSeed(String ip, long uploadBytesPerSecond) {
    checkArgument(uploadBytesPerSecond >= 0, "negative upload limit");
    InMemoryStorage storage = new InMemoryStorage();
    for (int i = 0; i < payload.files().size(); i++) {
      storage.write(i, 0, ByteBuffer.wrap(payload.files().get(i)));
    }
    SimulatedPeer seed =
        add(ip, storage, true, Picking.RAREST_FIRST, List.of(), uploadBytesPerSecond);
    // Its check runs in disk tasks at the current instant: it ends before anything else happens.
    if (!network.runUntil(seed::isComplete, 0)) {
      throw new IllegalStateException("the seed at " + ip + " did not verify its data");
    }
    return seed;
  }

  /**
   * Adds a leecher at {@code ip}, which starts empty and connects to {@code knownPeers}; it learns
   * of others as they connect to it.
   *
   * @param ip the leecher's IP address, distinct from every other peer's
   * @param picking how it picks pieces
   * @param knownPeers the peers it knows at the start
   * @return the leecher
   * @throws IllegalArgumentException if {@code ip} is not an IP address or is taken
   */
  public SimulatedPeer addLeecher(String ip, Picking picking, List<SimulatedPeer> knownPeers) {
    checkNotNull(picking, "picking");
    return add(ip, new InMemoryStorage(), false, picking, List.copyOf(knownPeers), 0);
  }

  private SimulatedPeer add(
      String ip,
      Storage storage,
      boolean seed,
      Picking picking,
      List<SimulatedPeer> known,
      long uploadLimit) {
    // A literal only: Guava's parser never looks a name up.
    InetAddress address = InetAddresses.forString(ip);
    SimulatedNetwork.Host host = network.host(new InetSocketAddress(address, PORT));
    // Peers over TCP alone: the simulated network has no UDP for the DHT or uTP.
    SessionConfig config =
        SessionConfig.builder().encryption(EncryptionPolicy.DISABLED).dht(false).utp(false).build();
    Engine engine = new Engine(config, host, host.disk(), network.split());
    AddTorrent.Builder request =
        AddTorrent.torrent(payload.torrent(), Path.of("simulated", ip))
            .storage((folder, torrent) -> storage)
            .sequential(picking == Picking.SEQUENTIAL)
            .rateLimits(0, uploadLimit);
    known.forEach(p -> request.peer(p.address()));
    CompletableFuture<TorrentRuntime> added = engine.add(request.build());
    if (!network.runUntil(added::isDone, ADD_LIMIT_NANOS)) {
      throw new IllegalStateException("the torrent was not added on " + ip);
    }
    SimulatedPeer peer = new SimulatedPeer(host.address, seed, added.join(), storage, payload);
    peer.runtime().completion().thenRun(() -> peer.completed(network.now()));
    peers.add(peer);
    return peer;
  }

  /**
   * Runs the swarm until every peer has every byte, or {@code limit} of simulated time passes, or
   * nothing is left to happen.
   *
   * @param limit the most simulated time to run
   * @return whether every peer has every byte
   * @throws AssertionError if an engine failed on an unexpected error
   */
  public boolean runUntilAllComplete(Duration limit) {
    return network.runUntil(
        () -> peers.stream().allMatch(SimulatedPeer::isComplete), limit.toNanos());
  }

  /**
   * Runs the swarm for {@code duration} of simulated time (to add peers later, say).
   *
   * @param duration how long
   */
  public void runFor(Duration duration) {
    network.runUntil(() -> false, duration.toNanos());
  }

  /**
   * Returns the simulated time since the swarm was created.
   *
   * @return the time
   */
  public Duration elapsed() {
    return Duration.ofNanos(network.now());
  }

  /**
   * Returns the peers, in the order they were added.
   *
   * @return the peers
   */
  public List<SimulatedPeer> peers() {
    return ImmutableList.copyOf(peers);
  }
}
