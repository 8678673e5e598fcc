package dev.bitwright.tracker;

import com.google.common.collect.ImmutableList;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A tracker's answer to an announce.
 *
 * @param interval how long to wait before the next regular announce
 * @param minInterval the shortest wait the tracker accepts, if it says
 * @param seeders the number of seeders ({@code complete}), if given
 * @param leechers the number of leechers ({@code incomplete}), if given
 * @param peers peers, IPv4 and IPv6 (BEP 7), as IP literals; immutable
 * @param trackerId the {@code tracker id} to send back next time, if given
 * @param warning the tracker's {@code warning message}, if any
 * @param externalIp our address as the tracker sees it (BEP 24), if given
 */
public record AnnounceResponse(
    Duration interval,
    Optional<Duration> minInterval,
    OptionalInt seeders,
    OptionalInt leechers,
    List<InetSocketAddress> peers,
    Optional<String> trackerId,
    Optional<String> warning,
    Optional<InetAddress> externalIp) {
  /**
   * Creates a response; the list is copied.
   *
   * @param interval how long to wait before the next regular announce
   * @param minInterval the shortest wait the tracker accepts, if it says
   * @param seeders the number of seeders ({@code complete}), if given
   * @param leechers the number of leechers ({@code incomplete}), if given
   * @param peers peers, IPv4 and IPv6 (BEP 7), as IP literals; copied
   * @param trackerId the {@code tracker id} to send back next time, if given
   * @param warning the tracker's {@code warning message}, if any
   * @param externalIp our address as the tracker sees it (BEP 24), if given
   */
  public AnnounceResponse {
    peers = ImmutableList.copyOf(peers);
  }
}
