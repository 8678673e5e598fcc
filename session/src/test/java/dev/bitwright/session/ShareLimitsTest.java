package dev.bitwright.session;

import static dev.bitwright.session.Swarm.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Seeding stops at a share ratio or after a seed time, the torrent's own or the session's. */
@Timeout(60)
class ShareLimitsTest {
  @TempDir Path dir;
  Path seedDir;
  Torrent torrent;

  @BeforeEach
  void payload() throws Exception {
    seedDir = dir.resolve("seed");
    torrent =
        TorrentBuilder.create(Swarm.payload(seedDir, 51, 2 * MIB)).pieceLength(64 * 1024).build();
  }

  private static void awaitState(TorrentHandle handle, TorrentState state) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (handle.status().state() != state && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(handle.status().state()).isEqualTo(state);
  }

  @Test
  void aSeedPausesOnceItHasUploadedItsRatio() throws Exception {
    try (TorrentSession seeder = TorrentSession.start(Swarm.config().build());
        TorrentSession leecher = TorrentSession.start(Swarm.config().build())) {
      TorrentHandle seed =
          seeder.add(AddTorrent.torrent(torrent, seedDir).shareLimits(1.0, Duration.ZERO).build());
      seed.completion().get(10, TimeUnit.SECONDS);
      Thread.sleep(1500);
      assertThat(seed.status().state()).as("ratio 0 so far").isEqualTo(TorrentState.SEEDING);
      leecher
          .add(AddTorrent.torrent(torrent, dir.resolve("dl")).peer(Swarm.address(seeder)).build())
          .completion()
          .get(20, TimeUnit.SECONDS);
      awaitState(seed, TorrentState.PAUSED);
      assertThat(seed.status().uploaded()).isGreaterThanOrEqualTo(torrent.totalLength());
    }
  }

  @Test
  void aSeedPausesAfterTheSessionsSeedTimeAndAgainWhenResumedPastIt() throws Exception {
    SessionConfig config =
        Swarm.config()
            .settings(SessionSettings.builder().seedTimeLimit(Duration.ofSeconds(1)).build())
            .build();
    AtomicInteger pauses = new AtomicInteger();
    try (TorrentSession seeder = TorrentSession.start(config)) {
      seeder.addListener(
          e -> {
            if (e instanceof SessionEvent.StateChanged c && c.to() == TorrentState.PAUSED) {
              pauses.incrementAndGet();
            }
          });
      long start = System.nanoTime();
      TorrentHandle seed = seeder.add(AddTorrent.torrent(torrent, seedDir).build());
      seed.completion().get(10, TimeUnit.SECONDS);
      awaitState(seed, TorrentState.PAUSED);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(1000);
      int pausedBefore = pauses.get();
      seed.resume();
      // The status may still say PAUSED from before the resume: count the pauses instead.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (pauses.get() == pausedBefore && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(pauses.get()).as("paused again after the resume").isGreaterThan(pausedBefore);
      awaitState(seed, TorrentState.PAUSED);
    }
  }

  @Test
  void limitsAreChecked() {
    assertThatThrownBy(() -> SessionSettings.builder().shareRatioLimit(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SessionSettings.builder().seedTimeLimit(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                AddTorrent.torrent(torrent, dir)
                    .shareLimits(Double.POSITIVE_INFINITY, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
