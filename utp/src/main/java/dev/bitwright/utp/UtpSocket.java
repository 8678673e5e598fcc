package dev.bitwright.utp;

import com.google.common.base.Preconditions;
import dev.bitwright.utp.internal.Congestion;
import dev.bitwright.utp.internal.Packet;
import dev.bitwright.utp.internal.ReceiveBuffer;
import dev.bitwright.utp.internal.SendBuffer;
import dev.bitwright.utp.internal.Seq;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import org.jspecify.annotations.Nullable;

/**
 * One uTP connection: a reliable, ordered byte stream to a peer, made by {@link
 * UtpEndpoint#connect} or accepted by an endpoint. Writes go into a send buffer and leave as the
 * congestion and the peer's window allow; what arrives waits in a receive buffer, whose free space
 * is the window advertised, until {@link #read}. Not thread-safe: the endpoint's thread only.
 */
public final class UtpSocket {
  /**
   * What a socket reports, from within the endpoint's {@code receive}, {@code advance} or {@code
   * connect}. A listener may read, write and close from these calls.
   */
  public interface Listener {
    /**
     * The connection is open: the peer answered our SYN, or we accepted its SYN.
     *
     * @param socket the socket that connected
     */
    void onConnected(UtpSocket socket);

    /**
     * Bytes arrived in order and can be {@link #read}, or the peer ended its stream.
     *
     * @param socket the socket with bytes to read
     */
    void onReadable(UtpSocket socket);

    /**
     * After a write that did not take every byte, the send buffer has room again.
     *
     * @param socket the socket with room to write
     */
    void onWritable(UtpSocket socket);

    /**
     * The connection failed: a {@link ConnectException} or {@link SocketTimeoutException} when the
     * peer did not answer, an {@link IOException} when it reset the connection. Not called after
     * {@link #close}; the end of the peer's stream shows as {@link #read} returning -1.
     *
     * @param socket the socket that failed
     * @param reason why it failed
     */
    void onClosed(UtpSocket socket, IOException reason);
  }

  /** Where a connection is in its life. */
  public enum State {
    /** Our SYN is on its way. */
    SYN_SENT,
    /**
     * A peer's SYN was answered; its next packet, acknowledging our random first sequence number,
     * proves its address before the endpoint's acceptor is asked (so spoofed SYNs hold nothing but
     * a half-open slot for a few seconds).
     */
    SYN_RECEIVED,
    /** Open both ways. */
    CONNECTED,
    /** Closed by us: the rest of the send buffer and a FIN are on their way. */
    CLOSING,
    /** Gone. */
    CLOSED
  }

  private static final long NONE = Long.MAX_VALUE;

  private final UtpEndpoint endpoint;
  private final InetSocketAddress remote;
  private final int recvId;
  private final int sendId;
  private final boolean outgoing;
  private final int maxPayload;
  private final SendBuffer send;
  private final ReceiveBuffer receive;
  private final Congestion congestion;
  private final byte[] sack = new byte[Packet.MAX_SACK_BYTES];
  private @Nullable Listener listener;
  private State state;
  // A socket with the same receive id in the endpoint's table.
  @Nullable UtpSocket nextSameId;
  boolean queuedForOutput;
  // Counted among the endpoint's half-open connections.
  boolean halfOpen;
  private long peerWindow;
  private int replyMicros;
  private boolean needAck;
  private boolean synPending;
  private boolean wantWritable;
  private boolean finQueued;
  private int finSeq = -1;
  private long timeoutAt = NONE;
  private long lingerUntil = NONE;
  private int timeoutsInRow;
  private boolean heardSinceTimeout;
  private int duplicateAcks;
  private int recoverySeq;
  private final int firstSeq;
  private int newestAck;
  private boolean ackSeen;
  private boolean probe;
  private int advertisedWindow;
  private long bytesSent;
  private long bytesReceived;
  private long packetsResent;

