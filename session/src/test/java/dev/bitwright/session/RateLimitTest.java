package dev.bitwright.session;

import static dev.bitwright.session.Swarm.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 4 MiB through a 1 MiB/s limit: a token bucket starts with one second's worth, so the transfer
 * takes about 3 s, and the measured rates (five-second averages) stay near the limit.
 */
@Timeout(60)
class RateLimitTest {
  private static final long LIMIT = MIB;

  @TempDir Path dir;
  Path seedDir;
  Torrent torrent;

  @BeforeEach
  void payload() throws Exception {
    seedDir = dir.resolve("seed");
    torrent =
        TorrentBuilder.create(Swarm.payload(seedDir, 3, 4 * MIB)).pieceLength(64 * 1024).build();
  }

  /** The highest rates seen while the download ran. */
  private static final class Peaks {
    final AtomicLong upload = new AtomicLong();
    final AtomicLong download = new AtomicLong();

    void sample(TorrentHandle seed, TorrentHandle leech) {
      upload.accumulateAndGet(seed.status().uploadRate(), Math::max);
      download.accumulateAndGet(leech.status().downloadRate(), Math::max);
    }
  }

  /**
   * Downloads the torrent from a seed with a torrent upload limit of {@code seedUp} to a leecher
   * with a torrent download limit of {@code leechDown} set through its handle (0: none), checks the
   * bytes and the peak rates, and returns how long it took.
   */
  private long downloadMillis(
      SessionConfig seederConfig,
      SessionConfig leecherConfig,
      long seedUp,
      boolean uploadLimited,
      long leechDown)
      throws Exception {
    Peaks peaks = new Peaks();
    long elapsed;
    try (TorrentSession seeder = TorrentSession.start(seederConfig);
        TorrentSession leecher = TorrentSession.start(leecherConfig)) {
      TorrentHandle seed =
          seeder.add(AddTorrent.torrent(torrent, seedDir).rateLimits(0, seedUp).build());
      seed.completion().get(20, TimeUnit.SECONDS);
      long start = System.nanoTime();
      TorrentHandle leech =
          leecher.add(
              AddTorrent.torrent(torrent, dir.resolve("download"))
                  .peer(Swarm.address(seeder))
                  .paused(leechDown > 0)
                  .build());
      if (leechDown > 0) { // set through the handle, before it starts
        leech.setRateLimits(leechDown, 0);
        leech.resume();
      }
      while (!leech.completion().isDone()) {
        peaks.sample(seed, leech);
        Thread.sleep(100);
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(30));
      }
      elapsed = System.nanoTime() - start;
      leech.completion().get();
      Swarm.assertSameFiles(torrent, seedDir, dir.resolve("download"));
    }
    // At most one second's burst plus five seconds at the limit, over five seconds.
    long ceiling = LIMIT * 6 / 5 + LIMIT / 20;
    if (uploadLimited) { // (without, the seed may fill the socket buffers faster)
      assertThat(peaks.upload.get()).isLessThanOrEqualTo(ceiling).isGreaterThan(LIMIT / 4);
    }
    assertThat(peaks.download.get()).isLessThanOrEqualTo(ceiling).isGreaterThan(LIMIT / 4);
    return TimeUnit.NANOSECONDS.toMillis(elapsed);
  }

  @Test
  void aTorrentUploadLimitOnTheSeedSlowsTheDownload() throws Exception {
    SessionConfig config = Swarm.config().build();
    assertThat(downloadMillis(config, config, LIMIT, true, 0)).isBetween(2_500L, 20_000L);
  }

  @Test
  void theSessionDownloadLimitOfTheLeecherSlowsTheDownload() throws Exception {
    SessionConfig plain = Swarm.config().build();
    SessionConfig limited = Swarm.config().downloadRateLimit(LIMIT).build();
    assertThat(downloadMillis(plain, limited, 0, false, 0)).isBetween(2_500L, 20_000L);
  }

  @Test
  void theSessionUploadLimitOfTheSeedSlowsTheDownload() throws Exception {
    SessionConfig limited = Swarm.config().uploadRateLimit(LIMIT).build();
    assertThat(downloadMillis(limited, Swarm.config().build(), 0, true, 0))
        .isBetween(2_500L, 20_000L);
  }

  @Test
  void aTorrentDownloadLimitSetThroughTheHandleSlowsTheDownload() throws Exception {
    SessionConfig config = Swarm.config().build();
    assertThat(downloadMillis(config, config, 0, false, LIMIT)).isBetween(2_500L, 20_000L);
  }
}
