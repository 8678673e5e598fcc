package dev.bitwright.session;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.storage.FileState;
import dev.bitwright.storage.FileSystemStorage;
import dev.bitwright.storage.Storage;
import dev.bitwright.storage.StorageException;
import dev.bitwright.storage.StorageLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The file system storage with faults switched on and off by the test: writes and deletions that
 * fail as a full or read-only disk would; and the bytes read through it, counted.
 */
final class FaultyStorage implements Storage {
  /** The switches, shared by every storage a factory opens. */
  static final class Faults {
    volatile boolean writes;
    volatile boolean deletes;
    final AtomicLong bytesRead = new AtomicLong();
  }

  private final Faults faults;
  private final Storage files;

  private FaultyStorage(Faults faults, Storage files) {
    this.faults = faults;
    this.files = files;
  }

  /** Returns a factory of storages whose faults {@code faults} switches. */
  static StorageFactory factory(Faults faults) {
    return (folder, torrent) -> open(faults, folder, torrent);
  }

  private static FaultyStorage open(Faults faults, StorageLayout layout, Torrent torrent)
      throws IOException {
    return new FaultyStorage(faults, FileSystemStorage.open(layout, torrent));
  }

  @Override
  public int read(int file, long position, ByteBuffer target) throws IOException {
    int n = files.read(file, position, target);
    faults.bytesRead.addAndGet(Math.max(0, n));
    return n;
  }

  @Override
  public void write(int file, long position, ByteBuffer source) throws IOException {
    if (faults.writes) {
      throw new StorageException("write", "file " + file, "no space left on device", null);
    }
    files.write(file, position, source);
  }

  @Override
  public long transferTo(int file, long position, long count, WritableByteChannel target)
      throws IOException {
    return files.transferTo(file, position, count, target);
  }

  @Override
  public Optional<FileState> state(int file) throws IOException {
    return files.state(file);
  }

  @Override
  public void flush() throws IOException {
    files.flush();
  }

  @Override
  public void delete() throws IOException {
    if (faults.deletes) {
      throw new StorageException("delete", "file 0", "permission denied", null);
    }
    files.delete();
  }

  @Override
  public void close() throws IOException {
    files.close();
  }
}