  UtpSocket(
      UtpEndpoint endpoint,
      UtpConfig config,
      InetSocketAddress remote,
      int recvId,
      int sendId,
      boolean outgoing,
      int firstSeq,
      @Nullable Listener listener) {
    this.endpoint = endpoint;
    this.remote = remote;
    this.recvId = recvId;
    this.sendId = sendId;
    this.outgoing = outgoing;
    this.listener = listener;
    this.maxPayload = config.packetBytes() - Packet.HEADER_BYTES;
    this.send = new SendBuffer(config.sendBufferBytes());
    this.receive = new ReceiveBuffer(config.receiveBufferBytes());
    this.congestion =
        new Congestion(
            config.targetDelay().toNanos() / 1000,
            config.packetBytes(),
            config.sendBufferBytes(),
            config.initialTimeout().toNanos(),
            config.minTimeout().toNanos());
    this.send.start(firstSeq);
    this.recoverySeq = firstSeq;
    this.peerWindow = config.packetBytes();
    this.firstSeq = firstSeq;
    this.state = outgoing ? State.SYN_SENT : State.SYN_RECEIVED;
  }

  /** {@return the peer's address} */
  public InetSocketAddress remoteAddress() {
    return remote;
  }

  /** {@return whether we opened the connection} */
  public boolean outgoing() {
    return outgoing;
  }

  /** {@return the connection's state} */
  public State state() {
    return state;
  }

  /**
   * Sets who hears this socket's events from now on.
   *
   * @param newListener the listener that hears the next events
   */
  public void listener(Listener newListener) {
    this.listener = Preconditions.checkNotNull(newListener, "listener");
  }

  /** Returns the listener; an accepted socket has one from its endpoint's accept call on. */
  private Listener listener() {
    return Preconditions.checkNotNull(listener, "a uTP socket without a listener got an event");
  }

  /**
   * Takes what fits of {@code src} into the send buffer (its position advances) and returns how
   * many bytes; when that is not all, {@link Listener#onWritable} follows once there is room.
   *
   * @param src the bytes to send, in read mode
   * @return the number of bytes taken, 0 when the send buffer is full
   * @throws ClosedChannelException if the socket was closed
   * @throws IllegalStateException if the connection is not yet established
   */
  public int write(ByteBuffer src) throws ClosedChannelException {
    if (state == State.CLOSED || state == State.CLOSING) {
      throw new ClosedChannelException();
    }
    Preconditions.checkState(state == State.CONNECTED, "not connected yet");
    int n = send.write(src);
    if (src.hasRemaining()) {
      wantWritable = true;
    }
    if (n > 0) {
      endpoint.wantOutput(this);
    }
    return n;
  }

  /**
   * Asks for {@link Listener#onWritable} once the send buffer has room after acknowledgements, as
   * after a write that did not take everything.
   */
  public void wantWritable() {
    wantWritable = true;
  }

  /** {@return how many more bytes {@link #write} takes now} */
  public int writable() {
    return state == State.CONNECTED ? send.free() : 0;
  }

  /**
   * Moves received bytes into {@code dst}; returns how many (0 when none wait), or -1 once the peer
   * ended its stream (its FIN) and every byte before it was read.
   *
   * @param dst the buffer to read into, in write mode
   * @return the number of bytes read, or -1 at the end of the peer's stream
   */
  public int read(ByteBuffer dst) {
    if (receive.eof() && receive.readable() == 0) {
      return -1;
    }
    int n = receive.read(dst);
    if (n > 0 && advertisedWindow < maxPayload && receive.window() >= maxPayload) {
      // The peer saw a window too small for a packet; tell it there is room.
      needAck = true;
      endpoint.wantOutput(this);
    }
    return n;
  }

  /** {@return how many received bytes wait to be read} */
  public int readable() {
    return receive.readable();
  }

  /**
   * Closes the connection: the bytes written still go, then a FIN, acknowledged or given up after
   * the endpoint's {@link UtpConfig#finTimeout}. No listener call follows. Idempotent.
   */
  public void close() {
    if (state == State.CLOSED || state == State.CLOSING) {
      return;
    }
    if (state == State.SYN_SENT || state == State.SYN_RECEIVED) {
      finish();
      return;
    }
    state = State.CLOSING;
    finQueued = true;
    lingerUntil = endpoint.now() + endpoint.config().finTimeout().toNanos();
    endpoint.wantOutput(this);
  }

  /** {@return the congestion window in bytes} */
  public int congestionWindow() {
    return congestion.window();
  }

  /** {@return the smoothed round-trip time in nanoseconds, or -1 before the first sample} */
  public long smoothedRttNanos() {
    return congestion.smoothedRttNanos();
  }

  /** {@return the last queueing delay the peer's timestamps showed, in microseconds} */
  public long queueingDelayMicros() {
    return congestion.queueingDelayMicros();
  }

  /** {@return the payload bytes sent, resends included} */
  public long bytesSent() {
    return bytesSent;
  }

