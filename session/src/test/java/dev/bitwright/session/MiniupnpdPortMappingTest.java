package dev.bitwright.session;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.testsupport.MiniupnpdRouter;
import dev.bitwright.testsupport.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Port mapping through a real home router: miniupnpd 2.3 (nftables) in a network namespace between
 * the test's namespace (its LAN) and a namespace standing for the internet, speaking PCP and
 * NAT-PMP, or UPnP IGD alone. The session maps its ports by PCP, or by UPnP when nothing answers on
 * port 5351; a libtorrent peer on the internet side dials the router's external address and port,
 * and the router forwards it to us. Needs root.
 */
@Timeout(120)
class MiniupnpdPortMappingTest {
  @TempDir Path dir;
  MiniupnpdRouter router;

  @BeforeEach
  void needsNamespaces() {
    Assumptions.assumeTrue(
        NetworkNamespace.supported(), "network namespaces need root and iproute2 (CI has both)");
  }

  @AfterEach
  void stopRouter() {
    if (router != null) {
      router.close();
    }
  }

  private SessionConfig config() {
    return SessionConfig.builder()
        .listenAddress(router.lanAddress())
        .portMappingGateway(router.gateway())
        .portMapping(true)
        .build();
  }

  @Test
  void aPeerOnTheInternetReachesOurSeedThroughAPortMappedByPcp() throws Exception {
    router = MiniupnpdRouter.start(dir, MiniupnpdRouter.Protocols.PCP_AND_NAT_PMP);
    reachedThroughTheRouter(PortMapping.Method.PCP);
  }

  @Test
  void aRouterOfUpnpAloneMapsByUpnp() throws Exception {
    router = MiniupnpdRouter.start(dir, MiniupnpdRouter.Protocols.UPNP);
    reachedThroughTheRouter(PortMapping.Method.UPNP);
  }

  /**
   * Seeds with port mapping on; checks the mappings (by {@code method}), that a libtorrent peer on
   * the internet side downloads through them, and that they are gone when the session closes.
   */
  private void reachedThroughTheRouter(PortMapping.Method method) throws Exception {
    Path seedDir = dir.resolve("seed");
    Torrent torrent =
        TorrentBuilder.create(Swarm.payload(seedDir, 21, 1_500_000, 700_000))
            .pieceLength(64 * 1024)
            .build();
    Path torrentFile = dir.resolve("payload.torrent");
    Files.write(torrentFile, torrent.toBytes());
    int port;
    try (TorrentSession seeder = TorrentSession.start(config())) {
      port = seeder.listenAddress().getPort();
      seeder.add(AddTorrent.torrent(torrent, seedDir).build()).completion().get(20, SECONDS);
      Swarm.await(
          Duration.ofSeconds(20), "two port mappings", () -> seeder.portMappings().size() == 2);
      Swarm.await(
          Duration.ofSeconds(10),
          "the external address",
          () -> seeder.portMappings().stream().allMatch(m -> m.externalAddress().isPresent()));
      List<PortMapping> mappings = seeder.portMappings();
      assertThat(mappings)
          .allSatisfy(
              m -> {
                assertThat(m.method()).isEqualTo(method);
                assertThat(m.internalPort()).isEqualTo(port);
                assertThat(m.externalAddress()).contains(router.externalAddress());
              });
      assertThat(seeder.externalAddress()).contains(router.externalAddress());
      // miniupnpd turned them into forwarding rules to us.
      assertThat(router.rules())
          .contains("dnat ip to " + router.lanAddress().getHostAddress() + ":" + port);
      PortMapping tcp =
          mappings.stream()
              .filter(m -> m.protocol() == PortMapping.Protocol.TCP)
              .findFirst()
              .orElseThrow();

      Path ltDir = dir.resolve("lt");
      Files.createDirectories(ltDir);
      try (NetnsLibtorrent leech =
          NetnsLibtorrent.start(
              dir,
              router.internetCommand(),
              "leech",
              torrentFile,
              ltDir,
              router.internetAddress(),
              "dial",
              false)) {
        leech.connect(router.externalAddress(), tcp.externalPort());
        leech.awaitFinished(60);
      }
      Swarm.assertSameFiles(torrent, seedDir, ltDir);
    }
    // Closing the session deleted the mappings: no rule forwards to us any more.
    Swarm.await(
        Duration.ofSeconds(5),
        "the forwarding rules removed",
        () -> {
          try {
            return !router.rules().contains(router.lanAddress().getHostAddress() + ":" + port);
          } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
          }
        });
  }
}
