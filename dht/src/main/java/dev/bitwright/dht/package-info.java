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
 *
 * <p><b>Sans-I/O state machines.</b> The state machines of Bitwright's protocol modules share one
 * vocabulary. What arrived goes in through {@code receive(..., long nowNanos)}; the passing of time
 * through {@code advance(long nowNanos)}. {@code poll()} returns the next unit to send, or {@code
 * null} when there is none, like {@link java.util.Queue#poll()} (no list or {@code Optional} is
 * allocated). {@code nextDeadlineNanos()} returns the time at which {@code advance} must next be
 * called (sooner is harmless), or {@link java.lang.Long#MAX_VALUE} when nothing is pending. Every
 * {@code nowNanos} and deadline is on the caller's injected clock (a Guava {@code Ticker}, in
 * nanoseconds); the machines read no clock, do no I/O, start no threads, and are driven by one
 * thread.
 *
 * <p>Here {@link dev.bitwright.dht.DhtNode} is such a machine; its output units are {@link
 * dev.bitwright.dht.DhtDatagram}s, and its periodic work keeps its next deadline finite.
 *
 * <p>Null-marked (JSpecify): nothing in this package's API is null unless it is marked
 * {@code @Nullable}.
 */
@NullMarked
package dev.bitwright.dht;

import org.jspecify.annotations.NullMarked;
