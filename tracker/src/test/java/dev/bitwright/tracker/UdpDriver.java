package dev.bitwright.tracker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Drives a {@link UdpTrackerConnection} over a real {@link DatagramChannel} on 127.0.0.1, as the
 * session's I/O thread would: sends what it has, feeds what comes back from the tracker, and
 * advances it at its deadlines. Time is {@code System.nanoTime()}.
 */
final class UdpDriver implements AutoCloseable {
  private final DatagramChannel channel;
  private final Selector selector;
  private final ByteBuffer buffer = ByteBuffer.allocate(65_536);

  UdpDriver() throws IOException {
    channel = DatagramChannel.open(StandardProtocolFamily.INET);
    channel.bind(new InetSocketAddress("127.0.0.1", 0));
    channel.configureBlocking(false);
    selector = Selector.open();
    channel.register(selector, SelectionKey.OP_READ);
  }

  static long now() {
    return System.nanoTime();
  }

  /** Runs {@code c} until {@code future} completes, at most {@code max}; returns its value. */
  <T> T await(UdpTrackerConnection c, CompletableFuture<T> future, Duration max)
      throws IOException, InterruptedException, ExecutionException {
    long end = now() + max.toNanos();
    while (!future.isDone()) {
      for (ByteBuffer packet; (packet = c.poll()) != null; ) {
        channel.send(packet, c.tracker());
      }
      long now = now();
      if (now - end >= 0) {
        throw new AssertionError("no answer from the UDP tracker within " + max);
      }
      long waitNanos = Math.min(end - now, TimeUnit.MILLISECONDS.toNanos(100));
      long deadline = c.nextDeadlineNanos();
      if (deadline != Long.MAX_VALUE) {
        waitNanos = Math.min(waitNanos, deadline - now);
      }
      selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos)));
      selector.selectedKeys().clear();
      while (true) {
        buffer.clear();
        SocketAddress from = channel.receive(buffer);
        if (from == null) {
          break;
        }
        buffer.flip();
        if (from.equals(c.tracker())) {
          c.receive(buffer, now());
        }
      }
      c.advance(now());
    }
    return future.get();
  }

  @Override
  public void close() throws IOException {
    try {
      selector.close();
    } finally {
      channel.close();
    }
  }
}
