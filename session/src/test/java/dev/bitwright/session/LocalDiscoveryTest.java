package dev.bitwright.session;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.testsupport.NetworkNamespace;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local Service Discovery (BEP 14) across a veth pair into a network namespace of the test's own:
 * Bitwright on the pair's end in the test's namespace, libtorrent on the other end, no tracker, no
 * DHT and no peer given. Which side dials is fixed by libtorrent's settings (it either only accepts
 * or only dials), so each test shows one direction of discovery. Needs root for the namespace;
 * every byte is checked by SHA-256.
 */
@Timeout(120)
class LocalDiscoveryTest {
  @TempDir Path dir;
  NetworkNamespace ns;
  Path seedDir;
  Path payload;
  Torrent torrent;
  Path torrentFile;
  final List<NetnsLibtorrent> peers = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    Assumptions.assumeTrue(
        NetworkNamespace.supported(), "network namespaces need root and iproute2 (CI has both)");
    ns = NetworkNamespace.create();
    seedDir = dir.resolve("seed");
    payload = Swarm.payload(seedDir, 14, 900_000, 1_300_000);
    torrent = TorrentBuilder.create(payload).pieceLength(64 * 1024).build();
    torrentFile = dir.resolve("payload.torrent");
    Files.write(torrentFile, torrent.toBytes());
  }

  @AfterEach
  void tearDown() {
    peers.forEach(NetnsLibtorrent::close);
    if (ns != null) {
      ns.close();
    }
  }

  private static SessionConfig lsdOn(InetAddress listen) {
    return SessionConfig.builder()
        .listenAddress(listen)
        .settings(SessionSettings.builder().lsd(true).build())
        .build();
  }

  @Test
  void aLeecherFindsALibtorrentSeedByItsAnnounce() throws Exception {
    fetchFromLibtorrent(ns.hostV4(), ns.namespaceV4());
  }

  @Test
  void aLeecherFindsALibtorrentSeedOverIpv6() throws Exception {
    fetchFromLibtorrent(ns.hostV6(), ns.namespaceV6());
  }

  /** libtorrent seeds and only accepts: the transfer shows that we heard it and dialled it. */
  private void fetchFromLibtorrent(InetAddress ours, InetAddress theirs) throws Exception {
    try (TorrentSession leecher = TorrentSession.start(lsdOn(ours))) {
      TorrentHandle download = leecher.add(AddTorrent.torrent(torrent, dir.resolve("dl")).build());
      NetnsLibtorrent seed = libtorrent("seed", seedDir, theirs, "accept");
      download.completion().get(60, SECONDS);
      Swarm.assertSameFiles(torrent, seedDir, dir.resolve("dl"));
      assertThat(leecher.metrics().get(Metric.LSD_ANNOUNCES_RECEIVED)).isPositive();
      assertThat(seed.port()).isPositive();
    }
  }

  @Test
  void libtorrentFindsOurSeedByOurAnnounce() throws Exception {
    try (TorrentSession seeder = TorrentSession.start(lsdOn(ns.hostV4()))) {
      Path ltDir = dir.resolve("lt");
      Files.createDirectories(ltDir);
      NetnsLibtorrent leech = libtorrent("leech", ltDir, ns.namespaceV4(), "dial");
      seeder.add(AddTorrent.torrent(torrent, seedDir).build()).completion().get(20, SECONDS);
      leech.awaitFinished(60);
      Swarm.assertSameFiles(torrent, seedDir, ltDir);
      // libtorrent learnt of us from our announce, at our address and listening port.
      assertThat(leech.lsdPeers())
          .contains(ns.hostV4().getHostAddress() + " " + seeder.listenAddress().getPort());
      assertThat(seeder.metrics().get(Metric.LSD_ANNOUNCES_SENT)).isPositive();
    }
  }

  @Test
  void twoSessionsFindEachOtherAndNotThemselves() throws Exception {
    try (TorrentSession seeder = TorrentSession.start(lsdOn(ns.hostV4()));
        TorrentSession leecher = TorrentSession.start(lsdOn(ns.hostV4()))) {
      seeder.add(AddTorrent.torrent(torrent, seedDir).build()).completion().get(20, SECONDS);
      // Alone, the seed hears only its own announces (multicast loopback), and ignores them.
      Swarm.await(
          Duration.ofSeconds(10),
          "the seed's first announce and its copy",
          () -> seeder.metrics().get(Metric.LSD_ANNOUNCES_SENT) >= 2);
      assertThat(seeder.metrics().get(Metric.LSD_ANNOUNCES_RECEIVED)).isZero();
      leecher
          .add(AddTorrent.torrent(torrent, dir.resolve("dl")).build())
          .completion()
          .get(60, SECONDS);
      Swarm.assertSameFiles(torrent, seedDir, dir.resolve("dl"));
      assertThat(seeder.metrics().get(Metric.LSD_ANNOUNCES_RECEIVED)).isPositive();
      assertThat(leecher.metrics().get(Metric.LSD_ANNOUNCES_RECEIVED)).isPositive();
    }
  }

  @Test
  void turnedOnAndOffWhileRunning() throws Exception {
    SessionConfig off = SessionConfig.builder().listenAddress(ns.hostV4()).build();
    try (TorrentSession seeder = TorrentSession.start(off)) {
      seeder.add(AddTorrent.torrent(torrent, seedDir).build()).completion().get(20, SECONDS);
      Thread.sleep(1000);
      assertThat(seeder.metrics().get(Metric.LSD_ANNOUNCES_SENT)).isZero();
      seeder.applySettings(seeder.settings().toBuilder().lsd(true).build());
      // On, it announces the torrent already running; libtorrent hears it.
      Path ltDir = dir.resolve("lt");
      Files.createDirectories(ltDir);
      NetnsLibtorrent leech = libtorrent("leech", ltDir, ns.namespaceV4(), "dial");
      leech.awaitFinished(60);
      Swarm.assertSameFiles(torrent, seedDir, ltDir);
      seeder.applySettings(seeder.settings().toBuilder().lsd(false).build());
      long sent = seeder.metrics().get(Metric.LSD_ANNOUNCES_SENT);
      Thread.sleep(2500);
      assertThat(seeder.metrics().get(Metric.LSD_ANNOUNCES_SENT)).isEqualTo(sent).isPositive();
    }
  }

  @Test
  void aPrivateTorrentIsNeverAnnounced() throws Exception {
    Torrent secret =
        TorrentBuilder.create(payload).pieceLength(64 * 1024).privateFlag(true).build();
    try (TorrentSession seeder = TorrentSession.start(lsdOn(ns.hostV4()))) {
      seeder.add(AddTorrent.torrent(secret, seedDir).build()).completion().get(20, SECONDS);
      Thread.sleep(3000);
      assertThat(seeder.metrics().get(Metric.LSD_ANNOUNCES_SENT)).isZero();
    }
  }

  @Test
  void malformedAndFloodingDatagramsAreIgnoredAndBounded() throws Exception {
    try (TorrentSession leecher = TorrentSession.start(lsdOn(ns.hostV4()))) {
      TorrentHandle download = leecher.add(AddTorrent.torrent(torrent, dir.resolve("dl")).build());
      // 400 datagrams within about a second from inside the namespace (paced, so that the socket's
      // buffer keeps them all): junk, a huge one, a bad port, a wrong method, and announces of a
      // torrent we do not have.
      runInNamespace(
          "import socket, time\n"
              + "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
              + "s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton('"
              + ns.namespaceV4().getHostAddress()
              + "'))\n"
              + "h = b'BT-SEARCH * HTTP/1.1\\r\\nHost: 239.192.152.143:6771\\r\\n'\n"
              + "bad = [b'\\x00' * 64, b'x' * 1400, h + b'Port: 99999\\r\\nInfohash: ' + b'a' * 40"
              + " + b'\\r\\n\\r\\n', b'M-SEARCH * HTTP/1.1\\r\\n\\r\\n',"
              + " h + b'Port: 7\\r\\nInfohash: ' + b'b' * 40 + b'\\r\\n\\r\\n']\n"
              + "for i in range(400):\n"
              + "    s.sendto(bad[i % len(bad)], ('239.192.152.143', 6771))\n"
              + "    time.sleep(0.002)\n");
      Swarm.await(
          Duration.ofSeconds(10),
          "the datagrams counted",
          () -> {
            SessionMetrics m = leecher.metrics();
            return m.get(Metric.LSD_DATAGRAMS_IGNORED) + m.get(Metric.LSD_ANNOUNCES_RECEIVED)
                >= 400;
          });
      SessionMetrics m = leecher.metrics();
      // At most 50 a second are read at all; the well-formed ones among them name no torrent of
      // ours and add no peer.
      assertThat(m.get(Metric.LSD_ANNOUNCES_RECEIVED)).isLessThanOrEqualTo(100);
      assertThat(download.status().peers()).isEmpty();
      // The session still works: a real seed's announce is heard.
      libtorrent("seed", seedDir, ns.namespaceV4(), "accept");
      download.completion().get(60, SECONDS);
      Swarm.assertSameFiles(torrent, seedDir, dir.resolve("dl"));
    }
  }

  private void runInNamespace(String python) throws Exception {
    Process p =
        new ProcessBuilder(ns.command("/usr/bin/python3", "-c", python))
            .redirectErrorStream(true)
            .start();
    if (!p.waitFor(20, SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the sender did not end");
    }
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
  }

  /** Starts libtorrent with LSD on inside the namespace; closed after the test. */
  private NetnsLibtorrent libtorrent(String mode, Path savePath, InetAddress listen, String dials)
      throws IOException {
    NetnsLibtorrent peer =
        NetnsLibtorrent.start(dir, ns.command(), mode, torrentFile, savePath, listen, dials, true);
    peers.add(peer);
    return peer;
  }
}
