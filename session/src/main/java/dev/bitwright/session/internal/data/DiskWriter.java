package dev.bitwright.session.internal.data;

import dev.bitwright.session.internal.jfr.DiskWriteEvent;
import dev.bitwright.session.internal.net.EngineLoop;
import dev.bitwright.session.internal.peer.Block;
import dev.bitwright.session.internal.telemetry.DiskCounters;
import dev.bitwright.storage.PieceStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes received blocks on the disk executor in batches: blocks queue up, one task at a time
 * drains the queue, and the completions go back to the loop in one task per batch. At full speed
 * this replaces two thread hand-offs per 16 KiB block with two per batch.
 */
public final class DiskWriter {
  /**
   * A block to write, when it was queued (the loop's clock) and what to do once it is written (on
   * the loop).
   */
  record Job(PieceStore store, Block block, ByteBuffer data, long queuedAt, Done done) {}

  /** Called on the loop thread after the write, with the failure or null. */
  interface Done {
    void written(Job job, IOException failure);
  }

  private final Executor disk;
  private final EngineLoop loop;
  private final DiskCounters counters;
  private final ConcurrentLinkedQueue<Job> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();

  /**
   * Writes on {@code disk}, completes on {@code loop}, and counts each write in {@code counters}.
   */
  public DiskWriter(Executor disk, EngineLoop loop, DiskCounters counters) {
    this.disk = disk;
    this.loop = loop;
    this.counters = counters;
  }

  /** Returns the counters of the writes. */
  public DiskCounters counters() {
    return counters;
  }

  /** Queues a write (loop thread). */
  void write(Job job) {
    queue.add(job);
    if (!draining.getAndSet(true)) {
      disk.execute(this::drain);
    }
  }

  private void drain() {
    List<Job> done = new ArrayList<>();
    List<IOException> failures = new ArrayList<>();
    while (true) {
      Job job;
      while ((job = queue.poll()) != null) {
        IOException failure = null;
        DiskWriteEvent event = DiskWriteEvent.start();
        long started = loop.nanoTime();
        long queueTime = started - job.queuedAt();
        try {
          job.store().writeBlock(job.block().piece(), job.block().offset(), job.data());
          counters.written(job.block().length(), loop.nanoTime() - started, queueTime);
          event.record(
              job.store().torrent().infoHashes(),
              job.block().piece(),
              job.block().offset(),
              job.block().length(),
              false,
              queueTime);
        } catch (IOException e) {
          failure = e;
        } catch (RuntimeException e) {
          failure = new IOException(e);
        }
        done.add(job);
        failures.add(failure);
      }
      List<Job> batch = List.copyOf(done);
      List<IOException> batchFailures = new ArrayList<>(failures);
      done.clear();
      failures.clear();
      if (!batch.isEmpty()) {
        loop.execute(
            () -> {
              for (int i = 0; i < batch.size(); i++) {
                batch.get(i).done().written(batch.get(i), batchFailures.get(i));
              }
            });
      }
      draining.set(false);
      // A job queued after the poll above but before the flag was cleared must not wait.
      if (queue.isEmpty() || draining.getAndSet(true)) {
        return;
      }
    }
  }
}
