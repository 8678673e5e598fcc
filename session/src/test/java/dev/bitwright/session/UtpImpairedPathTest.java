package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.testing.UdpImpairmentRelay;
import dev.bitwright.wire.EncryptionPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 64 MiB over uTP through a user-space relay that makes the path 40 ms round trip with 1 % loss
 * each way (the kernel here has no {@code netem}): from a Bitwright seed to a Bitwright leech and
 * to a libtorrent leech (our sender, driven by libtorrent's acks). The bytes must arrive intact,
 * and the datagrams the relay saw bounded: the data packets, at most about one ack each, and few
 * resends. LEDBAT halves its window at each loss and regains 3,000 bytes a round trip, so such a
 * path gives about 0.5 MB/s: two minutes each.
 */
@Timeout(600)
class UtpImpairedPathTest {
  private static final int SIZE = 64 << 20;
  // Payload bytes of a full uTP packet (1,400 bytes less the 20-byte header).
  private static final int PACKET_PAYLOAD = 1380;

  @TempDir static Path dir;
  static Path seedDir;
  static Torrent torrent;
  static Path torrentFile;

  @BeforeAll
  static void payload() throws Exception {
    seedDir = dir.resolve("seed");
    Path payload = Files.createDirectories(seedDir.resolve("payload"));
    byte[] data = new byte[SIZE];
    new Random(40).nextBytes(data);
    Files.write(payload.resolve("data.bin"), data);
    torrent = TorrentBuilder.create(payload).pieceLength(1 << 20).build();
    torrentFile = dir.resolve("payload.torrent");
    Files.write(torrentFile, torrent.toBytes());
  }

  private static UdpImpairmentRelay relayTo(int port) throws Exception {
    return UdpImpairmentRelay.builder()
        .target(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
        .delay(Duration.ofMillis(20))
        .lossRate(0.01)
        .seed(40)
        .start();
  }

  private static SessionConfig utpOnly() {
    return SessionConfig.builder()
        .listenAddress(InetAddress.getLoopbackAddress())
        .tcp(false)
        .encryption(EncryptionPolicy.DISABLED)
        .build();
  }

  @Test
  void bitwrightToBitwright() throws Exception {
    try (TorrentSession seeder = TorrentSession.start(utpOnly());
        TorrentSession leecher = TorrentSession.start(utpOnly())) {
      seeder
          .add(AddTorrent.torrent(torrent, seedDir).build())
          .completion()
          .get(60, TimeUnit.SECONDS);
      try (UdpImpairmentRelay relay = relayTo(seeder.listenAddress().getPort())) {
        download(leecher, relay, "bw");
      }
    }
  }

  @Test
  void bitwrightToLibtorrent() throws Exception {
    Path scratch = Files.createDirectories(dir.resolve("scratch-lt"));
    Path target = Files.createDirectories(dir.resolve("download-lt"));
    try (TorrentSession seeder = TorrentSession.start(utpOnly())) {
      seeder
          .add(AddTorrent.torrent(torrent, seedDir).build())
          .completion()
          .get(60, TimeUnit.SECONDS);
      try (UdpImpairmentRelay relay = relayTo(seeder.listenAddress().getPort());
          LibtorrentClient leech =
              LibtorrentClient.start(
                  "leech", torrentFile.toString(), target, "disabled", scratch, 0, "utp")) {
        long start = System.nanoTime();
        leech.connectTo(relay.address().getPort());
        leech.awaitFinished(400);
        report("lt", start, relay, target);
      }
    }
  }

  private static void download(TorrentSession leecher, UdpImpairmentRelay relay, String name)
      throws Exception {
    Path target = dir.resolve("download-" + name);
    long start = System.nanoTime();
    TorrentHandle handle =
        leecher.add(AddTorrent.torrent(torrent, target).peer(relay.address()).build());
    handle.completion().get(400, TimeUnit.SECONDS);
    report(name, start, relay, target);
  }

  private static void report(String name, long start, UdpImpairmentRelay relay, Path target)
      throws Exception {
    double seconds = (System.nanoTime() - start) / 1e9;
    UdpImpairmentRelay.Stats stats = relay.stats();
    System.out.printf(
        "uTP through 40 ms RTT, 1 %% loss, Bitwright seed to %s: %.1f s, %.2f MB/s; relay %s%n",
        name, seconds, SIZE / seconds / 1e6, stats);
    assertThat(LibtorrentInteropTest.sha256(target.resolve("payload/data.bin")))
        .isEqualTo(LibtorrentInteropTest.sha256(seedDir.resolve("payload/data.bin")));
    long dataPackets = SIZE / PACKET_PAYLOAD;
    assertThat(stats.dropped()).as("the relay dropped some").isPositive();
    assertThat(stats.received())
        .as("datagrams through the relay: data packets, acks, resends")
        .isLessThan(dataPackets * 23 / 10);
  }
}
