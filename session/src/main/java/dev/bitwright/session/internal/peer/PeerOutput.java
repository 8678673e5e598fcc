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
 * bytes wait), corking of the replies to one read, encryption, and uploads of blocks. A block is
 * read from the store straight into the output buffer behind its message header, and the blocks
 * that fit one buffer go out in one write.
 *
 * <p>Not {@code FileChannel.transferTo} (sendfile): that costs three system calls a block (the
 * header's write, the JDK's {@code fstat} of the file, the sendfile), and the header leaves as a
 * TCP segment of its own. On loopback the buffered path took a third less CPU per GiB uploaded
 * (0.53 against 0.79 CPU-seconds in the steady part of a 4 GiB upload), and the leecher on the
 * other end less too, for two copies the sendfile path does not make. Loop thread only.
 */
public final class PeerOutput {
  /** Bytes waiting to be sent above which a peer is dropped instead of buffered for. */
  static final int MAX_PENDING_OUTPUT = 1 << 20;

  // While a read is handled, replies wait for its end unless this many bytes are waiting already.
  private static final int CORK_LIMIT = 64 * 1024;

  // How long a message sent "soon" may wait for company before it is written on its own.
  private static final long SOON_NANOS = 20_000_000L;

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
  // The piece message header of the block being read, reused.
  private final ByteBuffer pieceHeader = ByteBuffer.allocate(MessageEncoder.PIECE_HEADER_LENGTH);
  // Set while a read is processed: sends queue (up to CORK_LIMIT), and one flush follows.
  private boolean corked;
  // The flush that sends what sendSoon queued, if one is scheduled.
  private EngineLoop.Timer soonFlush;
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
    if (queue(encoded)) {
      flush();
    }
  }

  /**
   * Queues encoded bytes (encrypting them if the connection is) to go out with the next write, or
   * on their own within {@value #SOON_NANOS} ns: messages that need not leave at once (a HAVE for
   * each piece we finish, to every peer) share system calls and TCP segments with each other and
   * with the blocks on their way, instead of costing one write each.
   */
  void sendSoon(ByteBuffer encoded) {
    if (queue(encoded) && soonFlush == null) {
      soonFlush =
          loop.schedule(
              SOON_NANOS,
              () -> {
                soonFlush = null;
                flush();
              });
    }
  }

  /** Queues bytes that are sent as they are (MSE's own, encrypted by the handshake). */
  void sendRaw(byte[] bytes) {
    if (bytes.length > 0) {
      ensureOutput(bytes.length);
      out.put(bytes);
      flush();
    }
  }

  /** Appends encoded bytes to the output; returns false if the peer was closed instead. */
  private boolean queue(ByteBuffer encoded) {
    if (pendingOutput() > MAX_PENDING_OUTPUT) {
      // A peer that keeps sending but stops reading would otherwise grow this without bound.
      peer.close(CloseReason.NOT_READING);
      return false;
    }
    append(encoded);
    return true;
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
    return !uploads.isEmpty() || pendingOutput() > 0;
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
    if (soonFlush != null) {
      soonFlush.cancel();
      soonFlush = null;
    }
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
        while (roomForNextUpload() && startUpload()) {
          // The blocks that fit the buffer go out in one write.
        }
      }
    } catch (IOException e) {
      peer.close(CloseReason.WRITE_FAILED, e.getMessage());
    }
  }

  private void wrote() {
    peer.activity().bytesSent(loop.nanoTime());
  }

  /** Returns whether the next queued block, with its header, fits the output buffer as it is. */
  private boolean roomForNextUpload() {
    Block next = uploads.peek();
    return out != null
        && next != null
        && out.remaining() >= MessageEncoder.PIECE_HEADER_LENGTH + next.length();
  }

  /**
   * Reads the next queued block the rate limits allow into the output buffer, behind its header
   * (encrypting both if the connection is); returns whether it did.
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
    // Read into the output buffer (and encrypted there): no copy, no garbage per block.
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
    event.record(owner.store().torrent().infoHashes(), next.piece(), next.offset(), n);
    if (n < stored) {
      out.position(at);
      missing(next.piece());
      return false;
    }
    out.position(out.position() + stored);
    out.put(ZEROS.duplicate().limit(next.length() - stored)); // v2 padding
    if (encryptor != null) {
      encryptor.apply(out.duplicate().position(at).limit(out.position()));
    }
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

  /**
   * Reports the piece missing after the current work of the loop: this may run inside a loop over
   * the torrent's peers, which failing the torrent closes.
   */
  private void missing(int piece) {
    PeerOwner reportTo = owner;
    loop.execute(() -> reportTo.dataMissing(piece));
  }

  private void finishUpload(int length) {
    peer.activity().blockSent(length, loop.nanoTime());
    owner.uploaded(peer, length);
  }

  /** The socket has room again. */
  void writable() {
    flush();
  }
}
