package dev.bitwright.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A storage for tests: delegates to another, records the files written and can be told to fail
 * reads at a file and position.
 */
final class TestStorage implements Storage {
  /** Decides whether a read fails. */
  @FunctionalInterface
  interface ReadFault {
    boolean fails(int file, long position);
  }

  private final Storage delegate;
  final List<Integer> writtenFiles = new CopyOnWriteArrayList<>();

  /** "flush" and "state N" calls, in order. */
  final List<String> events = new CopyOnWriteArrayList<>();

  final AtomicInteger reads = new AtomicInteger();
  private volatile ReadFault fault = (file, position) -> false;

  TestStorage(Storage delegate) {
    this.delegate = delegate;
  }

  TestStorage() {
    this(new InMemoryStorage());
  }

  /** Makes reads matching {@code fault} throw a StorageException (until changed). */
  void failReads(ReadFault fault) {
    this.fault = fault;
  }

  @Override
  public int read(int file, long position, ByteBuffer target) throws IOException {
    reads.incrementAndGet();
    if (fault.fails(file, position)) {
      throw new StorageException("read", "file " + file, "injected failure at " + position, null);
    }
    return delegate.read(file, position, target);
  }

  @Override
  public void write(int file, long position, ByteBuffer source) throws IOException {
    writtenFiles.add(file);
    delegate.write(file, position, source);
  }

  @Override
  public long transferTo(int file, long position, long count, WritableByteChannel target)
      throws IOException {
    return delegate.transferTo(file, position, count, target);
  }

  @Override
  public Optional<FileState> state(int file) throws IOException {
    events.add("state " + file);
    return delegate.state(file);
  }

  @Override
  public void flush() throws IOException {
    events.add("flush");
    delegate.flush();
  }

  @Override
  public void delete() throws IOException {
    delegate.delete();
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }
}
