package dev.bitwright.session;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.testing.MockPeer;
import dev.bitwright.wire.PeerMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peers that are interested, ask for blocks and never read what is sent took a seed's upload slots
 * for good, and an honest leecher timed out. A slot is for peers that take data: such peers give
 * theirs up at once to a peer that waits.
 */
@Timeout(60)
class SlotHoggingTest {
  private static final int HOGS = 20;

  @TempDir Path dir;

  @Test
  void peersThatDoNotReadLoseTheirSlotsToAnHonestLeecher() throws Exception {
    Torrent torrent =
        TorrentBuilder.create(Swarm.payload(dir.resolve("seed"), 111, 16 << 20))
            .pieceLength(256 * 1024)
            .build();
    byte[] infoHash = torrent.infoHashes().v1().orElseThrow().bytes();
    List<MockPeer> hogs = new ArrayList<>();
    try (TorrentSession seeder = Swarm.seeding(torrent, dir.resolve("seed"), 0);
        TorrentSession leecher = TorrentSession.start(Swarm.config().build())) {
      try {
        for (int i = 0; i < HOGS; i++) {
          MockPeer hog =
              MockPeer.builder().receiveBufferSize(4096).connect(Swarm.address(seeder), infoHash);
          hog.send(new PeerMessage.Interested());
          hogs.add(hog);
        }
        int unchoked = 0;
        for (MockPeer hog : hogs) {
          if (hog.pollMessage(PeerMessage.Unchoke.class, Duration.ofMillis(300)).isPresent()) {
            unchoked++;
            for (int piece = 0; piece < 20; piece++) {
              for (int offset = 0; offset < 256 * 1024; offset += 16 * 1024) {
                hog.send(new PeerMessage.Request(piece, offset, 16 * 1024));
              }
            }
          }
        }
        assertThat(unchoked).as("hogs holding slots").isGreaterThanOrEqualTo(4);
        Thread.sleep(3500); // long enough for every hog's socket to be full
        long start = System.nanoTime();
        leecher
            .add(AddTorrent.torrent(torrent, dir.resolve("dl")).peer(Swarm.address(seeder)).build())
            .completion()
            .get(30, SECONDS);
        // Before: the hogs kept every slot; the leecher got its 5 allowed fast pieces and stalled.
        assertThat(System.nanoTime() - start).isLessThan(SECONDS.toNanos(5));
        Swarm.assertSameFiles(torrent, dir.resolve("seed"), dir.resolve("dl"));
      } finally {
        for (MockPeer hog : hogs) {
          hog.close();
        }
      }
    }
  }
}
