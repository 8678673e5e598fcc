package dev.bitwright.session;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.storage.FilePriority;
import dev.bitwright.storage.StorageException;
import dev.bitwright.testing.MockPeer;
import dev.bitwright.testsupport.TestHttpServer;
import dev.bitwright.wire.ExtensionHandshake;
import dev.bitwright.wire.PeerMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a torrent ends, and what it tells others about it: errors and removals complete its future,
 * deletion is done when the removal says so, and a partial copy never passes for a seed.
 */
@Timeout(60)
class TorrentOutcomeTest {
  private static final int PIECE = 64 * 1024;

  @TempDir Path dir;
  Path seedDir;
  Torrent torrent;

  @BeforeEach
  void payload() throws Exception {
    seedDir = dir.resolve("seed");
    Path payload = Swarm.payload(seedDir, 21, 600_000, 700_000, 800_000, 900_000);
    torrent = TorrentBuilder.create(payload).pieceLength(PIECE).build();
  }

  @Test
  void aTorrentThatStopsOnAnErrorFailsItsCompletionAndResumeStartsANewAttempt() throws Exception {
    FaultyStorage.Faults faults = new FaultyStorage.Faults();
    faults.writes = true;
    try (TorrentSession seeder = Swarm.seeding(torrent, seedDir, 0);
        TorrentSession leecher = TorrentSession.start(Swarm.config().build())) {
      TorrentHandle handle =
          leecher.add(
              AddTorrent.torrent(torrent, dir.resolve("dl"))
                  .storage(FaultyStorage.factory(faults))
                  .peer(Swarm.address(seeder))
                  .build());
      assertThatThrownBy(() -> handle.completion().get(20, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(TorrentFailedException.class)
          .hasMessageContaining("no space left on device")
          .satisfies(
              e ->
                  assertThat(((TorrentFailedException) e).reason())
                      .isEqualTo(FailureReason.DISK_ERROR));
      assertThat(handle.status().state()).isEqualTo(TorrentState.ERROR);

      faults.writes = false;
      handle.resume();
      handle.addPeer(Swarm.address(seeder));
      handle.completion().get(20, TimeUnit.SECONDS);
      Swarm.assertSameFiles(torrent, seedDir, dir.resolve("dl"));
    }
  }

  @Test
  void aResumeThatFailsAgainFailsItsNewCompletionToo() throws Exception {
    StorageFactory broken =
        (folder, t) -> {
          throw new StorageException("open", "file 0", "read-only file system", null);
        };
    try (TorrentSession session = TorrentSession.start(Swarm.config().build())) {
      TorrentHandle handle =
          session.add(AddTorrent.torrent(torrent, dir.resolve("dl")).storage(broken).build());
      for (int attempt = 0; attempt < 2; attempt++) {
        assertThatThrownBy(() -> handle.completion().get(10, TimeUnit.SECONDS))
            .as("attempt %d", attempt)
            .isInstanceOf(ExecutionException.class)
            .cause()
            .isInstanceOf(TorrentFailedException.class)
            .hasMessageContaining("read-only file system");
        assertThat(handle.status().error()).isPresent();
        handle.resume();
      }
    }
  }

  @Test
  void aRemovedTorrentStaysRemovedWhateverTheHandleIsAskedAfterwards() throws Exception {
    try (TorrentSession session = TorrentSession.start(Swarm.config().build())) {
      TorrentHandle handle = session.add(AddTorrent.torrent(torrent, seedDir).build());
      handle.completion().get(20, TimeUnit.SECONDS);
      session.remove(handle).get(10, TimeUnit.SECONDS);
      handle.resume();
      Thread.sleep(300);
      assertThat(handle.status().state()).isEqualTo(TorrentState.REMOVED);
      assertThat(handle.completion()).isCompletedExceptionally();
    }
  }

  @Test
  void removeWithDeletionCompletesOnceTheFilesAreGone() throws Exception {
    try (TorrentSession session = TorrentSession.start(Swarm.config().build())) {
      TorrentHandle handle = session.add(AddTorrent.torrent(torrent, seedDir).build());
      handle.completion().get(20, TimeUnit.SECONDS);
      session.remove(handle, RemoveOption.DELETE_FILES).get(10, TimeUnit.SECONDS);
      assertThat(seedDir.resolve("payload")).doesNotExist();
    }
  }

  @Test
  void removeFailsWhenAFileCannotBeDeleted() throws Exception {
    FaultyStorage.Faults faults = new FaultyStorage.Faults();
    try (TorrentSession session = TorrentSession.start(Swarm.config().build())) {
      TorrentHandle handle =
          session.add(
              AddTorrent.torrent(torrent, seedDir).storage(FaultyStorage.factory(faults)).build());
      handle.completion().get(20, TimeUnit.SECONDS);
      faults.deletes = true;
      assertThatThrownBy(
              () -> session.remove(handle, RemoveOption.DELETE_FILES).get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("permission denied");
      assertThat(session.torrents()).isEmpty();
    }
  }

  /**
   * With files skipped, the torrent is finished, not seeding: trackers are told what is missing and
   * peers that it only uploads.
   */
  @Test
  void aPartialCopyIsFinishedNotSeeding() throws Exception {
    List<String> announces = new CopyOnWriteArrayList<>();
    try (TestHttpServer tracker = TestHttpServer.start();
        TorrentSession seeder = TorrentSession.start(Swarm.config().build());
        TorrentSession leecher = TorrentSession.start(Swarm.config().build())) {
      tracker.route(
          "/announce",
          exchange -> {
            announces.add(exchange.uri().getRawQuery());
            exchange.send(200, "d8:intervali1800e5:peers0:e".getBytes(StandardCharsets.US_ASCII));
          });
      Torrent tracked =
          TorrentBuilder.create(seedDir.resolve("payload"))
              .pieceLength(PIECE)
              .addTrackerTier(tracker.url("/announce"))
              .build();
      seeder.add(AddTorrent.torrent(tracked, seedDir).build()).completion().get(20, SECONDS);
      TorrentHandle handle =
          leecher.add(
              AddTorrent.torrent(tracked, dir.resolve("dl"))
                  .priorities(
                      List.of(
                          FilePriority.NORMAL,
                          FilePriority.SKIP,
                          FilePriority.NORMAL,
                          FilePriority.NORMAL))
                  .peer(Swarm.address(seeder))
                  .build());
      handle.completion().get(20, SECONDS);
      assertThat(handle.status().state()).isEqualTo(TorrentState.FINISHED);
      assertThat(handle.status().progress()).isEqualTo(1.0);

      // The pieces wholly inside the skipped file (bytes 600,000 to 1,300,000) are missing: the
      // tracker hears no "completed", and the next announce (the "stopped" of a pause, here) says
      // what is missing.
      long missing = (1_300_000 / PIECE - (600_000 + PIECE - 1) / PIECE) * (long) PIECE;
      String ours = "port=" + leecher.listenAddress().getPort();
      handle.pause();
      Swarm.await(
          Duration.ofSeconds(10),
          "the stopped announce in " + announces,
          () -> announces.stream().anyMatch(a -> a.contains(ours) && a.contains("event=stopped")));
      assertThat(announces)
          .filteredOn(a -> a.contains(ours) && a.contains("event=stopped"))
          .allMatch(a -> a.contains("left=" + missing + "&") || a.endsWith("left=" + missing));
      assertThat(announces)
          .filteredOn(a -> a.contains(ours))
          .noneMatch(a -> a.contains("event=completed"))
          .noneMatch(a -> a.contains("left=0&") || a.endsWith("left=0"));
      handle.resume();

      try (MockPeer peer =
          MockPeer.connect(
              Swarm.address(leecher), tracked.infoHashes().v1().orElseThrow().bytes())) {
        ExtensionHandshake extensions = peer.awaitExtensionHandshake(Duration.ofSeconds(5));
        assertThat(extensions.uploadOnly()).isTrue();
        assertThat(extensions.messages()).containsKey(ExtensionHandshake.UPLOAD_ONLY);
      }
    }
  }

  /** BEP 27: no PEX on a private torrent (and, to show the check can see it, PEX otherwise). */
  @Test
  void peerExchangeIsNeverSentForAPrivateTorrent() throws Exception {
    Torrent secret = TorrentBuilder.create(seedDir.resolve("payload")).privateFlag(true).build();
    assertThat(pexReceived(secret)).isFalse();
    assertThat(pexReceived(torrent)).isTrue();
  }

  /**
   * Returns whether a peer that supports ut_pex gets a PEX message from a seed of {@code t} that
   * has another peer connected, within 4 seconds.
   */
  private boolean pexReceived(Torrent t) throws Exception {
    byte[] infoHash = t.infoHashes().v1().orElseThrow().bytes();
    try (TorrentSession seeder = TorrentSession.start(Swarm.config().build())) {
      seeder.add(AddTorrent.torrent(t, seedDir).build()).completion().get(20, SECONDS);
      try (MockPeer other = MockPeer.connect(Swarm.address(seeder), infoHash);
          MockPeer peer = MockPeer.connect(Swarm.address(seeder), infoHash)) {
        // A peer is told of others it can reach: this one says where it listens.
        other.send(
            extensionHandshake(
                Swarm.extensions(Map.of(), OptionalInt.empty(), OptionalInt.of(6881))),
            new PeerMessage.Interested());
        peer.send(
            extensionHandshake(
                Swarm.extensions(
                    Map.of(ExtensionHandshake.UT_PEX, 7),
                    OptionalInt.empty(),
                    OptionalInt.empty())),
            new PeerMessage.Interested());
        return peer.pollMessage(PeerMessage.Extended.class, e -> e.id() == 7, Duration.ofSeconds(4))
            .isPresent();
      }
    }
  }

  private static PeerMessage.Extended extensionHandshake(ExtensionHandshake handshake) {
    return new PeerMessage.Extended(0, handshake.encode());
  }
}
