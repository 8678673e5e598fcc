package dev.bitwright.session.internal.peer;

import com.google.common.io.BaseEncoding;
import dev.bitwright.session.CloseReason;
import dev.bitwright.session.internal.net.Connection;
import dev.bitwright.session.internal.net.ConnectionHandler;
import dev.bitwright.session.internal.net.EngineLoop;
import dev.bitwright.wire.EncryptionPolicy;
import dev.bitwright.wire.Handshake;
import dev.bitwright.wire.MessageEncoder;
import dev.bitwright.wire.MseHandshake;
import dev.bitwright.wire.PeerId;
import dev.bitwright.wire.PeerMessage;
import dev.bitwright.wire.WireException;
import dev.bitwright.wire.WireLimits;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One peer connection's wire mechanics: the optional MSE handshake, the BitTorrent handshake,
 * framing and decryption of what arrives; sending is {@link PeerOutput}'s. It knows nothing of
 * torrents: before its handshake it asks its {@link PeerEnvironment} which {@link PeerOwner} serves
 * the info-hash, and reports every message to that owner. What the connection knows of its peer is
 * in its {@link PeerState}.
 *
 * <p>Loop thread only.
 */
public final class PeerConnection implements ConnectionHandler {
  /**
   * How long a connection may take from TCP connect to the end of the BitTorrent handshake (MSE
   * included), as libtorrent's {@code handshake_timeout}.
   */
  static final long HANDSHAKE_TIMEOUT_NANOS = 10_000_000_000L;

  private enum Phase {
    CONNECTING,
    DETECT,
    MSE,
    HANDSHAKE,
    ACTIVE,
    CLOSED
  }

  private final PeerEnvironment environment;
  private final boolean outgoing;
  private final boolean plaintextOnly;
  private final PeerState state = new PeerState();
  private final PeerOutput output;
  private PeerOwner owner;
  private Connection connection;
  private Phase phase = Phase.CONNECTING;
  private MseHandshake mse;
  private final PeerInput input = new PeerInput(this);
  private boolean handshakeSent;
  private boolean encrypted;
  // The info-hash of an incoming connection's handshake, sent back in ours.
  private byte[] handshakeHash;
  private EngineLoop.Timer handshakeTimer;
  private CloseReason closeReason = CloseReason.CONNECTION_LOST;
  private String closeDetail;
  // Known once the handshake is done; made once, as blocks are blamed on it one by one.
  private PeerKey key;

  /**
   * Creates a connection.
   *
   * @param owner the torrent of an outgoing connection; null for an incoming one
   * @param plaintextOnly whether to skip MSE (a retry after the peer refused it)
   */
  public PeerConnection(
      PeerEnvironment environment, PeerOwner owner, boolean outgoing, boolean plaintextOnly) {
    this.environment = environment;
    this.owner = owner;
    this.outgoing = outgoing;
    this.plaintextOnly = plaintextOnly;
    this.output =
        new PeerOutput(
            this, environment.outputBuffers(), environment.loop(), environment.diskCounters());
    output.owner(owner);
  }

  /**
   * Orders connections by the bytes a second they moved lately, both ways, fewest first: the order
   * in which they give way when there are too many. Ties keep their order.
   */
  public static Comparator<PeerConnection> byRecentBytes(long now) {
    return Comparator.comparingLong(
        p -> p.activity().downloadRate(now) + p.activity().uploadRate(now));
  }

  /** Returns what the connection knows of its peer. */
  public PeerState state() {
    return state;
  }

  /** Returns the peer's rates and the times of its last activity. */
  public PeerActivity activity() {
    return state.activity();
  }

  /** Returns the remote address. */
  public InetSocketAddress address() {
    return connection.remoteAddress();
  }

  /** Returns whether we opened the connection. */
  public boolean isOutgoing() {
    return outgoing;
  }

  /** Returns whether this connection skipped MSE on purpose (a retry after a refusal). */
  public boolean isPlaintextOnly() {
    return plaintextOnly;
  }

