package dev.bitwright.session;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.bitwright.metainfo.InfoHashes;
import java.util.Arrays;

/**
 * One torrent's {@linkplain Metric.Scope#TORRENT torrent-scope} metrics in a {@link SessionMetrics}
 * snapshot. Immutable.
 *
 * <p>Code that makes snapshots of its own (a fake in a test) uses {@link #builder}; a metric a
 * builder is not given is 0.
 */
public final class TorrentMetrics {
  private final InfoHashes infoHashes;
  private final String name;
  private final long[] values;

  private TorrentMetrics(Builder b) {
    this.infoHashes = b.infoHashes;
    this.name = b.name;
    this.values = b.values.clone();
  }

  /**
   * {@return a builder of the metrics of the torrent with {@code infoHashes} and {@code name}}
   *
   * @param infoHashes the torrent's info-hashes
   * @param name the torrent's name
   */
  public static Builder builder(InfoHashes infoHashes, String name) {
    return new Builder(infoHashes, name);
  }

  /** {@return the torrent's info-hashes} */
  public InfoHashes infoHashes() {
    return infoHashes;
  }

  /**
   * {@return the torrent's name (the info-hash in hex while a magnet link's metadata is missing)}
   */
  public String name() {
    return name;
  }

  /**
   * {@return the value of {@code metric} for this torrent}
   *
   * @param metric a torrent-scope metric
   * @throws IllegalArgumentException if {@code metric} is not {@linkplain Metric.Scope#TORRENT
   *     torrent-scope}
   */
  public long get(Metric metric) {
    checkTorrentScope(metric);
    return values[metric.ordinal()];
  }

  static void checkTorrentScope(Metric metric) {
    checkArgument(
        metric.scope() == Metric.Scope.TORRENT,
        "%s is kept for the session, not per torrent",
        metric);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TorrentMetrics m
        && infoHashes.equals(m.infoHashes)
        && name.equals(m.name)
        && Arrays.equals(values, m.values);
  }

  @Override
  public int hashCode() {
    return infoHashes.hashCode() * 31 + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("TorrentMetrics{").append(name);
    for (Metric m : Metric.values()) {
      if (m.scope() == Metric.Scope.TORRENT) {
        s.append(", ").append(m.key()).append('=').append(values[m.ordinal()]);
      }
    }
    return s.append('}').toString();
  }

  /** Builds {@link TorrentMetrics}; every metric starts at 0. */
  public static final class Builder {
    private final InfoHashes infoHashes;
    private final String name;
    private final long[] values = new long[Metric.values().length];

    private Builder(InfoHashes infoHashes, String name) {
      this.infoHashes = checkNotNull(infoHashes, "infoHashes");
      this.name = checkNotNull(name, "name");
    }

    /**
     * Sets {@code metric} to {@code value}.
     *
     * @param metric a torrent-scope metric
     * @param value the metric's value; not negative
     * @return this builder
     * @throws IllegalArgumentException if {@code metric} is not torrent-scope or {@code value} is
     *     negative
     */
    public Builder set(Metric metric, long value) {
      checkTorrentScope(metric);
      checkArgument(value >= 0, "%s must not be negative: %s", metric, value);
      values[metric.ordinal()] = value;
      return this;
    }

    /** {@return the snapshot} */
    public TorrentMetrics build() {
      return new TorrentMetrics(this);
    }
  }
}
