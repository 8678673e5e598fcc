package dev.bitwright.session.internal.peer;

import dev.bitwright.session.CloseReason;
import dev.bitwright.session.internal.jfr.DiskReadEvent;
import dev.bitwright.session.internal.net.Connection;
import dev.bitwright.session.internal.net.EngineLoop;
import dev.bitwright.session.internal.telemetry.DiskCounters;
import dev.bitwright.wire.MessageEncoder;
import dev.bitwright.wire.Rc4;
import dev.bitwright.wire.WireLimits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The sending half of a peer connection: the output buffer (lent by {@link OutputBuffers} while
 * bytes wait), corking of the replies to one read, encryption, and uploads of blocks, without a
 * copy ({@code transferTo}) on plaintext connections. Loop thread only.
 */
public final class PeerOutput {
  /** Bytes waiting to be sent above which a peer is dropped instead of buffered for. */
  static final int MAX_PENDING_OUTPUT = 1 << 20;

  // While a read is handled, replies wait for its end unless this many bytes are waiting already.
  private static final int CORK_LIMIT = 64 * 1024;

  // The zeros that pad the last piece of a file in a v2 torrent, for requests that reach past the
  // file's data (libtorrent asks for whole 16 KiB blocks there, and sends zeros itself).
  private static final ByteBuffer ZEROS =
      ByteBuffer.allocateDirect(WireLimits.BLOCK_SIZE).asReadOnlyBuffer();

  private final PeerConnection peer;
  private final OutputBuffers buffers;
  private final DiskCounters disk;
  private final EngineLoop loop;
  private Connection connection;
  private PeerOwner owner;
  private Rc4 encryptor;
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
  private int uploadSent;
  // The socket reported room and nothing has been written since: a transfer of nothing now is
  // worth a look at whether the storage still has the bytes (sendfile can also find no room).
  private boolean socketWritable;
  // Set while a read is processed: sends queue (up to CORK_LIMIT), and one flush follows.
  private boolean corked;
  private boolean closed;

  PeerOutput(PeerConnection peer, OutputBuffers buffers, EngineLoop loop, DiskCounters disk) {
    this.peer = peer;
    this.buffers = buffers;
    this.loop = loop;
    this.disk = disk;
  }

  void attach(Connection connection) {
    this.connection = connection;
  }

  void owner(PeerOwner owner) {
    this.owner = owner;
  }

  void encryptWith(Rc4 encryptor) {
    this.encryptor = encryptor;
  }

  /** Holds sends until {@link #uncork}: the replies to one read go out in one write. */
  void cork() {
    corked = true;
  }

  /** Sends what the replies to a read queued. */
  void uncork() {
    corked = false;
    flush();
  }

  /**
   * Queues encoded bytes (encrypting them if the connection is) and sends what the socket takes.
   */
  void send(ByteBuffer encoded) {
    if (pendingOutput() > MAX_PENDING_OUTPUT) {
      // A peer that keeps sending but stops reading would otherwise grow this without bound.
      peer.close(CloseReason.NOT_READING);
      return;
    }
    append(encoded);
    flush();
  }

  /** Queues bytes that are sent as they are (MSE's own, encrypted by the handshake). */
  void sendRaw(byte[] bytes) {
    if (bytes.length > 0) {
      ensureOutput(bytes.length);
      out.put(bytes);
      flush();
    }
  }

  private void append(ByteBuffer bytes) {
    ensureOutput(bytes.remaining());
    int at = out.position();
    out.put(bytes);
    if (encryptor != null) {
      encryptor.apply(out.duplicate().position(at).limit(out.position()));
    }
  }

  /** Queues an upload of a block; it is sent when the output drains. */
  void queueUpload(Block block) {
    uploads.add(block);
    flush();
  }

  int queuedUploads() {
    return uploads.size();
  }

  boolean uploadsWaiting() {
    return !uploads.isEmpty() || uploading != null || pendingOutput() > 0;
  }

  /** Drops the queued uploads except blocks of {@code keep} pieces; returns the dropped ones. */
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

  boolean cancelUpload(Block block) {
    return uploads.remove(block);
  }

  int pendingOutput() {
    return out == null ? 0 : out.position();
  }

  private void ensureOutput(int bytes) {
    if (out == null) {
      out = buffers.take(bytes);
    } else if (out.remaining() < bytes) {
      ByteBuffer bigger = buffers.take(Math.max(out.capacity() * 2, out.position() + bytes));
      bigger.put(out.flip());
      buffers.give(out);
      out = bigger;
    }
  }