  /** Returns whether the connection is RC4-encrypted. */
  public boolean isEncrypted() {
    return encrypted;
  }

  /** Returns whether the handshake is done and the connection open. */
  public boolean isActive() {
    return phase == Phase.ACTIVE;
  }

  /** Returns whether the connection runs over uTP. */
  public boolean overUtp() {
    return connection != null && connection.utp();
  }

  /** Returns whether the transport connection is open. */
  public boolean isOpen() {
    return connection != null && connection.isOpen();
  }

  /** Stops or resumes reading (rate limits, disk back-pressure); ignored before connecting. */
  public void setReading(boolean reading) {
    if (connection != null) {
      connection.setReading(reading);
    }
  }

  @Override
  public void onConnected(Connection c) {
    this.connection = c;
    if (phase == Phase.CLOSED) {
      c.close(); // closed while it connected (its slot was wanted): it reports as it closes
      return;
    }
    output.attach(c);
    EngineLoop loop = environment.loop();
    activity().connected(loop.nanoTime());
    handshakeTimer =
        loop.schedule(
            HANDSHAKE_TIMEOUT_NANOS,
            () -> {
              if (phase != Phase.ACTIVE && phase != Phase.CLOSED) {
                close(CloseReason.HANDSHAKE_TIMEOUT);
              }
            });
    EncryptionPolicy policy = environment.encryption();
    if (!outgoing) {
      phase = Phase.DETECT;
      return;
    }
    if (policy == EncryptionPolicy.DISABLED || plaintextOnly) {
      phase = Phase.HANDSHAKE;
      sendHandshake();
    } else {
      phase = Phase.MSE;
      Handshake ours = ourHandshake();
      owner.wireTrace().event(address(), "out", traced(ours));
      mse =
          MseHandshake.initiator(
              owner.wireHash(), ours.toBytes(), policy, environment.secureRandom());
      handshakeSent = true;
      output.sendRaw(mse.takeOutput());
    }
  }

  private Handshake ourHandshake() {
    return Handshake.of(
        handshakeHash != null ? handshakeHash : owner.wireHash(),
        environment.peerId(),
        environment.dhtRunning(),
        true,
        true,
        false);
  }

  private void sendHandshake() {
    handshakeSent = true;
    Handshake ours = ourHandshake();
    if (owner != null) {
      owner.wireTrace().event(address(), "out", traced(ours));
    }
    output.send(ByteBuffer.wrap(ours.toBytes()));
  }

  private static String traced(Handshake h) {
    return "handshake info_hash="
        + BaseEncoding.base16().lowerCase().encode(h.infoHash())
        + " peer_id="
        + BaseEncoding.base16().lowerCase().encode(h.peerId().bytes())
        + " reserved="
        + BaseEncoding.base16().lowerCase().encode(h.reserved());
  }

  @Override
  public void onData(Connection c, ByteBuffer data) throws IOException {
    activity().bytesReceived(environment.loop().nanoTime());
    // Replies to everything in this read go out together: one write instead of one per message.
    output.cork();
    try {
      receive(data);
      if (phase == Phase.ACTIVE) {
        owner.afterMessages(this);
      }
    } finally {
      output.uncork();
    }
  }

  private void receive(ByteBuffer data) throws IOException {
    while (phase != Phase.CLOSED && data.hasRemaining()) {
      Phase before = phase;
      int remaining = data.remaining();
      switch (phase) {
        case DETECT -> detect(data);
        case MSE -> mse(data);
        case HANDSHAKE -> handshake(data);
        case ACTIVE -> input.messages(data, connection);
        default -> {
          return;
        }
      }
      if (phase == before && data.remaining() == remaining) {
        break;
      }
    }
  }

