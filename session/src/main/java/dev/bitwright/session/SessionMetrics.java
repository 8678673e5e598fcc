package dev.bitwright.session;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import dev.bitwright.metainfo.InfoHashes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The session's {@link Metric metrics} at one moment, taken on the I/O thread by {@link
 * TorrentSession#metrics()}: the session's own and each torrent's. Immutable.
 *
 * <p>Cheap to take every second, even with many torrents and peers. Rates come from the difference
 * of two snapshots' counters over the difference of their {@link #uptime()}s.
 *
 * <p>Code that makes snapshots of its own (a fake in a test) uses {@link #builder}; a metric a
 * builder is not given is 0.
 */
public final class SessionMetrics {
  private final Instant time;
  private final Duration uptime;
  private final long[] values;
  private final List<TorrentMetrics> torrents;

  private SessionMetrics(Builder b) {
    this.time = b.time;
    this.uptime = b.uptime;
    this.values = b.values.clone();
    this.torrents = ImmutableList.copyOf(b.torrents);
  }

  /**
   * {@return a builder of a snapshot taken at {@code time}, {@code uptime} after the session
   * started}
   *
   * @param time the wall-clock time of the snapshot
   * @param uptime how long the session had run when the snapshot was taken
   */
  public static Builder builder(Instant time, Duration uptime) {
    return new Builder(time, uptime);
  }

  /** {@return when the snapshot was taken, by the session's clock} */
  public Instant time() {
    return time;
  }

  /**
   * {@return how long the session had run when the snapshot was taken, by its monotonic ticker: the
   * time base for rates}
   */
  public Duration uptime() {
    return uptime;
  }

  /**
   * {@return the value of {@code metric}: the session's own, or for a {@linkplain
   * Metric.Scope#TORRENT torrent-scope} metric the sum over {@link #torrents()}}
   *
   * @param metric any metric, session or torrent scope
   */
  public long get(Metric metric) {
    if (metric.scope() == Metric.Scope.SESSION) {
      return values[metric.ordinal()];
    }
    long sum = 0;
    for (TorrentMetrics t : torrents) {
      sum += t.get(metric);
    }
    return sum;
  }

  /** {@return the metrics of each torrent in the session, in the order they were added} */
  public List<TorrentMetrics> torrents() {
    return torrents;
  }

  /**
   * {@return the metrics of the torrent with {@code infoHashes}, if it is in the session}
   *
   * @param infoHashes the torrent's info-hashes
   */
  public Optional<TorrentMetrics> torrent(InfoHashes infoHashes) {
    for (TorrentMetrics t : torrents) {
      if (t.infoHashes().equals(infoHashes)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SessionMetrics m
        && time.equals(m.time)
        && uptime.equals(m.uptime)
        && Arrays.equals(values, m.values)
        && torrents.equals(m.torrents);
  }

  @Override
  public int hashCode() {
    return time.hashCode() * 31 + Arrays.hashCode(values);
  }

  /** Returns every metric as {@code key=value}, the torrent-scope ones summed. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("SessionMetrics{").append(time);
    for (Metric m : Metric.values()) {
      s.append(", ").append(m.key()).append('=').append(get(m));
    }
    return s.append('}').toString();
  }

  /** Builds {@link SessionMetrics}; every metric starts at 0, with no torrents. */
  public static final class Builder {
    private final Instant time;
    private final Duration uptime;
    private final long[] values = new long[Metric.values().length];
    private final List<TorrentMetrics> torrents = new ArrayList<>();

    private Builder(Instant time, Duration uptime) {
      this.time = checkNotNull(time, "time");
      this.uptime = checkNotNull(uptime, "uptime");
    }

    /**
     * Sets the session-scope {@code metric} to {@code value}.
     *
     * @param metric a session-scope metric
     * @param value the metric's value; not negative
     * @return this builder
     * @throws IllegalArgumentException if {@code metric} is torrent-scope (those are the sums of
     *     {@link #torrent}s) or {@code value} is negative
     */
    public Builder set(Metric metric, long value) {
      checkArgument(
          metric.scope() == Metric.Scope.SESSION,
          "%s is kept per torrent: give the torrents' metrics",
          metric);
      checkArgument(value >= 0, "%s must not be negative: %s", metric, value);
      values[metric.ordinal()] = value;
      return this;
    }

    /**
     * Adds a torrent's metrics.
     *
     * @param metrics the metrics of one torrent of the session
     * @return this builder
     */
    public Builder torrent(TorrentMetrics metrics) {
      torrents.add(checkNotNull(metrics, "telemetry"));
      return this;
    }

    /** {@return the snapshot} */
    public SessionMetrics build() {
      return new SessionMetrics(this);
    }
  }
}
