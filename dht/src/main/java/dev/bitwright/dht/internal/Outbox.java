package dev.bitwright.dht.internal;

import dev.bitwright.dht.DhtDatagram;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Datagrams waiting for the host to {@code poll} them, at most {@value #CAPACITY}: a host that
 * stops polling cannot make the node grow without bound.
 */
public final class Outbox {
  /** The most datagrams kept waiting. */
  public static final int CAPACITY = 1024;

  private final ArrayDeque<DhtDatagram> queue = new ArrayDeque<>();
  private long sent;

  /** Returns whether another datagram fits. */
  public boolean hasRoom() {
    return queue.size() < CAPACITY;
  }

  /** Queues a datagram; returns false (and drops it) when the outbox is full. */
  public boolean offer(InetSocketAddress destination, byte[] payload) {
    if (!hasRoom()) {
      return false;
    }
    queue.addLast(new DhtDatagram(destination, ByteBuffer.wrap(payload)));
    return true;
  }

  /** Returns the next datagram, or null. */
  public DhtDatagram poll() {
    DhtDatagram next = queue.pollFirst();
    if (next != null) {
      sent++;
    }
    return next;
  }

  /** Returns how many datagrams the host has taken. */
  public long sent() {
    return sent;
  }
}
