package dev.bitwright.dht.internal;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per source IP: each IP may send {@code ratePerSecond} queries per second on
 * average, with bursts of twice that. At most {@code maxSources} IPs are remembered; the least
 * recently seen is forgotten first, so a flood from many (spoofed) addresses costs bounded memory.
 * A forgotten IP starts again with a full bucket, which can only make the limiter more lenient.
 */
public final class SourceRateLimiter {
  private static final class Bucket {
    double tokens;
    long updated;

    Bucket(double tokens, long updated) {
      this.tokens = tokens;
      this.updated = updated;
    }
  }

  private final double ratePerNano;
  private final double burst;
  private final Map<InetAddress, Bucket> buckets;

  /** Creates a limiter. */
  public SourceRateLimiter(int ratePerSecond, int maxSources) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = 2.0 * ratePerSecond;
    this.buckets =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
            return size() > maxSources;
          }
        };
  }

  /** Takes one query's worth from {@code source}'s bucket; false when the bucket is empty. */
  public boolean tryAcquire(InetAddress source, long nowNanos) {
    Bucket bucket = buckets.get(source);
    if (bucket == null) {
      buckets.put(source, new Bucket(burst - 1, nowNanos));
      return true;
    }
    bucket.tokens = Math.min(burst, bucket.tokens + (nowNanos - bucket.updated) * ratePerNano);
    bucket.updated = nowNanos;
    if (bucket.tokens < 1) {
      return false;
    }
    bucket.tokens -= 1;
    return true;
  }

  /** Returns how many sources are remembered. */
  public int trackedSources() {
    return buckets.size();
  }
}
