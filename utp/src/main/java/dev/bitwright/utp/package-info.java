/**
 * uTP (BEP 29) without sockets or threads. A {@link dev.bitwright.utp.UtpEndpoint} stands for one
 * UDP socket: its owner hands it every uTP datagram that arrives ({@code receive}), sends what it
 * {@code poll}s, and calls {@code advance} at the time {@code nextDeadlineNanos} names. Each
 * connection is a {@link dev.bitwright.utp.UtpSocket}, a byte stream with a send and a receive
 * buffer, reporting to its {@link dev.bitwright.utp.UtpSocket.Listener}.
 *
 * <p>The same vocabulary as the DHT node's: datagrams and "now" in, datagrams and "wake me at" out;
 * time is whatever monotonic nanosecond clock the owner injects. Malformed datagrams are dropped
 * and counted; the decoder's one exception, {@link dev.bitwright.utp.UtpException}, never escapes
 * the endpoint. Not thread-safe: one thread (the owner's loop) makes every call.
 *
 * <p>Null-marked (JSpecify): nothing in this package's API is null unless it is marked
 * {@code @Nullable}.
 */
@NullMarked
package dev.bitwright.utp;

import org.jspecify.annotations.NullMarked;
