package dev.bitwright.session;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** IPv6 beside IPv4: a session with {@code ipv6(true)} starts, accepts and dials both families. */
@Timeout(60)
class DualStackTest {
  private static final InetAddress LOOPBACK_V6 = address("::1");

  @TempDir Path dir;
  Path seedDir;
  Torrent torrent;

  @BeforeEach
  void payload() throws Exception {
    seedDir = dir.resolve("seed");
    torrent =
        TorrentBuilder.create(Swarm.payload(seedDir, 31, 700_000, 300_000))
            .pieceLength(64 * 1024)
            .build();
  }

  @Test
  void theWildcardWithIpv6AcceptsBothFamiliesOnOnePort() throws Exception {
    seedAndFetchOverBothFamilies(SessionConfig.builder().ipv6(true).build());
  }

  @Test
  void loopbackWithIpv6AcceptsBothFamiliesOnOnePort() throws Exception {
    seedAndFetchOverBothFamilies(Swarm.config().ipv6(true).build());
  }

  @Test
  void aDualStackLeecherDialsAnIpv6Peer() throws Exception {
    SessionConfig v6Only = SessionConfig.builder().listenAddress(LOOPBACK_V6).build();
    try (TorrentSession seeder = TorrentSession.start(v6Only);
        TorrentSession leecher = TorrentSession.start(Swarm.config().ipv6(true).build())) {
      seeder.add(AddTorrent.torrent(torrent, seedDir).build()).completion().get(20, SECONDS);
      InetSocketAddress v6 = new InetSocketAddress(LOOPBACK_V6, seeder.listenAddress().getPort());
      leecher
          .add(AddTorrent.torrent(torrent, dir.resolve("dl")).peer(v6).build())
          .completion()
          .get(20, SECONDS);
      Swarm.assertSameFiles(torrent, seedDir, dir.resolve("dl"));
    }
  }

  /** Seeds with {@code config}; one leecher dials 127.0.0.1, another [::1], on the same port. */
  private void seedAndFetchOverBothFamilies(SessionConfig config) throws Exception {
    try (TorrentSession seeder = TorrentSession.start(config);
        TorrentSession overV4 = TorrentSession.start(Swarm.config().build());
        TorrentSession overV6 =
            TorrentSession.start(SessionConfig.builder().listenAddress(LOOPBACK_V6).build())) {
      seeder.add(AddTorrent.torrent(torrent, seedDir).build()).completion().get(20, SECONDS);
      int port = seeder.listenAddress().getPort();
      TorrentHandle v4 =
          overV4.add(
              AddTorrent.torrent(torrent, dir.resolve("v4"))
                  .peer(new InetSocketAddress(Swarm.LOOPBACK, port))
                  .build());
      TorrentHandle v6 =
          overV6.add(
              AddTorrent.torrent(torrent, dir.resolve("v6"))
                  .peer(new InetSocketAddress(LOOPBACK_V6, port))
                  .build());
      v4.completion().get(20, SECONDS);
      v6.completion().get(20, SECONDS);
      Swarm.assertSameFiles(torrent, seedDir, dir.resolve("v4"));
      Swarm.assertSameFiles(torrent, seedDir, dir.resolve("v6"));
      assertThat(v6.status().downloaded()).isGreaterThanOrEqualTo(torrent.totalLength());
    }
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
