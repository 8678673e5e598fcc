package dev.bitwright.session.internal.net;

/**
 * A task due at a deadline of a loop's clock; ordered by deadline (wrap-around safe), then by the
 * order of scheduling, so equal deadlines run first come, first served.
 */
final class ScheduledTask implements EngineLoop.Timer, Comparable<ScheduledTask> {
  final long deadline;
  final long sequence;
  // Dropped on cancel: a cancelled task waits in the queue until its deadline, and must not keep
  // what it would have touched (a closed connection, say) alive until then.
  Runnable task;
  boolean cancelled;

  ScheduledTask(long deadline, long sequence, Runnable task) {
    this.deadline = deadline;
    this.sequence = sequence;
    this.task = task;
  }

  @Override
  public void cancel() {
    cancelled = true;
    task = null;
  }

  @Override
  public int compareTo(ScheduledTask o) {
    int c = Long.compare(deadline - o.deadline, 0);
    return c != 0 ? c : Long.compare(sequence, o.sequence);
  }
}
