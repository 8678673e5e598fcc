package dev.bitwright.session.internal;

import dev.bitwright.wire.EncryptionPolicy;
import dev.bitwright.wire.ExtensionHandshake;
import dev.bitwright.wire.Handshake;
import dev.bitwright.wire.MessageDecoder;
import dev.bitwright.wire.MessageEncoder;
import dev.bitwright.wire.MseHandshake;
import dev.bitwright.wire.PeerId;
import dev.bitwright.wire.PeerMessage;
import dev.bitwright.wire.Rc4;
import dev.bitwright.wire.WireException;
import dev.bitwright.wire.WireLimits;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One peer connection's wire mechanics: the optional MSE handshake, the BitTorrent handshake,
 * framing, encryption of both directions, the output buffer and zero-copy uploads. What the
 * messages mean is the {@link TorrentRuntime}'s business; this class also keeps the per-peer
 * protocol state the runtime reads (choke and interest flags, the peer's pieces, requests).
 *
 * <p>Loop thread only.
 */
public final class PeerConnection implements ConnectionHandler {
  /** Bytes waiting to be sent above which a peer is dropped instead of buffered for. */
  static final int MAX_PENDING_OUTPUT = 1 << 20;

  /**
   * How long a connection may take from TCP connect to the end of the BitTorrent handshake (MSE
   * included), as libtorrent's {@code handshake_timeout}.
   */
  static final long HANDSHAKE_TIMEOUT_NANOS = 10_000_000_000L;

  // While a read is handled, replies wait for its end unless this many bytes are waiting already.
  private static final int CORK_LIMIT = 64 * 1024;

  // The zeros that pad the last piece of a file in a v2 torrent, for requests that reach past the
  // file's data (libtorrent asks for whole 16 KiB blocks there, and sends zeros itself).
  private static final ByteBuffer ZEROS =
      ByteBuffer.allocateDirect(WireLimits.BLOCK_SIZE).asReadOnlyBuffer();

  enum Phase {
    DETECT,
    MSE,
    HANDSHAKE,
    ACTIVE,
    CLOSED
  }

  final Engine engine;
  final boolean outgoing;
  final boolean plaintextOnly;
  TorrentRuntime torrent;
  Connection connection;
  Phase phase;
  private MseHandshake mse;
  private Rc4 encryptor;
  private Rc4 decryptor;
  private int decryptedPending;
  private MessageDecoder decoder;
  // Bytes waiting for the socket, in a buffer lent by OutputBuffers while there are any; null when
  // there are none.
  private ByteBuffer out;
  private final ArrayDeque<Block> uploads = new ArrayDeque<>();
  // The block being sent without a copy (transferTo) and its piece header: while it is on its way,
  // nothing else may be written, or other messages would land inside its bytes.
  private Block uploading;
  private ByteBuffer uploadHeader;
  // The piece message header of the block being sent (one at a time), reused.
  private final ByteBuffer pieceHeader = ByteBuffer.allocate(MessageEncoder.PIECE_HEADER_LENGTH);
  // How many bytes of the block on its way come from the files; the rest are padding zeros.
  private int uploadStored;
  // The socket reported room and nothing has been written since: a transfer of nothing now is
  // worth a look at whether the storage still has the bytes (sendfile can also find no room).
  private boolean socketWritable;
  // Set while a read is processed: sends queue (up to CORK_LIMIT), and one flush follows.
  private boolean corked;
  private int uploadSent;
  private boolean handshakeSent;
  // The info-hash of an incoming connection's handshake, sent back in ours.
  private byte[] handshakeHash;
  private EngineLoop.Timer handshakeTimer;
  String closeReason = "closed";

  // Protocol state read and written by the runtime.
  Handshake remoteHandshake;
  PeerId peerId;
  boolean amChoking = true;
  // A block arrived during this read: the request pipeline is refilled once the read is handled.
  boolean requestsWanted;
  boolean amInterested;
  boolean peerChoking = true;
  boolean peerInterested;
  boolean peerSeed;
  // The peer said it only uploads (BEP 21): it finished what it wants, or only seeds.
  boolean peerUploadOnly;
  boolean snubbed;
  BitSet peerHave = new BitSet();

  /** The picker that counts this peer's pieces; null while none does. */
  PiecePicker countedIn;

  ExtensionHandshake extensions;
  final Set<Block> requested = new LinkedHashSet<>();
  final BitSet allowedFastForUs = new BitSet();
  // Pieces the peer suggested (BEP 6), the latest MAX_SUGGESTED, oldest first in the queue.
  final BitSet suggested = new BitSet();
  final ArrayDeque<Integer> suggestionOrder = new ArrayDeque<>();

  /** Whether the peer sent its DHT port (BEP 5) on this connection already. */
  boolean dhtPortReceived;

  /** Pieces we told this peer it may fetch while we choke it (BEP 6 allowed fast). */
  final BitSet allowedFastForThem = new BitSet();

  final RateMeter downloadRate = new RateMeter();
  final RateMeter uploadRate = new RateMeter();
  long lastReceived;
  long lastSent;
  long lastPieceReceived;
  long connectedAt;
  // Slot keeping (Choker): when we last unchoked the peer, when the last block to it left, and
  // until when it is not unchoked again (it did not read what we sent).
  long unchokedAt;
  long lastUploadProgress;
  long notReadingUntil;
  // Metadata pieces served in the current minute (ut_metadata replies are rate-limited).
  int metadataServed;
  int metadataAsked;
  long metadataWindowStart;
  boolean encrypted;

  /** Reading is paused for a download limit and a timer will resume it (one timer at most). */
  boolean heldForRate;

  PeerConnection(Engine engine, TorrentRuntime torrent, boolean outgoing, boolean plaintextOnly) {
    this.engine = engine;
    this.torrent = torrent;
    this.outgoing = outgoing;
    this.plaintextOnly = plaintextOnly;
  }

  /** Returns the remote address. */
  InetSocketAddress address() {
    return connection.remoteAddress();
  }

  @Override
  public void onConnected(Connection c) {
    this.connection = c;
    long now = engine.loop().nanoTime();
    connectedAt = now;
    lastReceived = now;
    lastSent = now;
    // Times compare by difference (a ticker may read negative): none may stay at 0.
    unchokedAt = now;
    lastUploadProgress = now;
    notReadingUntil = now;
    metadataWindowStart = now;
    handshakeTimer =
        engine
            .loop()
            .schedule(
                HANDSHAKE_TIMEOUT_NANOS,
                () -> {
                  if (phase != Phase.ACTIVE && phase != Phase.CLOSED) {
                    close("handshake timed out");
                  }
                });
    EncryptionPolicy policy = engine.config().encryption();
    if (!outgoing) {
      phase = Phase.DETECT;
      return;
    }
    if (policy == EncryptionPolicy.DISABLED || plaintextOnly) {
      phase = Phase.HANDSHAKE;
      sendHandshake();
    } else {
      phase = Phase.MSE;
      mse =
          MseHandshake.initiator(
              torrent.wireHash(), ourHandshake().toBytes(), policy, engine.secureRandom());
      handshakeSent = true;
      writeRaw(mse.takeOutput());
    }
  }

  private Handshake ourHandshake() {
    return Handshake.of(
        handshakeHash != null ? handshakeHash : torrent.wireHash(),
        engine.peerId(),
        engine.dht().map(DhtService::isRunning).orElse(false),
        true,
        true,
        false);
  }

  private void sendHandshake() {
    handshakeSent = true;
    ByteBuffer hs = ByteBuffer.wrap(ourHandshake().toBytes());
    appendOutput(hs);
    flush();
  }

  @Override
  public void onData(Connection c, ByteBuffer data) throws IOException {
    lastReceived = engine.loop().nanoTime();
    // Replies to everything in this read go out together: one write instead of one per message.
    corked = true;
    try {
      receive(data);
      if (phase == Phase.ACTIVE) {
        torrent.afterMessages(this);
      }
    } finally {
      corked = false;
      flush();
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
        case ACTIVE -> messages(data);
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
    EncryptionPolicy policy = engine.config().encryption();
    boolean plain = data.get(data.position()) == 19;
    if (plain && policy != EncryptionPolicy.FORCED) {
      phase = Phase.HANDSHAKE;
    } else if (!plain && policy != EncryptionPolicy.DISABLED) {
      phase = Phase.MSE;
      mse = MseHandshake.receiver(engine::torrentByReq2, policy, engine.secureRandom());
    } else {
      throw new WireException(
          plain ? "plaintext handshake refused: encryption is forced" : "not a handshake", 0);
    }
  }

  private void mse(ByteBuffer data) throws IOException {
    mse.receive(data);
    writeRaw(mse.takeOutput());
    if (!mse.isDone()) {
      return;
    }
    encrypted = mse.selected() == MseHandshake.RC4;
    encryptor = mse.encryptor().orElse(null);
    decryptor = mse.decryptor().orElse(null);
    decryptedPending = 0;
    phase = Phase.HANDSHAKE;
    if (!outgoing) {
      ByteBuffer ia = ByteBuffer.wrap(mse.receivedPayload());
      processHandshake(ia);
      if (ia.hasRemaining() && phase == Phase.ACTIVE) {
        decodeMessages(ia, false);
      }
    }
    mse = null;
  }

  private void handshake(ByteBuffer data) throws IOException {
    decryptNew(data);
    int before = data.remaining();
    processHandshake(data);
    decryptedPending -= before - data.remaining();
  }

  /** Reads the 68-byte handshake from already-decrypted bytes, if complete. */
  private void processHandshake(ByteBuffer data) throws IOException {
    Handshake h = Handshake.decode(data);
    if (h == null) {
      return;
    }
    remoteHandshake = h;
    peerId = h.peerId();
    if (torrent == null) {
      torrent = engine.torrentFor(h.infoHash());
      if (torrent == null) {
        throw new WireException("handshake for a torrent we do not serve", 28);
      }
      // A hybrid torrent goes by two hashes: answer with the one the peer used.
      handshakeHash = h.infoHash();
    } else if (!Arrays.equals(h.infoHash(), torrent.wireHash())) {
      throw new WireException("handshake for another torrent", 28);
    }
    if (!torrent.admit(this)) {
      close("not admitted: " + closeReason);
      return;
    }
    if (!handshakeSent) {
      sendHandshake();
    }
    decoder = new MessageDecoder(torrent.wireLimits());
    phase = Phase.ACTIVE;
    handshakeTimer.cancel();
    torrent.peerReady(this);
  }

  /** Decrypts bytes that arrived since the last call, in place. */
  private void decryptNew(ByteBuffer data) {
    if (decryptor == null) {
      return;
    }
    int fresh = data.remaining() - decryptedPending;
    if (fresh > 0) {
      decryptor.apply(data.duplicate().position(data.position() + decryptedPending));
      decryptedPending = data.remaining();
    }
  }

  private void messages(ByteBuffer data) throws IOException {
    decryptNew(data);
    decodeMessages(data, true);
  }

  private void decodeMessages(ByteBuffer data, boolean trackDecryption) throws IOException {
    while (phase == Phase.ACTIVE) {
      int start = data.position();
      PeerMessage m = decoder.decode(data);
      if (m == null) {
        if (data.remaining() >= 4) {
          connection.ensureReadCapacity(4 + data.getInt(data.position()));
        }
        return;
      }
      if (trackDecryption) {
        decryptedPending -= data.position() - start;
      }
      torrent.onMessage(this, m);
    }
  }

  /** Changes the decoder's limits (a magnet's metadata arrived). */
  void updateLimits(WireLimits limits) {
    if (decoder != null) {
      decoder.setLimits(limits);
    }
  }

  /** Queues {@code message} and sends what the socket takes. */
  void send(PeerMessage message) {
    if (phase == Phase.CLOSED) {
      return;
    }
    if (pendingOutput() > MAX_PENDING_OUTPUT) {
      // A peer that keeps sending but stops reading would otherwise grow this without bound.
      close("not reading what we send");
      return;
    }
    appendOutput(MessageEncoder.encode(message));
    flush();
  }

  /** Sends an extension-protocol message under the peer's id for {@code name}, if it has one. */
  boolean sendExtended(String name, byte[] payload) {
    if (extensions == null) {
      return false;
    }
    var id = extensions.idOf(name);
    if (id.isEmpty()) {
      return false;
    }
    send(new PeerMessage.Extended(id.getAsInt(), payload));
    return true;
  }

  /** Queues an upload of a block; it is sent when the output drains. */
  void queueUpload(Block block) {
    uploads.add(block);
    flush();
  }

  /** Returns how many uploads wait. */
  int queuedUploads() {
    return uploads.size();
  }

  /** Returns whether something waits to go to this peer: blocks it asked for, or unsent bytes. */
  boolean uploadsWaiting() {
    return !uploads.isEmpty() || uploading != null || pendingOutput() > 0;
  }

  /**
   * Drops the queued uploads (we choked the peer), except blocks of {@code keep} pieces; returns
   * the dropped ones.
   */
  List<Block> dropUploads(BitSet keep) {
    List<Block> dropped = new ArrayList<>();
    uploads.removeIf(
        b -> {
          boolean drop = !keep.get(b.piece());
          if (drop) {
            dropped.add(b);
          }
          return drop;
        });
    return dropped;
  }

  /** Removes a queued upload (the peer cancelled it). */
  boolean cancelUpload(Block block) {
    return uploads.remove(block);
  }

  private void writeRaw(byte[] bytes) {
    if (bytes.length > 0) {
      ensureOutput(bytes.length);
      out.put(bytes);
      flush();
    }
  }

  /** Appends encoded bytes to the output buffer, encrypting them if the connection is. */
  private void appendOutput(ByteBuffer bytes) {
    ensureOutput(bytes.remaining());
    int at = out.position();
    out.put(bytes);
    if (encryptor != null) {
      encryptor.apply(out.duplicate().position(at).limit(out.position()));
    }
  }

  /** Returns how many bytes wait for the socket (blocks queued for upload not counted). */
  int pendingOutput() {
    return out == null ? 0 : out.position();
  }

  private void ensureOutput(int bytes) {
    if (out == null) {
      out = engine.outputBuffers().take(bytes);
    } else if (out.remaining() < bytes) {
      ByteBuffer bigger =
          engine.outputBuffers().take(Math.max(out.capacity() * 2, out.position() + bytes));
      bigger.put(out.flip());
      engine.outputBuffers().give(out);
      out = bigger;
    }
  }

  /** Gives the output buffer back once it is empty (or the connection closed). */
  private void releaseOutput() {
    if (out != null) {
      engine.outputBuffers().give(out);
      out = null;
    }
  }

  /** Sends buffered bytes and uploads as far as the socket and the rate limits allow. */
  void flush() {
    if (phase == Phase.CLOSED || connection == null || (corked && pendingOutput() < CORK_LIMIT)) {
      return;
    }
    try {
      while (true) {
        if (uploading != null) {
          if (!continueUpload()) {
            return;
          }
          continue;
        }
        if (pendingOutput() > 0) {
          out.flip();
          int n = connection.write(out);
          out.compact();
          if (n > 0) {
            lastSent = engine.loop().nanoTime();
            socketWritable = false;
          }
          if (out.position() > 0) {
            return;
          }
          releaseOutput();
        }
        if (!startUpload()) {
          return;
        }
      }
    } catch (IOException e) {
      close("write failed: " + e.getMessage());
    }
  }

  /**
   * Starts the next queued upload the rate limits allow; returns whether it did. Encrypted, the
   * block is read and appended to the output; otherwise it goes out by {@link #continueUpload}.
   */
  private boolean startUpload() throws IOException {
    Block next = uploads.peek();
    if (next == null || !torrent.mayUpload(this, next.length())) {
      return false;
    }
    uploads.poll();
    ByteBuffer header = pieceHeader.clear();
    MessageEncoder.encodePieceHeader(next.piece(), next.offset(), next.length(), header);
    header.flip();
    int stored = storedLength(next);
    if (encryptor != null) {
      // Read into the output buffer and encrypted there: no copy, no garbage per block.
      ensureOutput(header.remaining() + next.length());
      int at = out.position();
      out.put(header);
      // Not readBlock, which gives missing bytes as zeros: those must never go out as the piece.
      int n =
          stored == 0
              ? 0
              : torrent
                  .store()
                  .readStoredBlock(
                      next.piece(), next.offset(), out.duplicate().limit(out.position() + stored));
      if (n < stored) {
        out.position(at);
        failMissing(next.piece());
        return false;
      }
      out.position(out.position() + stored);
      out.put(ZEROS.duplicate().limit(next.length() - stored)); // v2 padding
      encryptor.apply(out.duplicate().position(at).limit(out.position()));
      finishUpload(next.length());
    } else {
      uploading = next;
      uploadHeader = header;
      uploadStored = stored;
      uploadSent = 0;
    }
    return true;
  }

  /**
   * Returns how many bytes of {@code block} lie in the piece's data: all of it, except in v2
   * torrents, where the last piece of a file is padded to the piece length and the rest are zeros.
   */
  private int storedLength(Block block) {
    int size = torrent.store().map().pieceSize(block.piece());
    return Math.max(0, Math.min(block.length(), size - block.offset()));
  }

  /** Sends more of the block on its way; returns whether it is all sent. */
  private boolean continueUpload() throws IOException {
    if (uploadHeader.hasRemaining()) {
      if (connection.write(uploadHeader) > 0) {
        socketWritable = false;
      }
      if (uploadHeader.hasRemaining()) {
        return false;
      }
    }
    long n;
    if (uploadSent < uploadStored) {
      n =
          torrent
              .store()
              .transferBlock(
                  uploading.piece(),
                  uploading.offset() + uploadSent,
                  uploadStored - uploadSent,
                  connection.channel());
      if (n == 0 && socketWritable && !stored(uploading.piece())) {
        // Nothing went out though the socket said it had room, and the files are too short for
        // the piece: they are gone or changed on disk.
        failMissing(uploading.piece());
        return false;
      }
    } else {
      n = connection.write(ZEROS.duplicate().limit(uploading.length() - uploadSent));
    }
    if (n > 0) {
      lastSent = engine.loop().nanoTime();
      socketWritable = false;
    }
    boolean dataSent = uploadSent < uploadStored && uploadSent + n == uploadStored;
    uploadSent += (int) n;
    if (uploadSent < uploading.length()) {
      if (dataSent) {
        return continueUpload(); // the file's bytes are out: on to the padding zeros
      }
      connection.wantWrite();
      return false;
    }
    finishUpload(uploading.length());
    return true;
  }

  /**
   * Fails the torrent, after the current work of the loop: this may run inside a loop over the
   * torrent's peers, which failing closes.
   */
  private void failMissing(int piece) {
    String message = "piece " + piece + " is missing from the files (changed on disk?); recheck";
    engine.loop().execute(() -> torrent.fail(message));
  }

  /** Returns whether the files are long enough to hold {@code piece}. */
  private boolean stored(int piece) throws IOException {
    BitSet one = new BitSet();
    one.set(piece);
    return !torrent.store().piecesWithStoredBytes(one).isEmpty();
  }

  private void finishUpload(int length) {
    uploading = null;
    uploadHeader = null;
    long now = engine.loop().nanoTime();
    lastUploadProgress = now;
    uploadRate.add(length, now);
    torrent.uploaded(this, length);
  }

  @Override
  public void onWritable(Connection c) {
    socketWritable = true;
    try {
      flush();
    } finally {
      socketWritable = false;
    }
  }

  /** Closes the connection, giving a reason for the logs and events. */
  void close(String reason) {
    closeReason = reason;
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
    boolean duringMse = phase == Phase.MSE && outgoing;
    phase = Phase.CLOSED;
    releaseOutput();
    if (handshakeTimer != null) {
      handshakeTimer.cancel();
    }
    String why = reason == null ? closeReason : reason.getMessage();
    if (torrent != null) {
      torrent.peerClosed(this, why == null ? "closed" : why, wasActive, duringMse);
    } else {
      engine.incomingClosed(this);
    }
  }

  /** Returns who the peer is, for blame and bans (known once the handshake is done). */
  PeerKey key() {
    return new PeerKey(address().getAddress(), peerId);
  }

  /**
   * Returns where the peer listens: the address we dialled, or for an incoming connection the port
   * its extension handshake gave; null when that is not known.
   */
  InetSocketAddress listenEndpoint() {
    if (outgoing) {
      return address();
    }
    if (extensions != null && extensions.listenPort().isPresent()) {
      return new InetSocketAddress(address().getAddress(), extensions.listenPort().getAsInt());
    }
    return null;
  }

  /** Returns the client name its peer id announces. */
  Optional<String> clientName() {
    return peerId == null ? Optional.empty() : peerId.clientName();
  }

  @Override
  public String toString() {
    return connection == null ? "peer(connecting)" : "peer " + connection.remoteAddress();
  }
}