  /** Gives the output buffer back: the connection closed. */
  void close() {
    closed = true;
    release();
  }

  private void release() {
    if (out != null) {
      buffers.give(out);
      out = null;
    }
  }

  /** Sends buffered bytes and uploads as far as the socket and the rate limits allow. */
  void flush() {
    if (closed || connection == null || (corked && pendingOutput() < CORK_LIMIT)) {
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
            wrote();
          }
          if (out.position() > 0) {
            return;
          }
          release();
        }
        if (!startUpload()) {
          return;
        }
      }
    } catch (IOException e) {
      peer.close(CloseReason.WRITE_FAILED, e.getMessage());
    }
  }

  private void wrote() {
    peer.activity().bytesSent(loop.nanoTime());
    socketWritable = false;
  }

  /**
   * Starts the next queued upload the rate limits allow; returns whether it did. Encrypted, the
   * block is read and appended to the output; otherwise it goes out by {@link #continueUpload}.
   */
  private boolean startUpload() throws IOException {
    Block next = uploads.peek();
    if (next == null || !owner.mayUpload(peer, next.length())) {
      return false;
    }
    uploads.poll();
    owner.wireTrace().upload(peer.address(), next.piece(), next.offset(), next.length());
    ByteBuffer header = pieceHeader.clear();
    MessageEncoder.encodePieceHeader(next.piece(), next.offset(), next.length(), header);
    header.flip();
    int stored = storedLength(next);
    if (encryptor == null) {
      uploading = next;
      uploadHeader = header;
      uploadStored = stored;
      uploadSent = 0;
      return true;
    }
    // Read into the output buffer and encrypted there: no copy, no garbage per block.
    ensureOutput(header.remaining() + next.length());
    int at = out.position();
    out.put(header);
    // Not readBlock, which gives missing bytes as zeros: those must never go out as the piece.
    DiskReadEvent event = DiskReadEvent.start();
    long started = loop.nanoTime();
    int n =
        stored == 0
            ? 0
            : owner
                .store()
                .readStoredBlock(
                    next.piece(), next.offset(), out.duplicate().limit(out.position() + stored));
    disk.read(n, loop.nanoTime() - started);
    event.record(owner.store().torrent().infoHashes(), next.piece(), next.offset(), n, false);
    if (n < stored) {
      out.position(at);
      missing(next.piece());
      return false;
    }
    out.position(out.position() + stored);
    out.put(ZEROS.duplicate().limit(next.length() - stored)); // v2 padding
    encryptor.apply(out.duplicate().position(at).limit(out.position()));
    finishUpload(next.length());
    return true;
  }

  /**
   * Returns how many bytes of {@code block} lie in the piece's data: all of it, except in v2
   * torrents, where the last piece of a file is padded to the piece length and the rest are zeros.
   */
  private int storedLength(Block block) {
    int size = owner.store().map().pieceSize(block.piece());
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
      DiskReadEvent event = DiskReadEvent.start();
      long started = loop.nanoTime();
      n =
          owner
              .store()
              .transferBlock(
                  uploading.piece(),
                  uploading.offset() + uploadSent,
                  uploadStored - uploadSent,
                  connection.channel());
      disk.read(n, loop.nanoTime() - started);
      event.record(
          owner.store().torrent().infoHashes(),
          uploading.piece(),
          uploading.offset() + uploadSent,
          n,
          true);
      if (n == 0 && socketWritable && !stored(uploading.piece())) {
        // Nothing went out though the socket said it had room, and the files are too short for
        // the piece: they are gone or changed on disk.
        missing(uploading.piece());
        return false;
      }
    } else {
      n = connection.write(ZEROS.duplicate().limit(uploading.length() - uploadSent));
    }
    if (n > 0) {
      wrote();
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
   * Reports the piece missing after the current work of the loop: this may run inside a loop over
   * the torrent's peers, which failing the torrent closes.
   */
  private void missing(int piece) {
    PeerOwner reportTo = owner;
    loop.execute(() -> reportTo.dataMissing(piece));
  }

  /** Returns whether the files are long enough to hold {@code piece}. */
  private boolean stored(int piece) throws IOException {
    BitSet one = new BitSet();
    one.set(piece);
    return !owner.store().piecesWithStoredBytes(one).isEmpty();
  }

  private void finishUpload(int length) {
    uploading = null;
    uploadHeader = null;
    peer.activity().blockSent(length, loop.nanoTime());
    owner.uploaded(peer, length);
  }

  /** The socket has room again. */
  void writable() {
    socketWritable = true;
    try {
      flush();
    } finally {
      socketWritable = false;
    }
  }
}