  /** {@return the payload bytes received in order} */
  public long bytesReceived() {
    return bytesReceived;
  }

  /** {@return how many packets were sent again} */
  public long packetsResent() {
    return packetsResent;
  }

  int recvId() {
    return recvId;
  }

  int sendId() {
    return sendId;
  }

  /** Our SYN: the first packet, taking the first sequence number. */
  void sendSyn(long now) {
    send.add(Packet.ST_SYN, 0, now);
    synPending = true;
    endpoint.wantOutput(this);
  }

  /**
   * An incoming SYN created this socket: the peer's stream starts after its sequence number. The
   * socket stays half-open until the peer's next packet, or gives up silently.
   */
  void acceptSyn(Packet syn, long now) {
    receive.start(syn.seq());
    replyMicros = micros(now) - syn.timestampMicros();
    peerWindow = syn.windowSize();
    synPending = true;
    UtpConfig config = endpoint.config();
    lingerUntil = now + config.initialTimeout().toNanos() * (config.synResends() + 2);
    endpoint.wantOutput(this);
  }

  /** A packet for this connection arrived. */
  void onPacket(Packet p, ByteBuffer datagram, long now) {
    if (state == State.CLOSED) {
      return;
    }
    replyMicros = micros(now) - p.timestampMicros();
    if (p.type() == Packet.ST_RESET) {
      if (state == State.SYN_RECEIVED) {
        finish();
      } else {
        fail(new IOException("connection reset by peer"));
      }
      return;
    }
    boolean connectedNow = false;
    if (state == State.SYN_SENT) {
      if (p.type() != Packet.ST_STATE || p.ack() != send.oldestSeq()) {
        return;
      }
      state = State.CONNECTED;
      connectedNow = true;
      // The answer carries the sequence number of the peer's first data packet (a STATE takes
      // none), so the stream starts after the one before.
      receive.start(Seq.add(p.seq(), -1));
    } else if (p.type() == Packet.ST_SYN) {
      synPending = true; // our answer to its SYN was lost: the same answer again
      endpoint.wantOutput(this);
      return;
    } else if (state == State.SYN_RECEIVED) {
      if (p.ack() != Seq.add(firstSeq, -1)) {
        return;
      }
      Listener accepted = endpoint.admit(this, p.seq());
      if (accepted == null) {
        finish();
        return;
      }
      listener = accepted;
      state = State.CONNECTED;
      lingerUntil = NONE;
      connectedNow = true;
    }
    heardSinceTimeout = true;
    updatePeerWindow(p);
    onAck(p, datagram, now);
    if (connectedNow) {
      listener().onConnected(this);
    }
    if (p.type() == Packet.ST_FIN || (p.type() == Packet.ST_DATA && p.payloadLength() > 0)) {
      onData(p, datagram);
    }
    if (state == State.CLOSING && finSeq >= 0 && !send.inFlight(finSeq) && send.unsent() == 0) {
      finish();
    }
  }

  /**
   * Takes the peer's window from packets no older than the newest seen (a reordered old ack would
   * reopen a window the peer has closed since); a window that grew wakes a sender held by it.
   */
  private void updatePeerWindow(Packet p) {
    if (ackSeen && Seq.before(p.ack(), newestAck)) {
      return;
    }
    ackSeen = true;
    newestAck = p.ack();
    boolean wasClosed = windowClosed();
    long before = peerWindow;
    peerWindow = p.windowSize();
    if (wasClosed && !windowClosed()) {
      // What went out while the window was closed (probes) the peer had no room for: again, now.
      loseFlight();
    }
    if (peerWindow > before && (send.unsent() > 0 || send.hasLost())) {
      endpoint.wantOutput(this);
    }
  }

  private void onData(Packet p, ByteBuffer datagram) {
    needAck = true;
    endpoint.wantOutput(this);
    int before = receive.readable();
    ReceiveBuffer.Outcome outcome =
        receive.offer(
            p.seq(),
            p.type() == Packet.ST_FIN,
            datagram,
            p.payloadOffset(),
            p.type() == Packet.ST_FIN ? 0 : p.payloadLength());
    if (outcome != ReceiveBuffer.Outcome.IN_ORDER) {
      return;
    }
    bytesReceived += receive.readable() - before;
    if (state == State.CONNECTED && (receive.readable() > 0 || receive.eof())) {
      listener().onReadable(this);
    }
  }

