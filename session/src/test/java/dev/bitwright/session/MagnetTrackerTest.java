package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.MagnetLink;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.testsupport.Opentracker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A magnet link whose only source of peers is a tracker: metadata first, then the data. */
@Timeout(60)
class MagnetTrackerTest {
  @TempDir Path dir;

  @Test
  void metadataAndDataComeFromTheSeedTheTrackerNames() throws Exception {
    Path seedDir = dir.resolve("seed");
    Path payload = Swarm.payload(seedDir, 31, 1_500_000, 300_000, 77);
    TorrentBuilder builder = TorrentBuilder.create(payload).pieceLength(32 * 1024);
    Torrent probe = builder.build();
    try (Opentracker tracker =
        Opentracker.start(
            dir.resolve("tracker"), List.of(probe.infoHashes().v1().orElseThrow().bytes()))) {
      Torrent torrent = builder.addTrackerTier(tracker.udpUrl()).build();
      MagnetLink magnet = MagnetLink.parse(torrent.toMagnetLink().toUri());
      assertThat(magnet.peers()).isEmpty();
      assertThat(magnet.trackers()).containsExactly(tracker.udpUrl());
      Swarm.Events events = new Swarm.Events();
      Path target = dir.resolve("download");
      try (TorrentSession seeder = TorrentSession.start(Swarm.config().build());
          TorrentSession leecher = TorrentSession.start(Swarm.config().build())) {
        leecher.addListener(events);
        Swarm.Events seederEvents = new Swarm.Events();
        seeder.addListener(seederEvents);
        seeder
            .add(AddTorrent.torrent(torrent, seedDir).build())
            .completion()
            .get(20, TimeUnit.SECONDS);
        Swarm.await( // else the tracker may not know the seed yet when the leecher asks
            Duration.ofSeconds(10),
            "the seed's announce",
            () -> !seederEvents.of(SessionEvent.TrackerReply.class).isEmpty());
        TorrentHandle leech = leecher.add(AddTorrent.magnet(magnet, target).build());
        assertThat(leech.status().state())
            .isIn(
                TorrentState.DOWNLOADING_METADATA, TorrentState.CHECKING, TorrentState.DOWNLOADING);
        leech.completion().get(40, TimeUnit.SECONDS);
        Swarm.assertSameFiles(torrent, seedDir, target);
        assertThat(leech.status().name()).isEqualTo(torrent.name());
        assertThat(leech.status().pieceCount()).isEqualTo(torrent.pieceCount());
      }
      List<SessionEvent> all = events.all();
      int metadata = indexOf(all, SessionEvent.MetadataReceived.class);
      int firstPiece = indexOf(all, SessionEvent.PieceVerified.class);
      assertThat(metadata).isNotNegative().isLessThan(firstPiece);
      assertThat(events.of(SessionEvent.TrackerReply.class)).anyMatch(r -> r.peers() > 0);
      assertThat(events.of(SessionEvent.PeerConnected.class)).isNotEmpty();
    }
  }

  private static int indexOf(List<SessionEvent> events, Class<? extends SessionEvent> type) {
    for (int i = 0; i < events.size(); i++) {
      if (type.isInstance(events.get(i))) {
        return i;
      }
    }
    return -1;
  }
}
