/**
 * Peer wire protocol codecs: {@link dev.bitwright.wire.Handshake}, {@link
 * dev.bitwright.wire.PeerMessage} read by {@link dev.bitwright.wire.MessageDecoder}, written by
 * {@link dev.bitwright.wire.MessageEncoder} and handled by type through {@link
 * dev.bitwright.wire.PeerMessage.Handler}, the allowed fast set of BEP 6, and the extension
 * protocol. Malformed input from a peer raises {@link dev.bitwright.wire.WireException}.
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
 * <p>The peer wire protocol is a byte stream, not datagrams, and its classes relate to the
 * vocabulary so: {@link dev.bitwright.wire.MessageDecoder} and {@link
 * dev.bitwright.wire.MessageEncoder} are codecs without state over time. {@link
 * dev.bitwright.wire.MseHandshake} is a byte-stream machine without time: {@code receive(in)} takes
 * bytes, {@code takeOutput()} hands out every byte to write at once (a stream has no units), and
 * the host times a stalled handshake out. {@link dev.bitwright.wire.PexSender} (its {@code
 * nextMessage}, asked once a second per peer) and {@link dev.bitwright.wire.MetadataAssembler} are
 * asked by the host's own per-peer work and keep no output queue, so they have no {@code poll()}.
 *
 * <p>Null-marked (JSpecify): nothing in this package's API is null unless it is marked
 * {@code @Nullable}.
 */
@NullMarked
package dev.bitwright.wire;

import org.jspecify.annotations.NullMarked;
