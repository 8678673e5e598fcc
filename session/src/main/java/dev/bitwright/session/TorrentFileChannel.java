package dev.bitwright.session;

import static com.google.common.base.Preconditions.checkArgument;

import dev.bitwright.session.internal.engine.TorrentControl;
import dev.bitwright.storage.PieceMap;
import dev.bitwright.storage.PieceStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channels;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Reads one file of a torrent while it downloads ({@link TorrentHandle#openFile}): a media player
 * or an asset loader starts before the download is done. A read at any position asks for the pieces
 * just ahead of it first (piece deadlines over a window that grows with the rate at which the file
 * is read, from 2 pieces to 64 MiB), waits until the piece under the position is downloaded and
 * verified, and returns bytes from that piece only — never a byte that did not pass the hash check.
 * Seeking moves the window; {@link #close()} lets go of its pieces. Several readers may read one
 * torrent at once.
 *
 * <p>A read waits at most the timeout given when the file was opened ({@link
 * InterruptedIOException} after it); an interrupt closes the channel ({@link
 * ClosedByInterruptException}), as {@code FileChannel} does; closing it from another thread ends a
 * read that waits ({@link AsynchronousCloseException}); a torrent removed fails the read. The
 * channel is read-only. Thread-safe; reads are serialised.
 */
public final class TorrentFileChannel implements SeekableByteChannel {
  private static final int MIN_WINDOW_PIECES = 2;
  private static final long MAX_WINDOW_BYTES = 64L << 20;
  // The window holds what the reader reads in this long at its recent rate.
  private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(4);
  // Deadlines of the pieces of the window: the first at once, the next this much later each.
  private static final long DEADLINE_STEP_MILLIS = 100;

  private final TorrentControl control;
  private final PieceStore store;
  private final PieceMap map;
  private final int file;
  private final long length;
  private final Duration readTimeout;
  private final Set<Integer> held = new HashSet<>();
  private long position;
  private int windowStart = -1;
  private long rate;
  private long rateSince;
  private long readSince;
  private volatile boolean open = true;
  private volatile @Nullable CompletableFuture<Void> waiting;

  TorrentFileChannel(TorrentControl control, PieceStore store, int file, Duration readTimeout) {
    this.control = control;
    this.store = store;
    this.map = store.map();
    this.file = file;
    this.length = map.fileLength(file);
    this.readTimeout = readTimeout;
    this.rateSince = control.nanoTime();
  }

  /** {@return an {@link InputStream} that reads this channel from its position on} */
  public InputStream inputStream() {
    return Channels.newInputStream(this);
  }

  @Override
  public synchronized int read(ByteBuffer dst) throws IOException {
    ensureOpen();
    if (position >= length) {
      return -1;
    }
    if (!dst.hasRemaining()) {
      return 0;
    }
    PieceMap.PiecePosition at = map.locate(file, position);
    int piece = at.piece();
    moveWindow(piece);
    awaitVerified(piece);
    int n =
        (int)
            Math.min(
                Math.min(dst.remaining(), map.pieceSize(piece) - at.offset()), length - position);
    ByteBuffer into = dst.slice().limit(n);
    store.readBlock(piece, at.offset(), into);
    dst.position(dst.position() + n);
    position += n;
    measure(n);
    return n;
  }

  /** Counts {@code n} bytes read into the rate, a mean over the last second or so. */
  private void measure(int n) {
    readSince += n;
    long now = control.nanoTime();
    long elapsed = now - rateSince;
    if (elapsed >= TimeUnit.MILLISECONDS.toNanos(500)) {
      long recent = readSince * TimeUnit.SECONDS.toNanos(1) / elapsed;
      rate = rate == 0 ? recent : (rate + recent) / 2;
      readSince = 0;
      rateSince = now;
    }
  }

  /**
   * Asks for the pieces from {@code piece} on, as many as the rate calls for; lets go of others.
   */
  private void moveWindow(int piece) {
    if (piece == windowStart) {
      return;
    }
    windowStart = piece;
    long bytes = Math.min(MAX_WINDOW_BYTES, rate * WINDOW_NANOS / TimeUnit.SECONDS.toNanos(1));
    int pieces = (int) Math.max(MIN_WINDOW_PIECES, bytes / map.pieceLength() + 1);
    int last = Math.min(map.lastPiece(file), piece + pieces - 1);
    Set<Integer> window = new HashSet<>();
    for (int p = piece; p <= last; p++) {
      window.add(p);
      if (held.add(p)) {
        control.holdDeadline(p, Duration.ofMillis((p - piece) * DEADLINE_STEP_MILLIS));
      }
    }
    for (Integer p : Set.copyOf(held)) {
      if (!window.contains(p)) {
        held.remove(p);
        control.releaseDeadline(p);
      }
    }
  }

  private void awaitVerified(int piece) throws IOException {
    CompletableFuture<Void> verified = control.whenPieceVerified(piece);
    waiting = verified;
    if (!open) {
      verified.cancel(false); // closed while this read began
    }
    try {
      verified.get(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      throw new ClosedByInterruptException();
    } catch (TimeoutException e) {
      verified.cancel(false);
      throw new InterruptedIOException(
          "piece " + piece + " was not downloaded within " + readTimeout.toMillis() + " ms");
    } catch (CancellationException e) {
      throw new AsynchronousCloseException();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IOException("cannot read: " + cause.getMessage(), cause);
    } finally {
      waiting = null;
    }
  }

  /**
   * Not supported: the channel reads.
   *
   * @throws NonWritableChannelException always
   */
  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public synchronized long position() throws IOException {
    ensureOpen();
    return position;
  }

  /**
   * Moves to {@code newPosition}; a read there asks for the pieces there. A position at or beyond
   * the end reads the end of the file.
   *
   * @throws IllegalArgumentException if negative
   */
  @Override
  public synchronized SeekableByteChannel position(long newPosition) throws IOException {
    checkArgument(newPosition >= 0, "negative position: %s", newPosition);
    ensureOpen();
    position = newPosition;
    return this;
  }

  /** Returns the length of the file, as the torrent gives it. */
  @Override
  public long size() throws IOException {
    ensureOpen();
    return length;
  }

  /**
   * Not supported: the channel reads.
   *
   * @throws NonWritableChannelException always
   */
  @Override
  public SeekableByteChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  /** Closes the channel: a read that waits ends, and the pieces it asked for are let go. */
  @Override
  public void close() {
    if (!open) {
      return;
    }
    open = false;
    CompletableFuture<Void> w = waiting;
    if (w != null) {
      w.cancel(false);
    }
    synchronized (this) {
      held.forEach(control::releaseDeadline);
      held.clear();
    }
  }

  private void ensureOpen() throws ClosedChannelException {
    if (!open) {
      throw new ClosedChannelException();
    }
  }
}
