package dev.bitwright.session.internal.telemetry;

import java.util.concurrent.atomic.LongAdder;

/**
 * The session's disk figures: writes of downloaded data (on the disk threads) and reads of stored
 * data to upload (on the loop). Any thread; adding allocates nothing.
 */
public final class DiskCounters {
  private final LongAdder writes = new LongAdder();
  private final LongAdder writtenBytes = new LongAdder();
  private final LongAdder writeNanos = new LongAdder();
  private final LongAdder writeQueueNanos = new LongAdder();
  private final LongAdder reads = new LongAdder();
  private final LongAdder readBytes = new LongAdder();
  private final LongAdder readNanos = new LongAdder();

  /** Counts a write of {@code bytes} that took {@code nanos} after waiting {@code queueNanos}. */
  public void written(long bytes, long nanos, long queueNanos) {
    writes.increment();
    writtenBytes.add(bytes);
    writeNanos.add(nanos);
    writeQueueNanos.add(queueNanos);
  }

  /** Counts a read of {@code bytes} that took {@code nanos}. */
  public void read(long bytes, long nanos) {
    reads.increment();
    readBytes.add(bytes);
    readNanos.add(nanos);
  }

  /** Returns the writes counted. */
  public long writes() {
    return writes.sum();
  }

  /** Returns the bytes written. */
  public long writtenBytes() {
    return writtenBytes.sum();
  }

  /** Returns the time spent writing. */
  public long writeNanos() {
    return writeNanos.sum();
  }

  /** Returns the time writes waited in the queue. */
  public long writeQueueNanos() {
    return writeQueueNanos.sum();
  }

  /** Returns the reads counted. */
  public long reads() {
    return reads.sum();
  }

  /** Returns the bytes read. */
  public long readBytes() {
    return readBytes.sum();
  }

  /** Returns the time spent reading. */
  public long readNanos() {
    return readNanos.sum();
  }
}