  private void detect(ByteBuffer data) throws WireException {
    EncryptionPolicy policy = environment.encryption();
    boolean plain = data.get(data.position()) == 19;
    if (plain && policy != EncryptionPolicy.FORCED) {
      phase = Phase.HANDSHAKE;
    } else if (!plain && policy != EncryptionPolicy.DISABLED) {
      phase = Phase.MSE;
      mse = MseHandshake.receiver(environment::infoHashForReq2, policy, environment.secureRandom());
    } else {
      throw new WireException(
          plain ? "plaintext handshake refused: encryption is forced" : "not a handshake", 0);
    }
  }

  private void mse(ByteBuffer data) throws IOException {
    mse.receive(data);
    output.sendRaw(mse.takeOutput());
    if (!mse.isDone()) {
      return;
    }
    encrypted = mse.selected() == MseHandshake.RC4;
    output.encryptWith(mse.encryptor().orElse(null));
    input.decryptWith(mse.decryptor().orElse(null));
    phase = Phase.HANDSHAKE;
    if (!outgoing) {
      ByteBuffer ia = ByteBuffer.wrap(mse.receivedPayload());
      processHandshake(ia);
      if (ia.hasRemaining() && phase == Phase.ACTIVE) {
        input.decode(ia, connection, false);
      }
    }
    mse = null;
  }

  private void handshake(ByteBuffer data) throws IOException {
    input.decryptNew(data);
    int before = data.remaining();
    processHandshake(data);
    input.consumed(before - data.remaining());
  }

  /** Reads the 68-byte handshake from already-decrypted bytes, if complete. */
  private void processHandshake(ByteBuffer data) throws IOException {
    Handshake h = Handshake.decode(data);
    if (h == null) {
      return;
    }
    state.handshaken(h);
    if (owner == null) {
      owner = environment.ownerFor(h.infoHash());
      if (owner == null) {
        close(CloseReason.UNKNOWN_TORRENT);
        return;
      }
      output.owner(owner);
      // A hybrid torrent goes by two hashes: answer with the one the peer used.
      handshakeHash = h.infoHash();
    } else if (!Arrays.equals(h.infoHash(), owner.wireHash())) {
      throw new WireException("handshake for another torrent", 28);
    }
    WireTrace trace = owner.wireTrace();
    if (trace.on()) {
      trace.event(
          address(),
          "--",
          "connected transport="
              + (connection.utp() ? "utp" : "tcp")
              + " direction="
              + (outgoing ? "outgoing" : "incoming")
              + " encryption="
              + (encrypted ? "rc4" : "plaintext"));
      trace.event(address(), "in", traced(h));
    }
    CloseReason refusal = owner.refusal(this);
    if (refusal != null) {
      close(refusal);
      return;
    }
    if (!handshakeSent) {
      sendHandshake();
    }
    input.startMessages(owner.wireLimits(), owner.messageHandler(this));
    phase = Phase.ACTIVE;
    handshakeTimer.cancel();
    owner.ready(this);
  }

  /** Changes the decoder's limits (a magnet's metadata arrived). */
  public void updateLimits(WireLimits limits) {
    input.updateLimits(limits);
  }

  /** Queues {@code message} and sends what the socket takes. */
  public void send(PeerMessage message) {
    if (phase != Phase.CLOSED) {
      owner.wireTrace().message(address(), false, message);
      output.send(MessageEncoder.encode(message));
    }
  }

  /** A message from the peer, about to be handled. */
  void received(PeerMessage message) {
    owner.wireTrace().message(address(), true, message);
  }

  /**
   * Queues {@code message} to go out with the next write, or on its own within a few tens of
   * milliseconds: for messages whose timing does not matter, which then share system calls.
   */
  public void sendSoon(PeerMessage message) {
    if (phase != Phase.CLOSED) {
      owner.wireTrace().message(address(), false, message);
      output.sendSoon(MessageEncoder.encode(message));
    }
  }

  /** Sends an extension-protocol message under the peer's id for {@code name}, if it has one. */
  public boolean sendExtended(String name, byte[] payload) {
    var id = state.extensionId(name);
    if (id.isEmpty()) {
      return false;
    }
    send(new PeerMessage.Extended(id.getAsInt(), payload));
    return true;
  }

