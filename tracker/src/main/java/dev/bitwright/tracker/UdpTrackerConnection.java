package dev.bitwright.tracker;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.bitwright.metainfo.InfoHash;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The UDP tracker protocol (BEP 15, with the URL data of BEP 41) with one tracker, as a state
 * machine without sockets, in the vocabulary of the package's state machines: call {@link
 * #announce} or {@link #scrape}, send every datagram {@link #poll()} hands out to {@link
 * #tracker()}, feed replies to {@link #receive}, and call {@link #advance} at {@link
 * #nextDeadlineNanos()}. Time is the caller's {@code nowNanos}, from an injected ticker.
 *
 * <pre>{@code
 * CompletableFuture<AnnounceResponse> answer = connection.announce(request, ticker.read());
 * loop:
 *   for (ByteBuffer d; (d = connection.poll()) != null; ) send d to connection.tracker()
 *   wait for a datagram from the tracker or until connection.nextDeadlineNanos()
 *   connection.receive(datagram, ticker.read())   // when one came
 *   connection.advance(ticker.read())
 * }</pre>
 *
 * <p>A connection id is fetched when needed and reused for its lifetime (60 s); requests waiting
 * for it share one connect. Every packet carries a random transaction id, and a reply is only taken
 * for the request with that id and the right action. Unanswered packets are sent again after {@code
 * base * 2^n} (15 s, 30 s, 60 s ...); after {@link Timing#maxRetransmissions()} the request fails
 * with a {@link TrackerException}, as do error replies and malformed replies. Replies from a
 * tracker on an IPv6 address carry 18-byte peers.
 *
 * <p>Not thread-safe: the session's I/O thread drives it.
 */
public final class UdpTrackerConnection {
  /** The most info-hashes in one scrape (BEP 15). */
  public static final int MAX_SCRAPE_HASHES = 74;

  private static final long PROTOCOL_ID = 0x41727101980L;
  private static final int CONNECT = 0;
  private static final int ANNOUNCE = 1;
  private static final int SCRAPE = 2;
  private static final int ERROR = 3;

  /**
   * Retransmission and connection-id timing.
   *
   * @param baseTimeout the first retransmission delay (BEP 15: 15 s), doubled for each one after
   * @param maxRetransmissions how many times a packet is sent again before the request fails
   * @param connectionIdLifetime how long a connection id is used (BEP 15: one minute)
   */
  public record Timing(
      Duration baseTimeout, int maxRetransmissions, Duration connectionIdLifetime) {
    /**
     * The BEP's timing with 4 retransmissions: a tracker that never answers fails a request after
     * 15 + 30 + 60 + 120 + 240 = 465 s.
     */
    public static final Timing DEFAULT =
        new Timing(Duration.ofSeconds(15), 4, Duration.ofMinutes(1));

    /**
     * Shorter timing for a client with fall-back trackers, as libtorrent and Transmission time out
     * much sooner than the BEP: 3 s, then 6 and 12, so a tracker that never answers fails a request
     * after 21 s.
     */
    public static final Timing QUICK = new Timing(Duration.ofSeconds(3), 2, Duration.ofMinutes(1));

    /**
     * Creates timing; durations must be positive and retransmissions 0 to 8.
     *
     * @param baseTimeout the first retransmission delay, doubled for each one after; positive
     * @param maxRetransmissions how many times a packet is sent again before the request fails, 0
     *     to 8
     * @param connectionIdLifetime how long a connection id is used; positive
     */
    public Timing {
      checkArgument(!baseTimeout.isNegative() && !baseTimeout.isZero(), "baseTimeout");
      checkArgument(maxRetransmissions >= 0 && maxRetransmissions <= 8, "maxRetransmissions");
      checkArgument(
          !connectionIdLifetime.isNegative() && !connectionIdLifetime.isZero(),
          "connectionIdLifetime");
    }

    long timeoutNanos(int attempt) {
      return baseTimeout.toNanos() << attempt;
    }
  }

  private final InetSocketAddress tracker;
  private final byte[] urlData;
  private final RandomGenerator random;
  private final Timing timing;
  private final ArrayDeque<ByteBuffer> outgoing = new ArrayDeque<>();
  private final List<Request> requests = new ArrayList<>();
  private long connectionId;
  private long connectionIdExpiry;
  private boolean haveConnectionId;
  private @Nullable Attempt connect;

  /**
   * Transaction id, retransmission count and deadline of one packet in flight; the deadline is
   * {@code Long.MAX_VALUE} while the request waits for a connection id.
   */
  private static final class Attempt {
    int transactionId;
    int retransmissions;
    long deadlineNanos;
  }

  private final class Request {
    final int action;
    final byte[] body;
    final CompletableFuture<Object> result = new CompletableFuture<>();
    final int scrapeCount;
    @Nullable Attempt attempt;

    Request(int action, byte[] body, int scrapeCount) {
      this.action = action;
      this.body = body;
      this.scrapeCount = scrapeCount;
    }
  }

  /**
   * Creates the state machine for a tracker at {@code tracker}.
   *
   * @param tracker the tracker's resolved address
   * @param urlPathAndQuery the path and query of the {@code udp://} URL, sent as BEP 41 URL data
   *     (empty for none)
   * @param random the source of transaction ids
   * @param timing the retransmission and connection-id timing, such as {@link Timing#DEFAULT}
   */
  public UdpTrackerConnection(
      InetSocketAddress tracker, String urlPathAndQuery, RandomGenerator random, Timing timing) {
    checkArgument(!tracker.isUnresolved(), "resolve the tracker's address first");
    this.tracker = tracker;
    this.urlData = urlPathAndQuery.getBytes(StandardCharsets.UTF_8);
    this.random = checkNotNull(random);
    this.timing = checkNotNull(timing);
  }

  /** {@return where the datagrams go} */
  public InetSocketAddress tracker() {
    return tracker;
  }

  /**
   * Starts an announce; the future completes on the I/O thread when it is answered or fails.
   *
   * @param r the announce's fields
   * @param nowNanos the current time, in nanoseconds of the caller's monotonic clock
   * @return the tracker's answer; completed exceptionally with a {@link TrackerException} on an
   *     error reply, a malformed reply or too many retransmissions
   */
  public CompletableFuture<AnnounceResponse> announce(AnnounceRequest r, long nowNanos) {
    ByteBuffer body = ByteBuffer.allocate(82 + optionsLength());
    body.put(r.infoHash()).put(r.peerId());
    body.putLong(r.downloaded()).putLong(r.left()).putLong(r.uploaded());
    body.putInt(r.event().udpCode()).putInt(0).putInt(r.key()).putInt(r.numWant());
    body.putShort((short) r.port());
    putUrlData(body);
    Request request = new Request(ANNOUNCE, body.array(), 0);
    start(request, nowNanos);
    return request.result.thenApply(AnnounceResponse.class::cast);
  }

  /**
   * Starts a scrape of up to 74 torrents (20-byte info-hashes).
   *
   * @param infoHashes 1 to {@value #MAX_SCRAPE_HASHES} info-hashes of 20 bytes
   * @param nowNanos the current time, in nanoseconds of the caller's monotonic clock
   * @return the statistics by info-hash, completed on the I/O thread; completed exceptionally with
   *     a {@link TrackerException} on failure
   */
  public CompletableFuture<Map<InfoHash, ScrapeStats>> scrape(
      List<byte[]> infoHashes, long nowNanos) {
    checkArgument(
        !infoHashes.isEmpty() && infoHashes.size() <= MAX_SCRAPE_HASHES, "1 to 74 info-hashes");
    ByteBuffer body = ByteBuffer.allocate(20 * infoHashes.size());
    infoHashes.forEach(
        h -> {
          checkArgument(h.length == 20, "a 20-byte info-hash");
          body.put(h);
        });
    Request request = new Request(SCRAPE, body.array(), infoHashes.size());
    List<byte[]> hashes = List.copyOf(infoHashes);
    start(request, nowNanos);
    return request.result.thenApply(
        stats -> {
          Map<InfoHash, ScrapeStats> byHash = new LinkedHashMap<>();
          List<?> list = (List<?>) stats;
          for (int i = 0; i < list.size(); i++) {
            byHash.put(new InfoHash(hashes.get(i)), (ScrapeStats) list.get(i));
          }
          return byHash;
        });
  }

  private int optionsLength() {
    return urlData.length == 0 ? 0 : urlData.length + 2 * ((urlData.length + 254) / 255);
  }

  private void putUrlData(ByteBuffer body) {
    for (int from = 0; from < urlData.length; from += 255) {
      int n = Math.min(255, urlData.length - from);
      body.put((byte) 2).put((byte) n).put(urlData, from, n);
    }
  }

  private void start(Request request, long nowNanos) {
    requests.add(request);
    pump(nowNanos);
  }

  /**
   * {@return the next datagram to send to {@link #tracker()}, or null when there is none} Each is
   * handed out once.
   */
  public @Nullable ByteBuffer poll() {
    return outgoing.pollFirst();
  }

  /**
   * {@return when {@link #advance} must next be called (on the clock of {@code nowNanos}; sooner is
   * harmless), or {@code Long.MAX_VALUE} when nothing is in flight}
   */
  public long nextDeadlineNanos() {
    long next = Long.MAX_VALUE;
    if (connect != null) {
      next = connect.deadlineNanos;
    }
    for (Request r : requests) {
      // Long.MAX_VALUE marks a request waiting for the connect, whose deadline counts instead.
      if (r.attempt != null
          && r.attempt.deadlineNanos != Long.MAX_VALUE
          && (next == Long.MAX_VALUE || r.attempt.deadlineNanos - next < 0)) {
        next = r.attempt.deadlineNanos;
      }
    }
    return next;
  }

  /** {@return the number of requests not answered yet} */
  public int pendingRequests() {
    return requests.size();
  }

  /**
   * Retransmits what timed out and fails what timed out too often.
   *
   * @param nowNanos the current time, in nanoseconds of the caller's monotonic clock
   */
  public void advance(long nowNanos) {
    if (connect != null && nowNanos - connect.deadlineNanos >= 0) {
      if (connect.retransmissions >= timing.maxRetransmissions()) {
        connect = null;
        failAll(new TrackerException("UDP tracker " + tracker + " does not answer", false));
        return;
      }
      connect.retransmissions++;
      sendConnect(connect, nowNanos);
    }
    for (Iterator<Request> it = requests.iterator(); it.hasNext(); ) {
      Request r = it.next();
      if (r.attempt == null || nowNanos - r.attempt.deadlineNanos < 0) {
        continue;
      }
      if (r.attempt.retransmissions >= timing.maxRetransmissions()) {
        it.remove();
        r.result.completeExceptionally(
            new TrackerException("UDP tracker " + tracker + " does not answer", false));
      } else if (!connectionValid(nowNanos)) {
        r.attempt.retransmissions++;
        r.attempt.deadlineNanos = Long.MAX_VALUE;
        haveConnectionId = false;
      } else {
        r.attempt.retransmissions++;
        sendRequest(r, r.attempt, nowNanos);
      }
    }
    pump(nowNanos);
  }

  private boolean connectionValid(long nowNanos) {
    return haveConnectionId && nowNanos - connectionIdExpiry < 0;
  }

  /** Sends requests that can go now, or a connect if they need a connection id. */
  private void pump(long nowNanos) {
    boolean waiting = false;
    for (Request r : requests) {
      boolean unsent = r.attempt == null || r.attempt.deadlineNanos == Long.MAX_VALUE;
      if (!unsent) {
        continue;
      }
      if (connectionValid(nowNanos)) {
        Attempt attempt = r.attempt == null ? new Attempt() : r.attempt;
        r.attempt = attempt;
        sendRequest(r, attempt, nowNanos);
      } else {
        waiting = true;
      }
    }
    if (waiting && connect == null) {
      Attempt attempt = new Attempt();
      connect = attempt;
      sendConnect(attempt, nowNanos);
    }
  }

  private void sendConnect(Attempt connect, long nowNanos) {
    connect.transactionId = random.nextInt();
    connect.deadlineNanos = nowNanos + timing.timeoutNanos(connect.retransmissions);
    outgoing.add(
        ByteBuffer.allocate(16)
            .putLong(PROTOCOL_ID)
            .putInt(CONNECT)
            .putInt(connect.transactionId)
            .flip());
  }

  private void sendRequest(Request r, Attempt attempt, long nowNanos) {
    attempt.transactionId = random.nextInt();
    attempt.deadlineNanos = nowNanos + timing.timeoutNanos(attempt.retransmissions);
    ByteBuffer packet = ByteBuffer.allocate(16 + r.body.length);
    packet.putLong(connectionId).putInt(r.action).putInt(attempt.transactionId).put(r.body);
    outgoing.add(packet.flip());
  }

  /**
   * Takes a datagram from the tracker. A datagram that answers nothing in flight (an unknown
   * transaction id, too short to carry one) is ignored; a malformed answer or an error fails the
   * request it answers.
   *
   * @param datagram the datagram's bytes, from its position to its limit; not kept
   * @param nowNanos the time of arrival, in nanoseconds of the caller's monotonic clock
   */
  public void receive(ByteBuffer datagram, long nowNanos) {
    ByteBuffer in = datagram.slice();
    if (in.remaining() < 8) {
      return;
    }
    int action = in.getInt(0);
    int transactionId = in.getInt(4);
    if (connect != null && connect.transactionId == transactionId) {
      connect = null;
      if (action == CONNECT && in.remaining() >= 16) {
        connectionId = in.getLong(8);
        connectionIdExpiry = nowNanos + timing.connectionIdLifetime().toNanos();
        haveConnectionId = true;
        pump(nowNanos);
      } else {
        failAll(failure(action, in, "connect"));
      }
      return;
    }
    for (Iterator<Request> it = requests.iterator(); it.hasNext(); ) {
      Request r = it.next();
      if (r.attempt != null
          && r.attempt.deadlineNanos != Long.MAX_VALUE
          && r.attempt.transactionId == transactionId) {
        it.remove();
        complete(r, action, in);
        return;
      }
    }
  }

  private void complete(Request r, int action, ByteBuffer in) {
    if (action != r.action) {
      r.result.completeExceptionally(
          failure(action, in, r.action == ANNOUNCE ? "announce" : "scrape"));
    } else if (action == ANNOUNCE) {
      if (in.remaining() < 20) {
        r.result.completeExceptionally(new TrackerException("truncated UDP announce reply", false));
      } else {
        r.result.complete(announceResponse(in));
      }
    } else {
      if (in.remaining() < 8 + 12 * r.scrapeCount) {
        r.result.completeExceptionally(new TrackerException("truncated UDP scrape reply", false));
      } else {
        List<ScrapeStats> stats = new ArrayList<>(r.scrapeCount);
        for (int i = 0; i < r.scrapeCount; i++) {
          int at = 8 + 12 * i;
          stats.add(
              new ScrapeStats(
                  Math.max(0, in.getInt(at)),
                  Math.max(0, in.getInt(at + 4)),
                  Math.max(0, in.getInt(at + 8))));
        }
        r.result.complete(stats);
      }
    }
  }

  private AnnounceResponse announceResponse(ByteBuffer in) {
    long interval = in.getInt(8) & 0xffffffffL;
    int leechers = in.getInt(12);
    int seeders = in.getInt(16);
    int ipLength = tracker.getAddress() instanceof Inet6Address ? 16 : 4;
    List<InetSocketAddress> peers = HttpTracker.compactPeers(in.position(20), ipLength);
    Duration every = interval == 0 ? HttpTracker.DEFAULT_INTERVAL : Duration.ofSeconds(interval);
    return new AnnounceResponse(
        every.compareTo(HttpTracker.SHORTEST_INTERVAL) < 0 ? HttpTracker.SHORTEST_INTERVAL : every,
        Optional.empty(),
        seeders < 0 ? OptionalInt.empty() : OptionalInt.of(seeders),
        leechers < 0 ? OptionalInt.empty() : OptionalInt.of(leechers),
        peers,
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  private static TrackerException failure(int action, ByteBuffer in, String what) {
    if (action == ERROR) {
      byte[] text = new byte[Math.min(in.remaining() - 8, 1024)];
      in.get(8, text);
      return new TrackerException(
          "tracker error: " + new String(text, StandardCharsets.UTF_8).strip(), true);
    }
    return new TrackerException("unexpected UDP reply (action " + action + ") to a " + what, false);
  }

  private void failAll(TrackerException e) {
    // Nothing is in flight any more: datagrams not yet sent would ask for what failed.
    outgoing.clear();
    List<Request> failed = new ArrayList<>(requests);
    requests.clear();
    failed.forEach(r -> r.result.completeExceptionally(e));
  }

  /**
   * The tracker's host said nothing listens there (ICMP port unreachable on a connected socket):
   * every request in flight fails at once instead of after its retransmissions.
   */
  public void unreachable() {
    connect = null;
    failAll(new TrackerException("port unreachable: no tracker listens at " + tracker, false));
  }

  /** Fails every request in flight (the torrent stopped or the session closes). */
  public void close() {
    connect = null;
    failAll(new TrackerException("closed", false));
  }
}
