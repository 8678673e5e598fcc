package dev.bitwright.dht;

/**
 * A running iterative lookup started by {@link DhtNode}. Not thread-safe: use it on the thread that
 * drives the node.
 */
public interface DhtLookup {
  /** {@return the id or info-hash being looked up} */
  NodeId target();

  /** {@return whether the lookup has ended, by converging or by {@link #cancel}} */
  boolean isDone();

  /**
   * Stops the lookup: no more queries are sent, answers still in flight are ignored, and the
   * listener's {@code lookupDone} is called now unless the lookup had already ended.
   *
   * @param nowNanos the current time
   */
  void cancel(long nowNanos);

  /**
   * {@return the lookup's progress so far (its final figures once done)}
   *
   * @param nowNanos the current time, for the duration of a running lookup
   */
  LookupStats progress(long nowNanos);
}
