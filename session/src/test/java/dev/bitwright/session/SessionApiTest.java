package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shape of the session's API as an application meets it: handles that are equal for one
 * torrent, adding with and without waiting, removing with options, status snapshots that can grow.
 */
@Timeout(60)
class SessionApiTest {
  @TempDir Path dir;

  private Torrent torrent(String name, long seed) throws Exception {
    Path payload = Swarm.payload(dir.resolve(name), seed, 70_000, 3);
    return TorrentBuilder.create(payload).pieceLength(64 * 1024).build();
  }

  @Test
  void handlesOfOneTorrentAreEqualAndThoseOfAnotherAreNot() throws Exception {
    Torrent first = torrent("a", 1);
    Torrent second = torrent("b", 2);
    try (TorrentSession session = TorrentSession.start(Swarm.config().build())) {
      TorrentHandle a = session.add(AddTorrent.torrent(first, dir.resolve("a")).build());
      TorrentHandle b =
          session
              .addAsync(AddTorrent.torrent(second, dir.resolve("b")).build())
              .get(10, TimeUnit.SECONDS);
      List<TorrentHandle> all = session.torrents();
      assertThat(all).containsExactly(a, b);
      assertThat(session.torrents()).isEqualTo(all);
      assertThat(all.get(0)).hasSameHashCodeAs(a).isNotEqualTo(b);
      session.remove(a).get(10, TimeUnit.SECONDS);
      assertThat(session.torrents()).containsExactly(b);
      TorrentHandle again = session.add(AddTorrent.torrent(first, dir.resolve("a")).build());
      assertThat(again).as("a torrent added again is another torrent").isNotEqualTo(a);
    }
  }

  @Test
  void addingTwiceFailsBothWays() throws Exception {
    Torrent t = torrent("a", 1);
    try (TorrentSession session = TorrentSession.start(Swarm.config().build())) {
      session.add(AddTorrent.torrent(t, dir.resolve("a")).build());
      assertThatThrownBy(() -> session.add(AddTorrent.torrent(t, dir.resolve("a")).build()))
          .isInstanceOf(DuplicateTorrentException.class);
      assertThatThrownBy(
              () -> session.addAsync(AddTorrent.torrent(t, dir.resolve("a")).build()).join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(DuplicateTorrentException.class);
    }
  }

  @Test
  void removingKeepsTheFilesUnlessAskedToDeleteThem() throws Exception {
    Torrent t = torrent("a", 1);
    Path file = dir.resolve("a").resolve("payload").resolve("f0.bin");
    try (TorrentSession session = TorrentSession.start(Swarm.config().build())) {
      TorrentHandle kept = session.add(AddTorrent.torrent(t, dir.resolve("a")).build());
      kept.completion().get(10, TimeUnit.SECONDS);
      session.remove(kept).get(10, TimeUnit.SECONDS);
      assertThat(file).exists();
      TorrentHandle deleted = session.add(AddTorrent.torrent(t, dir.resolve("a")).build());
      deleted.completion().get(10, TimeUnit.SECONDS);
      session.remove(deleted, RemoveOption.DELETE_FILES).get(10, TimeUnit.SECONDS);
      assertThat(Files.exists(file)).isFalse();
    }
  }

  @Test
  void aStatusSnapshotIsMadeByABuilderWithDefaultsForWhatItIsNotGiven() {
    TorrentStatus fresh = TorrentStatus.builder().build();
    assertThat(fresh.name()).isEmpty();
    assertThat(fresh.state()).isEqualTo(TorrentState.CHECKING);
    assertThat(fresh.peers()).isEmpty();
    assertThat(fresh.eta()).isEmpty();
    assertThat(fresh.piecesAssumed()).isZero();
    TorrentStatus some =
        TorrentStatus.builder()
            .name("patch")
            .state(TorrentState.DOWNLOADING)
            .bytesDone(5)
            .eta(Optional.of(Duration.ofSeconds(3)))
            .build();
    assertThat(some.toBuilder().build()).isEqualTo(some).hasSameHashCodeAs(some);
    assertThat(some.toBuilder().bytesDone(6).build()).isNotEqualTo(some);
    assertThat(some.toString()).contains("patch").contains("DOWNLOADING");
  }
}