  private void onAck(Packet p, ByteBuffer datagram, long now) {
    int ack = p.ack();
    int inFlightBefore = send.bytesInFlight();
    int acked = 0;
    long rtt = -1;
    boolean progress = send.inFlight(ack);
    if (progress) {
      for (int seq = send.oldestSeq(); seq != Seq.add(ack, 1); seq = Seq.add(seq, 1)) {
        if (send.transmissions(seq) == 1 && !send.sacked(seq)) {
          rtt = now - send.sentAt(seq);
        }
      }
      acked += send.ackTo(ack);
    }
    if (p.hasSelectiveAck()) {
      int bits = p.selectiveAckBits();
      for (int i = 0; i < bits; i++) {
        int seq = Seq.add(ack, 2 + i);
        if (p.selectivelyAcked(datagram, i) && send.inFlight(seq) && !send.sacked(seq)) {
          if (send.transmissions(seq) == 1) {
            rtt = now - send.sentAt(seq);
          }
          acked += send.markSacked(seq);
        }
      }
      detectSackLoss(now);
    }
    if (progress) {
      if (Seq.before(recoverySeq, send.oldestSeq())) {
        // Kept within reach of the flight, so that it never wraps round ahead of new packets.
        recoverySeq = send.oldestSeq();
      }
      duplicateAcks = 0;
      timeoutsInRow = 0;
      timeoutAt = send.packetsInFlight() > 0 ? now + congestion.timeoutNanos() : NONE;
    } else if (p.type() == Packet.ST_STATE
        && send.packetsInFlight() > 0
        && ack == Seq.add(send.oldestSeq(), -1)
        && ++duplicateAcks == 3) {
      lose(send.oldestSeq());
    }
    if (rtt >= 0) {
      congestion.onRttSample(rtt);
    }
    congestion.onAck(acked, p.timestampDifferenceMicros(), now, inFlightBefore);
    if (acked > 0 || progress) {
      endpoint.wantOutput(this);
      if (wantWritable && state == State.CONNECTED && send.free() > 0) {
        wantWritable = false;
        listener().onWritable(this);
      }
    }
  }

  /** A packet not acknowledged while three sent after it were is taken for lost. */
  private void detectSackLoss(long now) {
    int sackedAbove = 0;
    long thirdSentAt = 0;
    int seq = Seq.add(send.nextSeq(), -1);
    for (int n = send.packetsInFlight(); n > 0; n--, seq = Seq.add(seq, -1)) {
      if (send.sacked(seq)) {
        if (++sackedAbove == 3) {
          thirdSentAt = send.sentAt(seq);
        }
      } else if (sackedAbove >= 3 && !send.lost(seq) && send.sentAt(seq) <= thirdSentAt) {
        lose(seq);
      }
    }
  }

  private void lose(int seq) {
    send.markLost(seq);
    if (!Seq.before(seq, recoverySeq)) {
      congestion.onLoss();
      recoverySeq = send.nextSeq();
    }
    endpoint.wantOutput(this);
  }

  /** Returns when {@link #onTimer} wants to run, or {@code Long.MAX_VALUE}. */
  long deadline() {
    return Math.min(timeoutAt, lingerUntil);
  }

  /**
   * The deadline came: a timeout, a window probe, the end of the wait for our FIN's ack, or of a
   * half-open connection's wait for the peer.
   */
  void onTimer(long now) {
    if (now >= lingerUntil) {
      finish();
      return;
    }
    if (now < timeoutAt) {
      return;
    }
    if (send.packetsInFlight() == 0 && !send.hasLost()) {
      // Nothing in flight and the peer's window was closed: probe it with one packet.
      probe = true;
      timeoutAt = NONE;
      endpoint.wantOutput(this);
      return;
    }
    int allowed =
        state == State.SYN_SENT ? endpoint.config().synResends() : endpoint.config().dataResends();
    if (heardSinceTimeout) {
      // A peer that still answers (its window closed, or our packets lost one way) is not gone.
      timeoutsInRow = 0;
      heardSinceTimeout = false;
    }
    if (++timeoutsInRow > allowed) {
      fail(
          state == State.SYN_SENT
              ? new ConnectException("uTP connect to " + remote + " timed out")
              : new SocketTimeoutException("uTP connection to " + remote + " timed out"));
      return;
    }
    if (!windowClosed()) {
      // (A probe into a closed window that went unanswered says the peer is slow to read, not
      // that the path is congested: the window stays, and the probe goes again.)
      congestion.onTimeout();
      recoverySeq = send.nextSeq();
    }
    loseFlight();
    timeoutAt = now + congestion.timeoutNanos();
    endpoint.wantOutput(this);
  }

