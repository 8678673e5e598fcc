package dev.bitwright.dht;

import static com.google.common.base.Preconditions.checkNotNull;

import dev.bitwright.dht.internal.DhtEngine;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * A Mainline DHT node (BEP 5, with BEP 32, 42, 43 and 51) as a state machine without sockets,
 * threads or clocks. The host owns one UDP socket and drives the node:
 *
 * <pre>{@code
 * DhtNode node = DhtNode.create(config, ticker.read());
 * node.start(ticker.read());
 * loop:
 *   for (DhtDatagram d; (d = node.poll()) != null; ) send d.payload() to d.destination()
 *   wait for a datagram or until node.nextDeadlineNanos()
 *   node.receive(source, datagram, ticker.read())   // when one came
 *   node.advance(ticker.read())
 * }</pre>
 *
 * <p><b>Behaviour.</b> Routing tables have buckets of 8 nodes and split only the bucket holding our
 * own id; nodes enter them only by answering one of our queries. Lookups keep α queries in flight
 * ({@link DhtConfig#lookupParallelism()}, default 3) and converge when the 8 closest nodes have
 * answered; an announce then goes to the 8 closest nodes that gave a token. Tokens are keyed hashes
 * of the requester's IP with a secret rotated every 5 minutes (the previous one still accepted).
 * Incoming announces are kept 30 minutes within the caps of {@link DhtConfig}.
 *
 * <p><b>Amplification.</b> Queries are rate limited per source IP, and a reply is never more than 8
 * times the size of its query nor 1,280 bytes (peer lists and samples are trimmed to fit). A
 * querier that could enter the routing table is also pinged (a ping is about the size of a minimal
 * query, sent at most twice), and such pings use at most half of {@link
 * DhtConfig#maxOutstandingQueries()}. So a source that forges its address can make us send its
 * victim at most about 10 times what it sends us, within the per-IP rate. Our external address is
 * learnt by voting over the {@code ip} field of responses, and unless the id was fixed, the id is
 * then re-derived per BEP 42. Every query carries the client version {@code v = "BW\0\1"}.
 *
 * <p>Not thread-safe: one thread calls every method, and listeners are called on it, from {@code
 * receive} and {@code advance}.
 */
public final class DhtNode {
  private final DhtEngine engine;

  private DhtNode(DhtEngine engine) {
    this.engine = engine;
  }

  /**
   * Creates a node. Its id is the configured one, else the saved one, else random. A saved state
   * that cannot be read is ignored (and logged), as if none had been given.
   *
   * @param config the node's settings
   * @param nowNanos the current time
   * @return a node that sends nothing until {@link #start} is called
   */
  public static DhtNode create(DhtConfig config, long nowNanos) {
    return new DhtNode(new DhtEngine(checkNotNull(config, "config"), nowNanos));
  }

  /**
   * Starts the node: restores the saved routing table and looks up our own id through it, or,
   * without one, through the bootstrap nodes.
   *
   * @param nowNanos the current time
   * @throws IllegalStateException if the node was started already
   */
  public void start(long nowNanos) {
    engine.start(nowNanos);
  }

  /**
   * Handles a datagram that arrived from {@code source}; its remaining bytes are read and the
   * buffer is not kept. Never throws for any content: a malformed, unsolicited, invalid or
   * rate-limited datagram is dropped (and counted in {@link DhtStats#messagesDropped()}), and a
   * malformed query is answered with a protocol error.
   *
   * @param source the address the datagram came from
   * @param datagram the datagram's bytes, from its position to its limit
   * @param nowNanos the time of arrival
   */
  public void receive(InetSocketAddress source, ByteBuffer datagram, long nowNanos) {
    engine.receive(checkNotNull(source, "source"), checkNotNull(datagram, "datagram"), nowNanos);
  }

  /** {@return the next datagram to send, or null when there is none} */
  public DhtDatagram poll() {
    return engine.poll();
  }

  /**
   * Handles timeouts, retries, pings, bucket refresh, token rotation and peer expiry.
   *
   * @param nowNanos the current time
   */
  public void advance(long nowNanos) {
    engine.advance(nowNanos);
  }

  /**
   * {@return when {@link #advance} must next be called, on the clock of {@code nowNanos} (sooner is
   * harmless)} The node's periodic work is always pending, so this is never {@code Long.MAX_VALUE}.
   */
  public long nextDeadlineNanos() {
    return engine.nextDeadlineNanos();
  }

  /**
   * Pings a node (for example one named in a peer's BEP 5 {@code port} message); it enters the
   * routing table if it answers.
   *
   * @param address the node's resolved UDP address
   * @param nowNanos the current time
   * @throws IllegalArgumentException if the address is unresolved
   */
  public void addNode(InetSocketAddress address, long nowNanos) {
    engine.addNode(checkNotNull(address, "address"), nowNanos);
  }

  /**
   * Looks up peers of {@code infoHash}.
   *
   * @param infoHash the torrent's DHT key, as {@link NodeId#of(dev.bitwright.metainfo.InfoHash)}
   *     gives it
   * @param listener receives the peers as nodes return them, then the end of the lookup
   * @param nowNanos the current time
   * @return the running lookup, to follow or cancel
   * @throws IllegalStateException if the node is not started
   */
  public DhtLookup getPeers(NodeId infoHash, PeerListener listener, long nowNanos) {
    return engine.getPeers(
        checkNotNull(infoHash, "infoHash"), checkNotNull(listener, "listener"), nowNanos);
  }

  /**
   * Looks up peers of {@code infoHash}, then announces us as a peer on {@code port} to the 8
   * closest nodes that gave a token. The listener's {@code lookupDone} comes after the announces
   * are answered or timed out.
   *
   * @param infoHash the torrent's DHT key, as {@link NodeId#of(dev.bitwright.metainfo.InfoHash)}
   *     gives it
   * @param port the TCP (or uTP) port we accept the torrent's peers on
   * @param impliedPort whether the receivers should take the port our datagrams come from instead
   *     of {@code port} (for peers behind a NAT, BEP 5 {@code implied_port})
   * @param listener receives the peers as nodes return them, then the end of the lookup and its
   *     announces
   * @param nowNanos the current time
   * @return the running lookup, to follow or cancel
   * @throws IllegalArgumentException if the port is not 1 to 65535
   * @throws IllegalStateException if the node is not started
   */
  public DhtLookup announce(
      NodeId infoHash, int port, boolean impliedPort, PeerListener listener, long nowNanos) {
    return engine.announce(
        checkNotNull(infoHash, "infoHash"),
        port,
        impliedPort,
        checkNotNull(listener, "listener"),
        nowNanos);
  }

  /**
   * Looks up the nodes closest to {@code target}.
   *
   * @param target the id to find the closest nodes to
   * @param listener receives the closest nodes once the lookup ends
   * @param nowNanos the current time
   * @return the running lookup, to follow or cancel
   * @throws IllegalStateException if the node is not started
   */
  public DhtLookup findNode(NodeId target, NodesListener listener, long nowNanos) {
    return engine.findNode(
        checkNotNull(target, "target"), checkNotNull(listener, "listener"), nowNanos);
  }

  /**
   * Traverses the DHT towards {@code target} with BEP 51 {@code sample_infohashes} queries,
   * reporting the info-hash samples of every node that answers. To survey the key space, an indexer
   * runs traversals to spread-out targets and honours each node's interval.
   *
   * @param target the point of the key space to traverse towards
   * @param listener receives each node's samples, then the end of the traversal
   * @param nowNanos the current time
   * @return the running traversal, to follow or cancel
   * @throws IllegalStateException if the node is not started
   */
  public DhtLookup sampleInfohashes(NodeId target, SampleListener listener, long nowNanos) {
    return engine.sampleInfohashes(
        checkNotNull(target, "target"), checkNotNull(listener, "listener"), nowNanos);
  }

  /**
   * {@return the node id and routing table, to give to {@link DhtConfig.Builder#savedState} at the
   * next start so that it skips the bootstrap nodes}
   */
  public byte[] saveState() {
    return engine.saveState();
  }

  /** {@return a snapshot of the node's state and counters} */
  public DhtStats stats() {
    return engine.stats();
  }

  /** {@return our external address once learnt from other nodes (IPv4 first)} */
  public Optional<InetAddress> externalAddress() {
    return engine.externalAddress();
  }

  /** {@return the node's current id (it changes once per BEP 42 unless configured)} */
  public NodeId id() {
    return engine.ownId();
  }
}
