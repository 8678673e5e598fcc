package dev.bitwright.dht.internal;

import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.dht.NodeId;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Our queries in flight, at most {@code capacity}. Each has a 2-byte transaction id unique among
 * them; a reply is taken only when its id matches and it comes from the address the query went to
 * (for a query to an unresolved bootstrap host, from any address with that port). An unanswered
 * query is sent again after the timeout, {@code retries} times, and then fails.
 */
public final class Transactions {
  /** One query in flight. */
  public static final class Pending {
    final int transactionId;
    final InetSocketAddress destination;
    final NodeId expectedId;
    final String method;
    final byte[] payload;
    final QueryCallback callback;
    long deadlineNanos;
    int retriesLeft;

    Pending(
        int transactionId,
        InetSocketAddress destination,
        NodeId expectedId,
        String method,
        byte[] payload,
        QueryCallback callback) {
      this.transactionId = transactionId;
      this.destination = destination;
      this.expectedId = expectedId;
      this.method = method;
      this.payload = payload;
      this.callback = callback;
    }

    /** Returns where the query went. */
    public InetSocketAddress destination() {
      return destination;
    }

    /** Returns the id the answer must carry, or null when the node's id is not known yet. */
    public NodeId expectedId() {
      return expectedId;
    }

    /** Returns the query's method. */
    public String method() {
      return method;
    }

    /** Returns what to call with the outcome. */
    public QueryCallback callback() {
      return callback;
    }
  }

  private final Map<Integer, Pending> pending = new HashMap<>();
  private final Map<InetSocketAddress, Integer> perDestination = new HashMap<>();
  private final Outbox outbox;
  private final RandomGenerator random;
  private final int capacity;
  private final long timeoutNanos;
  private final int retries;
  private int nextTransactionId;

  /** Creates an empty set of transactions that sends through {@code outbox}. */
  public Transactions(
      Outbox outbox, RandomGenerator random, int capacity, long timeoutNanos, int retries) {
    this.outbox = outbox;
    this.random = random;
    this.capacity = capacity;
    this.timeoutNanos = timeoutNanos;
    this.retries = retries;
    this.nextTransactionId = random.nextInt(1 << 16);
  }

  /** Returns whether another query may be sent now. */
  public boolean hasCapacity() {
    return pending.size() < Math.min(capacity, 1 << 15) && outbox.hasRoom();
  }

  /** Returns the number of queries in flight. */
  public int size() {
    return pending.size();
  }

  /** Returns whether a query to {@code destination} is in flight. */
  public boolean isQuerying(InetSocketAddress destination) {
    return perDestination.containsKey(destination);
  }

  /**
   * Sends a query, unless there is no capacity.
   *
   * @param arguments the {@code a} dictionary, with our id
   * @param expectedId the id the answer must carry, or null if unknown
   * @return whether the query was sent
   */
  public boolean send(
      InetSocketAddress destination,
      NodeId expectedId,
      String method,
      BencodeDictionary arguments,
      boolean readOnly,
      byte[] version,
      QueryCallback callback,
      long nowNanos) {
    if (!hasCapacity()) {
      return false;
    }
    int id = freeTransactionId();
    byte[] tid = {(byte) (id >>> 8), (byte) id};
    byte[] payload = KrpcCodec.query(tid, method, arguments, readOnly, version);
    Pending p = new Pending(id, destination, expectedId, method, payload, callback);
    p.deadlineNanos = nowNanos + timeoutNanos;
    p.retriesLeft = retries;
    pending.put(id, p);
    perDestination.merge(destination, 1, Integer::sum);
    outbox.offer(destination, payload);
    return true;
  }

  private int freeTransactionId() {
    while (pending.containsKey(nextTransactionId)) {
      nextTransactionId = (nextTransactionId + 1) & 0xffff;
    }
    int id = nextTransactionId;
    // A random stride makes the next id hard to guess for an off-path spoofer.
    nextTransactionId = (nextTransactionId + 1 + random.nextInt(64)) & 0xffff;
    return id;
  }

  /**
   * Takes the query that a reply with {@code transactionId} from {@code source} answers, or returns
   * null when there is none.
   */
  public Pending match(byte[] transactionId, InetSocketAddress source) {
    if (transactionId.length != 2) {
      return null;
    }
    int id = ((transactionId[0] & 0xff) << 8) | (transactionId[1] & 0xff);
    Pending p = pending.get(id);
    if (p == null || !sentTo(p.destination, source)) {
      return null;
    }
    remove(p);
    return p;
  }

  private static boolean sentTo(InetSocketAddress destination, InetSocketAddress source) {
    return destination.isUnresolved()
        ? destination.getPort() == source.getPort()
        : destination.equals(source);
  }

  private void remove(Pending p) {
    pending.remove(p.transactionId);
    perDestination.computeIfPresent(p.destination, (d, n) -> n == 1 ? null : n - 1);
  }

  /**
   * Resends or fails the queries whose deadline has passed (for the engine's {@code advance});
   * returns those that failed.
   */
  public List<Pending> expire(long nowNanos) {
    List<Pending> failed = new ArrayList<>();
    Iterator<Pending> it = pending.values().iterator();
    while (it.hasNext()) {
      Pending p = it.next();
      if (nowNanos - p.deadlineNanos < 0) {
        continue;
      }
      if (p.retriesLeft > 0 && outbox.offer(p.destination, p.payload)) {
        p.retriesLeft--;
        p.deadlineNanos = nowNanos + timeoutNanos;
      } else {
        failed.add(p);
      }
    }
    failed.forEach(this::remove);
    return failed;
  }

  /** Returns the earliest deadline, or {@code Long.MAX_VALUE} when nothing is in flight. */
  public long nextDeadlineNanos() {
    long next = Long.MAX_VALUE;
    for (Pending p : pending.values()) {
      if (next == Long.MAX_VALUE || p.deadlineNanos - next < 0) {
        next = p.deadlineNanos;
      }
    }
    return next;
  }
}
