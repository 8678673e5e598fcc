package dev.bitwright.storage;

import static com.google.common.base.Preconditions.checkArgument;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link Storage} in memory, for tests and small payloads. Files are kept in 64 KiB chunks,
 * allocated when first written, so a sparse torrent costs only what was written. Bytes never
 * written read as zeros up to the highest offset written. The {@link FileState#modified()
 * modification time} is a counter that grows with every write.
 *
 * <p>Thread-safe.
 */
public final class InMemoryStorage implements Storage {
  private static final int CHUNK = 64 * 1024;

  private final Map<Integer, StoredFile> files = new HashMap<>();
  private long writes;
  private boolean closed;

  /** Creates an empty storage. */
  public InMemoryStorage() {}

  private static final class StoredFile {
    final Map<Long, byte[]> chunks = new HashMap<>();
    long size;
    long modified;
  }

  @Override
  public synchronized int read(int file, long position, ByteBuffer target) {
    checkOpen();
    checkArgument(position >= 0, "negative position");
    StoredFile stored = files.get(file);
    if (stored == null || position >= stored.size) {
      return 0;
    }
    int n = (int) Math.min(target.remaining(), stored.size - position);
    for (int done = 0; done < n; ) {
      long at = position + done;
      int inChunk = (int) (at % CHUNK);
      int len = Math.min(n - done, CHUNK - inChunk);
      byte[] chunk = stored.chunks.get(at / CHUNK);
      if (chunk == null) {
        target.put(new byte[len]);
      } else {
        target.put(chunk, inChunk, len);
      }
      done += len;
    }
    return n;
  }

  @Override
  public synchronized void write(int file, long position, ByteBuffer source) {
    checkOpen();
    checkArgument(position >= 0, "negative position");
    StoredFile stored = files.computeIfAbsent(file, k -> new StoredFile());
    long at = position;
    while (source.hasRemaining()) {
      int inChunk = (int) (at % CHUNK);
      int len = Math.min(source.remaining(), CHUNK - inChunk);
      source.get(stored.chunks.computeIfAbsent(at / CHUNK, k -> new byte[CHUNK]), inChunk, len);
      at += len;
    }
    if (at > position) {
      stored.size = Math.max(stored.size, at);
    }
    stored.modified = ++writes;
  }

  @Override
  public synchronized Optional<FileState> state(int file) {
    checkOpen();
    StoredFile stored = files.get(file);
    return stored == null
        ? Optional.empty()
        : Optional.of(new FileState(stored.size, stored.modified));
  }

  /** Nothing to force: memory is as durable as it gets. */
  @Override
  public void flush() {}

  @Override
  public synchronized void delete() {
    files.clear();
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("storage is closed");
    }
  }
}
