/**
 * The Mainline DHT (BEP 5) as a node without sockets or threads.
 *
 * <p>{@link dev.bitwright.dht.DhtNode} is a state machine: the host feeds it received datagrams
 * ({@code receive}), sends what it hands out ({@code poll}), and calls {@code advance} at {@code
 * nextDeadlineNanos}. Time is the host's, in nanoseconds. The node keeps IPv4 and IPv6 routing
 * tables (BEP 32), answers queries, stores announced peers, runs iterative lookups ({@code
 * getPeers}, {@code announce}, {@code findNode}, and BEP 51 {@code sampleInfohashes} traversals),
 * chooses its id from its external address (BEP 42) and can run read-only (BEP 43). Configuration
 * is a {@link dev.bitwright.dht.DhtConfig}; ids and info-hash keys are {@link
 * dev.bitwright.dht.NodeId}s.
 */
package dev.bitwright.dht;
