package dev.bitwright.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The scheduler of a {@link UdpImpairmentRelay}: holds impaired datagrams until their release time
 * and then sends them, in order of release time and, among equal times, of scheduling. Its {@link
 * #run()} is the body of the relay's scheduler thread.
 */
final class DelayLine implements Runnable {
  /** The longest wait with nothing due, so that a stop is seen even if its signal were missed. */
  private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private record Pending(
      long releaseAt,
      long sequence,
      DatagramChannel channel,
      InetSocketAddress destination,
      byte[] data) {}

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final PriorityQueue<Pending> queue =
      new PriorityQueue<>(
          Comparator.comparingLong(Pending::releaseAt).thenComparingLong(Pending::sequence));
  private final AtomicLong forwarded = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private long sequence;
  private boolean stopped;

  /**
   * Sends {@code data} to {@code destination} through {@code channel} at {@code releaseAt} (on the
   * {@link System#nanoTime()} scale), or at once if that has passed. The array is not copied: the
   * caller must not change it.
   */
  void schedule(
      long releaseAt, DatagramChannel channel, InetSocketAddress destination, byte[] data) {
    lock.lock();
    try {
      queue.add(new Pending(releaseAt, sequence++, channel, destination, data));
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Makes {@link #run()} return soon; datagrams not yet released are never sent. */
  void stop() {
    lock.lock();
    try {
      stopped = true;
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Returns how many datagrams were sent. */
  long forwarded() {
    return forwarded.get();
  }

  /** Returns how many datagrams were due but could not be sent. */
  long failed() {
    return failed.get();
  }

  @Override
  public void run() {
    Pending next;
    while ((next = awaitDue()) != null) {
      try {
        // A non-blocking channel: a full send buffer drops the datagram, as a real host would.
        if (next.channel().send(ByteBuffer.wrap(next.data()), next.destination()) > 0) {
          forwarded.incrementAndGet();
        } else {
          failed.incrementAndGet();
        }
      } catch (ClosedChannelException e) {
        // The relay is closing: its sockets close only then.
        return;
      } catch (IOException e) {
        failed.incrementAndGet();
      }
    }
  }

  /** Returns the next datagram once it is due, or null once stopped. */
  private @Nullable Pending awaitDue() {
    lock.lock();
    try {
      while (!stopped) {
        Pending head = queue.peek();
        long wait = head == null ? IDLE_WAIT_NANOS : head.releaseAt() - System.nanoTime();
        if (wait <= 0) {
          return queue.poll();
        }
        changed.awaitNanos(Math.min(wait, IDLE_WAIT_NANOS));
      }
      return null;
    } catch (InterruptedException e) {
      // Only the relay runs this thread and it never interrupts it; stop rather than spin.
      return null;
    } finally {
      lock.unlock();
    }
  }
}
