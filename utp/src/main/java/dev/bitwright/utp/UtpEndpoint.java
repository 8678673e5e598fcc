package dev.bitwright.utp;

import com.google.common.base.Preconditions;
import dev.bitwright.utp.internal.Packet;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The uTP connections of one UDP socket, without the socket: the owner passes in each datagram for
 * which {@link #looksLikeUtp} holds ({@link #receive}), sends every datagram {@link #poll} gives
 * until it gives none — after each call into the endpoint or one of its sockets — and calls {@link
 * #advance} when {@link #nextDeadlineNanos} comes. Datagrams are routed by connection id and the
 * sender's address; a SYN from an unknown peer is answered, and once the peer's next packet proves
 * its address, the connection is offered to the {@link Acceptor}. Half-open connections are capped
 * (a quarter of {@link UtpConfig#maxConnections}) and given up after a few seconds.
 *
 * <p>Nothing here allocates per packet once connections are warm: packets are decoded in place and
 * encoded straight into the owner's buffer. One thread only.
 */
public final class UtpEndpoint {
  /** Decides whether to take an incoming connection. */
  public interface Acceptor {
    /**
     * A peer whose SYN we answered proved its address (its next packet acknowledged our random
     * first sequence number): returns the new socket's listener, which hears {@code onConnected} at
     * once, or null to refuse it (a RESET answers).
     *
     * @param remote the peer's address
     * @return the new socket's listener, or null to refuse the connection
     */
    UtpSocket.@Nullable Listener accept(InetSocketAddress remote);
  }

  private static final int MAX_PENDING_RESETS = 64;

  private final UtpConfig config;
  private final RandomGenerator random;
  private final Acceptor acceptor;
  private final Packet packet = new Packet();
  private final @Nullable UtpSocket[] byRecvId = new UtpSocket[1 << 16];
  private final List<UtpSocket> sockets = new ArrayList<>();
  private final ArrayDeque<UtpSocket> output = new ArrayDeque<>();
  private final ArrayDeque<PendingReset> resets = new ArrayDeque<>();
  private long now;
  private long datagramsReceived;
  private long datagramsSent;
  private long malformed;
  private long resetsSent;
  private long refused;
  private long strays;
  private int halfOpen;

  private UtpEndpoint(UtpConfig config, RandomGenerator random, Acceptor acceptor) {
    this.config = config;
    this.random = random;
    this.acceptor = acceptor;
  }

  /**
   * Creates an endpoint.
   *
   * @param config the endpoint's settings
   * @param random where connection ids and first sequence numbers come from (a {@code SecureRandom}
   *     on a real network, so that they cannot be guessed)
   * @param acceptor decides on incoming connections
   * @param nowNanos the current time
   * @return an endpoint with no connection
   */
  public static UtpEndpoint create(
      UtpConfig config, RandomGenerator random, Acceptor acceptor, long nowNanos) {
    UtpEndpoint endpoint =
        new UtpEndpoint(
            Preconditions.checkNotNull(config, "config"),
            Preconditions.checkNotNull(random, "random"),
            Preconditions.checkNotNull(acceptor, "acceptor"));
    endpoint.now = nowNanos;
    return endpoint;
  }

  /**
   * {@return whether {@code datagram}'s remaining bytes start like a uTP packet}
   *
   * @param datagram a received datagram, in read mode; its position does not move
   */
  public static boolean looksLikeUtp(ByteBuffer datagram) {
    return Packet.looksLikeUtp(datagram);
  }

  /**
   * Opens a connection to {@code remote}: a SYN waits in {@link #poll}, and {@code listener} hears
   * {@code onConnected} or {@code onClosed}.
   *
   * @param remote the peer's resolved address
   * @param listener hears the new socket's events
   * @param nowNanos the current time
   * @return the new socket, connecting
   * @throws IOException if {@link UtpConfig#maxConnections} are open
   */
  public UtpSocket connect(InetSocketAddress remote, UtpSocket.Listener listener, long nowNanos)
      throws IOException {
    Preconditions.checkNotNull(listener, "listener");
    now = nowNanos;
    if (sockets.size() >= config.maxConnections()) {
      throw new IOException("too many uTP connections: " + sockets.size());
    }
    int recvId;
    do {
      recvId = random.nextInt(1 << 16);
    } while (find(remote, recvId) != null);
    UtpSocket socket =
        new UtpSocket(
            this,
            config,
            remote,
            recvId,
            (recvId + 1) & 0xFFFF,
            true,
            random.nextInt(1 << 16),
            listener);
    add(socket);
    socket.sendSyn(nowNanos);
    return socket;
  }

  /**
   * Handles one datagram from {@code source} ({@code datagram}'s remaining bytes; its position is
   * left alone and it is not kept). A malformed one, or one for no known connection, is dropped and
   * counted; a refused SYN is answered with a RESET.
   *
   * @param source the address the datagram came from
   * @param datagram the datagram, in read mode
   * @param nowNanos the time of arrival
   */
  public void receive(InetSocketAddress source, ByteBuffer datagram, long nowNanos) {
    now = nowNanos;
    datagramsReceived++;
    try {
      packet.decode(datagram);
    } catch (UtpException e) {
      malformed++;
      return;
    }
    if (packet.type() == Packet.ST_SYN) {
      UtpSocket known = find(source, (packet.connectionId() + 1) & 0xFFFF);
      if (known != null) {
        known.onPacket(packet, datagram, nowNanos);
      } else {
        accept(source, nowNanos);
      }
      return;
    }
    UtpSocket socket = find(source, packet.connectionId());
    if (socket != null) {
      socket.onPacket(packet, datagram, nowNanos);
    } else {
      // As libtorrent: no RESET for strays, lest a spoofed source make us a reflector.
      strays++;
    }
  }

  private void accept(InetSocketAddress source, long nowNanos) {
    if (sockets.size() >= config.maxConnections() || halfOpen >= maxHalfOpen()) {
      refused++;
      queueReset(source, packet.connectionId(), packet.seq());
      return;
    }
    UtpSocket socket =
        new UtpSocket(
            this,
            config,
            source,
            (packet.connectionId() + 1) & 0xFFFF,
            packet.connectionId(),
            false,
            random.nextInt(1 << 16),
            null);
    socket.halfOpen = true;
    halfOpen++;
    add(socket);
    socket.acceptSyn(packet, nowNanos);
  }

  /** Half-open connections allowed at once: a quarter of the connections, at least 16. */
  private int maxHalfOpen() {
    return Math.max(16, config.maxConnections() / 4);
  }

  /**
   * A half-open socket's peer proved its address: returns the listener the acceptor gives it, or
   * null after answering a refusal with a RESET.
   */
  UtpSocket.@Nullable Listener admit(UtpSocket socket, int peerSeq) {
    socket.halfOpen = false;
    halfOpen--;
    UtpSocket.Listener listener = acceptor.accept(socket.remoteAddress());
    if (listener == null) {
      refused++;
      queueReset(socket.remoteAddress(), socket.sendId(), peerSeq);
    }
    return listener;
  }

  /**
   * Writes the next datagram to send into {@code out} (at its position, which advances; at most
   * {@link UtpConfig#packetBytes} plus a selective ack of up to 34 bytes) and returns where it
   * goes, or returns null when nothing waits.
   *
   * @param out the buffer to write the datagram into, in write mode, with room for a whole packet
   * @param nowNanos the current time
   * @return the destination of the datagram written, or null when nothing waits
   */
  public @Nullable InetSocketAddress poll(ByteBuffer out, long nowNanos) {
    now = nowNanos;
    PendingReset reset = resets.poll();
    if (reset != null) {
      Packet.encode(
          out,
          Packet.ST_RESET,
          reset.connectionId,
          (int) (nowNanos / 1000),
          0,
          0,
          random.nextInt(1 << 16),
          reset.ack,
          null,
          0);
      resetsSent++;
      datagramsSent++;
      return reset.target;
    }
    while (!output.isEmpty()) {
      UtpSocket socket = output.peek();
      if (socket.emit(out, nowNanos)) {
        datagramsSent++;
        // Round-robin: a socket with more to send goes behind the others.
        output.poll();
        output.add(socket);
        return socket.remoteAddress();
      }
      output.poll();
      socket.queuedForOutput = false;
    }
    return null;
  }

  /** {@return whether {@link #poll} has something to give} */
  public boolean hasOutput() {
    return !output.isEmpty() || !resets.isEmpty();
  }

  /**
   * Runs the timers that are due: retransmissions, window probes, the ends of closes.
   *
   * @param nowNanos the current time
   */
  public void advance(long nowNanos) {
    now = nowNanos;
    for (int i = sockets.size() - 1; i >= 0; i--) {
      if (i < sockets.size()) {
        UtpSocket socket = sockets.get(i);
        if (socket.deadline() <= nowNanos) {
          socket.onTimer(nowNanos);
        }
      }
    }
  }

  /** {@return when {@link #advance} next has work, or {@code Long.MAX_VALUE}} */
  public long nextDeadlineNanos() {
    long next = Long.MAX_VALUE;
    for (int i = 0; i < sockets.size(); i++) { // no iterator: called after every flush
      next = Math.min(next, sockets.get(i).deadline());
    }
    return next;
  }

  /** {@return how many connections are open (closing ones included)} */
  public int connections() {
    return sockets.size();
  }

  /** {@return the endpoint's counters} */
  public UtpStats stats() {
    return new UtpStats(
        datagramsReceived, datagramsSent, malformed, strays, resetsSent, refused, sockets.size());
  }

  /** Closes every connection at once, without waiting for acknowledgements. */
  public void closeAll() {
    for (UtpSocket socket : List.copyOf(sockets)) {
      socket.close();
      remove(socket);
    }
    output.clear();
  }

  UtpConfig config() {
    return config;
  }

  long now() {
    return now;
  }

  void wantOutput(UtpSocket socket) {
    if (!socket.queuedForOutput) {
      socket.queuedForOutput = true;
      output.add(socket);
    }
  }

  private void add(UtpSocket socket) {
    socket.nextSameId = byRecvId[socket.recvId()];
    byRecvId[socket.recvId()] = socket;
    sockets.add(socket);
  }

  void remove(UtpSocket socket) {
    if (socket.halfOpen) {
      socket.halfOpen = false;
      halfOpen--;
    }
    UtpSocket previous = null;
    for (UtpSocket s = byRecvId[socket.recvId()]; s != null; s = s.nextSameId) {
      if (s == socket) {
        if (previous == null) {
          byRecvId[socket.recvId()] = s.nextSameId;
        } else {
          previous.nextSameId = s.nextSameId;
        }
        sockets.remove(socket);
        return;
      }
      previous = s;
    }
  }

  private @Nullable UtpSocket find(InetSocketAddress source, int recvId) {
    for (UtpSocket s = byRecvId[recvId]; s != null; s = s.nextSameId) {
      if (s.remoteAddress().equals(source)) {
        return s;
      }
    }
    return null;
  }

  private void queueReset(InetSocketAddress target, int connectionId, int seq) {
    if (resets.size() < MAX_PENDING_RESETS) {
      resets.add(new PendingReset(target, connectionId, seq));
    }
  }

  private record PendingReset(InetSocketAddress target, int connectionId, int ack) {}
}
