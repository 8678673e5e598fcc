package dev.bitwright.session;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the I/O loop dies of an unexpected error (here an {@code OutOfMemoryError} thrown on it),
 * the session must say so: every torrent fails, their futures complete, the listeners are told, and
 * the session refuses new work instead of looking alive.
 */
@Timeout(30)
class LoopFailureTest {
  @TempDir Path dir;

  @Test
  void aDeadLoopFailsEveryTorrentAndTheSessionLoudly() throws Exception {
    Torrent waiting = TorrentBuilder.create(Swarm.payload(dir.resolve("a"), 91, 100_000)).build();
    Torrent poison = TorrentBuilder.create(Swarm.payload(dir.resolve("b"), 92, 100_000)).build();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    try (TorrentSession session = TorrentSession.start(Swarm.config().build())) {
      session.addListener(
          new SessionListener() {
            @Override
            public void onEvent(SessionEvent event) {}

            @Override
            public void onSessionFailed(Throwable cause) {
              failures.add(cause);
            }
          });
      TorrentHandle handle = session.add(AddTorrent.torrent(waiting, dir.resolve("dl")).build());
      StorageFactory outOfMemory =
          (folder, torrent) -> {
            throw new OutOfMemoryError("Cannot reserve 262144 bytes of direct buffer memory");
          };
      // The loop dies while adding it: the call fails or times out, whichever comes first.
      try {
        session.add(AddTorrent.torrent(poison, dir.resolve("b2")).storage(outOfMemory).build());
      } catch (IllegalStateException expected) {
        // the session did not answer
      }
      assertThatThrownBy(() -> handle.completion().get(10, SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(TorrentFailedException.class)
          .hasMessageContaining("I/O loop failed")
          .hasMessageContaining("direct buffer memory");
      assertThat(handle.status().state()).isEqualTo(TorrentState.ERROR);
      assertThat(session.failure()).containsInstanceOf(OutOfMemoryError.class);
      Swarm.await(Duration.ofSeconds(5), "the listeners told", () -> !failures.isEmpty());
      assertThat(failures).singleElement().isInstanceOf(OutOfMemoryError.class);
      assertThatThrownBy(() -> session.add(AddTorrent.torrent(poison, dir.resolve("c")).build()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("session failed");
    }
  }
}
