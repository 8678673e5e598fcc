package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.testing.MockPeer;
import dev.bitwright.wire.ExtensionHandshake;
import dev.bitwright.wire.MetadataMessage;
import dev.bitwright.wire.PeerMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ut_metadata request costs its sender 40 bytes and the seed 16 KiB: a peer that sends thousands
 * and does not read must not make the seed queue megabytes for it.
 */
@Timeout(60)
class MetadataAmplificationTest {
  @TempDir Path dir;

  @Test
  void metadataRepliesAreRateLimitedPerPeer() throws Exception {
    // Many files make a metadata of several pieces.
    int[] sizes = new int[600];
    java.util.Arrays.fill(sizes, 1000);
    Torrent torrent = TorrentBuilder.create(Swarm.payload(dir.resolve("seed"), 131, sizes)).build();
    int pieces = (torrent.infoBytes().length + 16 * 1024 - 1) / (16 * 1024);
    assertThat(pieces).isGreaterThan(1);
    byte[] infoHash = torrent.infoHashes().v1().orElseThrow().bytes();
    try (TorrentSession seeder = Swarm.seeding(torrent, dir.resolve("seed"), 0);
        MockPeer peer =
            MockPeer.builder()
                .receiveBufferSize(4096)
                .extensionHandshake(
                    Swarm.extensions(
                        Map.of(ExtensionHandshake.UT_METADATA, 5),
                        OptionalInt.empty(),
                        OptionalInt.empty()))
                .connect(Swarm.address(seeder), infoHash)) {
      int theirId =
          peer.awaitExtensionHandshake(Duration.ofSeconds(5))
              .idOf(ExtensionHandshake.UT_METADATA)
              .orElseThrow();
      List<PeerMessage> burst = new ArrayList<>();
      for (int i = 0; i < 4500; i++) {
        burst.add(
            new PeerMessage.Extended(theirId, new MetadataMessage.Request(i % pieces).encode()));
      }
      try {
        peer.send(burst.toArray(PeerMessage[]::new));
      } catch (IOException closed) {
        // the seed may close a peer that keeps asking before it has read the whole burst
      }
      int data = 0;
      int rejects = 0;
      while (true) {
        Optional<PeerMessage.Extended> reply =
            peer.pollMessage(PeerMessage.Extended.class, e -> e.id() == 5, Duration.ofSeconds(2));
        if (reply.isEmpty()) {
          break;
        }
        MetadataMessage m = MetadataMessage.decode(reply.get().payload());
        if (m instanceof MetadataMessage.Data) {
          data++;
        } else if (m instanceof MetadataMessage.Reject) {
          rejects++;
        }
      }
      // before: 4,500 replies of 16 KiB queued for a peer that was not reading; now a few, and
      // the peer is closed for asking over and over
      assertThat(data).isLessThanOrEqualTo(2 * pieces + 2);
      assertThat(data + rejects).isLessThan(4500 + 1);
    }
  }
}