  /** Returns whether the peer's window has no room for a full packet. */
  private boolean windowClosed() {
    return peerWindow < maxPayload + Packet.HEADER_BYTES;
  }

  /** Takes every packet in flight for lost, to be sent again. */
  private void loseFlight() {
    int seq = send.oldestSeq();
    for (int n = send.packetsInFlight(); n > 0; n--, seq = Seq.add(seq, 1)) {
      send.markLost(seq);
    }
  }

  /** Writes the next datagram this socket has to send into {@code out}; false if none. */
  boolean emit(ByteBuffer out, long now) {
    if (state == State.CLOSED) {
      return false;
    }
    if (synPending) {
      // Our SYN, or the STATE that answers the peer's (always naming our first sequence number,
      // even when repeated after data went out): before any data.
      synPending = false;
      writePacket(out, outgoing ? Packet.ST_SYN : Packet.ST_STATE, firstSeq, now);
      return true;
    }
    int lost = send.firstLost();
    if (lost >= 0
        && (lost == send.oldestSeq()
            || send.bytesInFlight() + send.length(lost) + Packet.HEADER_BYTES <= window())) {
      send.resent(lost, now);
      packetsResent++;
      writePacket(out, send.type(lost), lost, now);
      return true;
    }
    if (state == State.SYN_SENT || state == State.SYN_RECEIVED) {
      return false;
    }
    int payload = Math.min(send.unsent(), maxPayload);
    if (payload > 0 && mayCut(payload)) {
      int seq = send.add(Packet.ST_DATA, payload, now);
      writePacket(out, Packet.ST_DATA, seq, now);
      return true;
    }
    if (finQueued && send.unsent() == 0 && send.hasSlot()) {
      finQueued = false;
      finSeq = send.add(Packet.ST_FIN, 0, now);
      writePacket(out, Packet.ST_FIN, finSeq, now);
      return true;
    }
    if (needAck) {
      writePacket(out, Packet.ST_STATE, send.nextSeq(), now);
      return true;
    }
    return false;
  }

  private boolean mayCut(int payload) {
    if (!send.hasSlot()) {
      return false;
    }
    if (payload < maxPayload && send.packetsInFlight() > 0 && state == State.CONNECTED) {
      return false; // Nagle: a small packet waits while others are unacknowledged
    }
    if (send.bytesInFlight() + payload + Packet.HEADER_BYTES <= window()) {
      return true;
    }
    if (send.packetsInFlight() == 0) {
      if (probe) {
        probe = false;
        return true;
      }
      if (timeoutAt == NONE) {
        timeoutAt = endpoint.now() + congestion.timeoutNanos();
      }
    }
    return false;
  }

  private long window() {
    return Math.min(congestion.window(), peerWindow);
  }

  private void writePacket(ByteBuffer out, int type, int seq, long now) {
    int sackLength = type == Packet.ST_SYN ? 0 : receive.selectiveAck(sack);
    advertisedWindow = receive.window();
    Packet.encode(
        out,
        type,
        type == Packet.ST_SYN ? recvId : sendId,
        micros(now),
        replyMicros,
        advertisedWindow,
        seq,
        type == Packet.ST_SYN ? 0 : receive.ackNr(),
        sack,
        sackLength);
    if (type == Packet.ST_DATA) {
      send.copyPayload(seq, out);
      bytesSent += send.length(seq);
      probe = false;
    }
    if (type != Packet.ST_STATE && timeoutAt == NONE) {
      timeoutAt = now + congestion.timeoutNanos();
    }
    needAck = false;
  }

  private void fail(IOException reason) {
    if (state == State.CLOSED) {
      return;
    }
    Listener told = state != State.CLOSING ? listener : null;
    finish();
    if (told != null) {
      told.onClosed(this, reason);
    }
  }

  private void finish() {
    state = State.CLOSED;
    timeoutAt = NONE;
    lingerUntil = NONE;
    endpoint.remove(this);
  }

  private static int micros(long nanos) {
    return (int) (nanos / 1000);
  }

  @Override
  public String toString() {
    return "uTP " + remote + " id " + recvId + " " + state;
  }
}
