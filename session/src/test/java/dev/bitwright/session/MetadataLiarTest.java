package dev.bitwright.session;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.MagnetLink;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.testing.MockPeer;
import dev.bitwright.wire.EncryptionPolicy;
import dev.bitwright.wire.ExtensionHandshake;
import dev.bitwright.wire.MetadataMessage;
import dev.bitwright.wire.PeerMessage;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A magnet download with a liar connected first (one that announces a wrong metadata size, or one
 * that sends metadata that does not hash to the info-hash) and an honest seed: the metadata comes
 * from the honest one, and the liar is not asked again and again.
 */
@Timeout(60)
class MetadataLiarTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "size off by {0}")
  @ValueSource(ints = {100, 0})
  void theMetadataComesFromTheHonestSeed(int sizeOffset) throws Exception {
    Torrent torrent =
        TorrentBuilder.create(Swarm.payload(dir.resolve("seed"), 121, 700_000, 300_000)).build();
    int size = torrent.infoBytes().length;
    AtomicInteger liarRequests = new AtomicInteger();
    try (MockPeer liarPeer =
            MockPeer.builder()
                .extensionHandshake(
                    Swarm.extensions(
                        Map.of(ExtensionHandshake.UT_METADATA, 3),
                        OptionalInt.of(size + sizeOffset),
                        OptionalInt.empty()))
                .listen();
        TorrentSession seeder = Swarm.seeding(torrent, dir.resolve("seed"), 0);
        // plaintext: the scripted liar speaks no MSE; TCP first: it listens on TCP only, and
        // must be heard before the honest seed
        TorrentSession leecher =
            TorrentSession.start(
                Swarm.config().encryption(EncryptionPolicy.DISABLED).preferUtp(false).build())) {
      InetSocketAddress liarAddress = liarPeer.address(); // before the liar's thread drives it
      CompletableFuture<Void> liar =
          CompletableFuture.runAsync(() -> lie(liarPeer, size + sizeOffset, liarRequests));
      Swarm.Events events = new Swarm.Events();
      leecher.addListener(events);
      TorrentHandle handle =
          leecher.add(
              AddTorrent.magnet(MagnetLink.of(torrent.infoHashes()), dir.resolve("dl"))
                  .peer(liarAddress)
                  .build());
      Thread.sleep(500); // the liar is heard first
      handle.addPeer(Swarm.address(seeder));
      handle.completion().get(30, SECONDS);
      Swarm.assertSameFiles(torrent, dir.resolve("seed"), dir.resolve("dl"));
      // before: the liar was asked again after each failure, thousands of times
      assertThat(liarRequests.get()).isPositive().isLessThanOrEqualTo(2 * (size / (16 * 1024) + 1));
      if (sizeOffset == 0) {
        assertThat(events.of(SessionEvent.PeerBanned.class))
            .as("liar asked %d times; events %s", liarRequests.get(), events.all())
            .anyMatch(b -> b.peer().getPort() == liarAddress.getPort());
      }
      liar.cancel(true);
    }
  }

  /**
   * Accepts the leecher's connection and answers every metadata request with random bytes for
   * metadata of {@code size} bytes (the size its extension handshake announced).
   */
  private static void lie(MockPeer peer, int size, AtomicInteger requests) {
    try {
      peer.awaitConnection(Duration.ofSeconds(30));
      int theirId =
          peer.awaitExtensionHandshake(Duration.ofSeconds(5))
              .idOf(ExtensionHandshake.UT_METADATA)
              .orElseThrow();
      Random random = new Random(7);
      while (true) {
        var request =
            peer.pollMessage(PeerMessage.Extended.class, e -> e.id() == 3, Duration.ofSeconds(30));
        if (request.isEmpty()) {
          return;
        }
        if (MetadataMessage.decode(request.get().payload()) instanceof MetadataMessage.Request r) {
          requests.incrementAndGet();
          int length = Math.min(16 * 1024, size - r.piece() * 16 * 1024);
          byte[] garbage = new byte[Math.max(0, length)];
          random.nextBytes(garbage);
          peer.send(
              new PeerMessage.Extended(
                  theirId, new MetadataMessage.Data(r.piece(), size, garbage).encode()));
        }
      }
    } catch (Exception e) {
      // closed or banned by the leecher: the liar's part is over
    }
  }
}