  /** Removes a queued upload (the peer cancelled it); returns whether it was queued. */
  public boolean cancelUpload(Block block) {
    return output.cancelUpload(block);
  }

  /**
   * Drops the queued uploads (we choked the peer), except blocks of {@code keep} pieces; returns
   * the dropped ones.
   */
  public List<Block> dropUploads(BitSet keep) {
    return output.dropUploads(keep);
  }

  /** Queues an upload of a block; it is sent when the output drains. */
  public void queueUpload(Block block) {
    output.queueUpload(block);
  }

  /** Returns how many uploads wait. */
  public int queuedUploads() {
    return output.queuedUploads();
  }

  /** Returns whether something waits to go to this peer: blocks it asked for, or unsent bytes. */
  public boolean uploadsWaiting() {
    return output.uploadsWaiting();
  }

  /** Returns how many bytes wait for the socket (blocks queued for upload not counted). */
  public int pendingOutput() {
    return output.pendingOutput();
  }

  /** Sends buffered bytes and uploads as far as the socket and the rate limits allow. */
  public void flush() {
    output.flush();
  }

  @Override
  public void onWritable(Connection c) {
    output.writable();
  }

  /** Closes the connection for {@code reason}. */
  public void close(CloseReason reason) {
    close(reason, null);
  }

  /** Closes the connection for {@code reason}, with a detail for the logs (may be null). */
  public void close(CloseReason reason, String detail) {
    if (phase == Phase.CLOSED) {
      return;
    }
    closeReason = reason;
    closeDetail = detail;
    if (connection != null) {
      connection.close();
    } else {
      phase = Phase.CLOSED;
    }
  }

  @Override
  public void onClosed(Connection c, IOException reason) {
    if (connection == null) {
      connection = c;
    }
    boolean wasActive = phase == Phase.ACTIVE;
    boolean refusedMse = phase == Phase.MSE && outgoing;
    if (reason != null) {
      closeReason = phase == Phase.CONNECTING ? CloseReason.CONNECT_FAILED : reasonOf(reason);
      closeDetail = reason.getMessage();
    }
    phase = Phase.CLOSED;
    output.close();
    if (handshakeTimer != null) {
      handshakeTimer.cancel();
    }
    if (owner != null) {
      owner
          .wireTrace()
          .event(
              address(),
              "--",
              "closed reason="
                  + closeReason.name().toLowerCase(Locale.ROOT)
                  + (closeDetail == null ? "" : " detail=" + closeDetail.replace(' ', '_')));
      owner.closed(this, closeReason, closeDetail, wasActive, refusedMse);
    } else {
      environment.closedUnowned(this);
    }
  }

  private static CloseReason reasonOf(IOException e) {
    return e instanceof WireException ? CloseReason.PROTOCOL_ERROR : CloseReason.CONNECTION_LOST;
  }

  /** Returns who the peer is, for blame and bans (known once the handshake is done). */
  public PeerKey key() {
    if (key == null) {
      PeerKey made = new PeerKey(address().getAddress(), state.peerId());
      if (state.peerId() == null) {
        return made;
      }
      key = made;
    }
    return key;
  }

  /**
   * Returns where the peer listens: the address we dialled, or for an incoming connection the port
   * its extension handshake gave; null when that is not known.
   */
  public InetSocketAddress listenEndpoint() {
    if (outgoing) {
      return address();
    }
    OptionalInt port = state.listenPort();
    return port.isPresent() ? new InetSocketAddress(address().getAddress(), port.getAsInt()) : null;
  }

  /** Returns the client name its peer id announces. */
  public Optional<String> clientName() {
    PeerId id = state.peerId();
    return id == null ? Optional.empty() : id.clientName();
  }

  @Override
  public String toString() {
    return connection == null ? "peer(connecting)" : "peer " + connection.remoteAddress();
  }
}
