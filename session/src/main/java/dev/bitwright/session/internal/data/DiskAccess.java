package dev.bitwright.session.internal.data;

import dev.bitwright.session.internal.net.EngineLoop;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;

/**
 * The disk resources a torrent's data shares with the session's other torrents: the loop, the disk
 * executor and writer, the buffer pools, and the count of bytes waiting for the disk (the session
 * stops reading from peers when too many wait).
 */
public interface DiskAccess {
  /** Returns the loop the data's results come back to. */
  EngineLoop loop();

  /** Returns the executor for disk work (checks, hashing, resume data). */
  Executor disk();

  /** Returns a random source (the picker's). */
  RandomGenerator random();

  /** Returns the writer that queues block writes. */
  DiskWriter diskWriter();

  /** Returns the pool of block buffers. */
  BlockBuffers blockBuffers();

  /** Returns the pool of piece buffers. */
  PieceBuffers pieceBuffers();

  /** Counts bytes queued for the disk. */
  void diskQueued(int bytes);

  /** Counts bytes the disk has written. */
  void diskDone(int bytes);
}
