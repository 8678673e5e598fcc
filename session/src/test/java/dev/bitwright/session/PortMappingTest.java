package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import dev.bitwright.testing.FakeNatGateway;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Port mapping against {@link FakeNatGateway} on 127.0.0.1 (the gateway checked against libnatpmp's
 * natpmpc in bitwright-testing): PCP, the NAT-PMP fallback, a restarted gateway, refusals, silence,
 * turning it off and on, and nothing sent while it is off.
 */
@Timeout(60)
class PortMappingTest {
  private static final InetAddress EXTERNAL = InetAddresses.forString("203.0.113.7");

  private static TorrentSession start(FakeNatGateway gateway, boolean on) throws Exception {
    return TorrentSession.start(
        Swarm.config().portMappingGateway(gateway.address()).portMapping(on).build());
  }

  private static List<PortMapping> awaitMappings(TorrentSession session, int count)
      throws InterruptedException {
    Swarm.await(
        Duration.ofSeconds(20),
        count + " port mappings",
        () -> session.portMappings().size() == count);
    return session.portMappings();
  }

  @Test
  void mapsTheTcpAndUdpPortsByPcpAndDeletesThemOnClose() throws Exception {
    try (FakeNatGateway gateway = FakeNatGateway.builder().portOffset(7).start()) {
      int port;
      try (TorrentSession session = start(gateway, true)) {
        port = session.listenAddress().getPort();
        List<PortMapping> mappings = awaitMappings(session, 2);
        assertThat(mappings)
            .extracting(PortMapping::protocol)
            .containsExactlyInAnyOrder(PortMapping.Protocol.TCP, PortMapping.Protocol.UDP);
        assertThat(mappings)
            .allSatisfy(
                m -> {
                  assertThat(m.internalPort()).isEqualTo(port);
                  assertThat(m.externalPort()).isEqualTo(port + 7);
                  assertThat(m.externalAddress()).contains(EXTERNAL);
                  assertThat(m.method()).isEqualTo(PortMapping.Method.PCP);
                  assertThat(m.lifetimeSeconds()).isEqualTo(7200);
                });
        assertThat(session.externalAddress()).contains(EXTERNAL);
        assertThat(gateway.mappings()).hasSize(2).allMatch(FakeNatGateway.Mapping::pcp);
      }
      Swarm.await(
          Duration.ofSeconds(5), "the mappings deleted", () -> gateway.mappings().isEmpty());
    }
  }

  @Test
  void fallsBackToNatPmpWhenTheGatewaySpeaksNoPcp() throws Exception {
    try (FakeNatGateway gateway =
            FakeNatGateway.builder().protocols(FakeNatGateway.Protocols.NAT_PMP_ONLY).start();
        TorrentSession session = start(gateway, true)) {
      List<PortMapping> mappings = awaitMappings(session, 2);
      assertThat(mappings).allMatch(m -> m.method() == PortMapping.Method.NAT_PMP);
      Swarm.await(
          Duration.ofSeconds(10),
          "the external address",
          () -> session.externalAddress().isPresent());
      assertThat(session.externalAddress()).contains(EXTERNAL);
      assertThat(gateway.mappings()).hasSize(2).noneMatch(FakeNatGateway.Mapping::pcp);
    }
  }

  @Test
  void mapsAgainAtOnceWhenTheGatewayRestarts() throws Exception {
    try (FakeNatGateway gateway = FakeNatGateway.builder().start();
        TorrentSession session = start(gateway, true)) {
      awaitMappings(session, 2);
      // An epoch is told in whole seconds: a gateway restarted within a second or two of its start
      // cannot be told apart from one that kept running (RFC 6887, section 8.5).
      Thread.sleep(3000);
      gateway.restart();
      assertThat(gateway.mappings()).isEmpty();
      // The gateway's ANNOUNCE carries a new epoch: both mappings are asked for again, without
      // waiting for their renewal an hour later.
      Swarm.await(Duration.ofSeconds(10), "mapped again", () -> gateway.mappings().size() == 2);
    }
  }

  @Test
  void renewsBeforeTheLifetimeEnds() throws Exception {
    try (FakeNatGateway gateway = FakeNatGateway.builder().maxLifetimeSeconds(4).start();
        TorrentSession session = start(gateway, true)) {
      awaitMappings(session, 2);
      int asked = gateway.requests();
      Thread.sleep(5000);
      assertThat(gateway.requests()).isGreaterThanOrEqualTo(asked + 2);
      assertThat(session.portMappings()).hasSize(2);
    }
  }

  @Test
  void aRefusingOrSilentGatewayLeavesTheSessionWorking() throws Exception {
    try (FakeNatGateway refusing = FakeNatGateway.builder().refuse(true).start();
        FakeNatGateway silent =
            FakeNatGateway.builder().protocols(FakeNatGateway.Protocols.NONE).start();
        TorrentSession refused = start(refusing, true);
        TorrentSession unanswered = start(silent, true)) {
      Swarm.await(Duration.ofSeconds(10), "the requests", () -> refusing.requests() >= 2);
      Swarm.await(Duration.ofSeconds(10), "retransmissions", () -> silent.requests() >= 4);
      assertThat(refused.portMappings()).isEmpty();
      assertThat(unanswered.portMappings()).isEmpty();
      assertThat(refused.externalAddress()).isEmpty();
      assertThat(refused.failure()).isEmpty();
      assertThat(unanswered.failure()).isEmpty();
    }
  }

  @Test
  void turnedOffItDeletesTheMappingsAndOnItMapsAgain() throws Exception {
    try (FakeNatGateway gateway = FakeNatGateway.builder().start();
        TorrentSession session = start(gateway, true)) {
      awaitMappings(session, 2);
      session.applySettings(session.settings().toBuilder().portMapping(false).build()).get();
      assertThat(session.portMappings()).isEmpty();
      Swarm.await(Duration.ofSeconds(5), "deleted", () -> gateway.mappings().isEmpty());
      session.applySettings(session.settings().toBuilder().portMapping(true).build()).get();
      awaitMappings(session, 2);
      assertThat(gateway.mappings()).hasSize(2);
    }
  }

  @Test
  void theUdpPortIsMappedWhenUtpIsTurnedOnLater() throws Exception {
    try (FakeNatGateway gateway = FakeNatGateway.builder().start();
        TorrentSession session =
            TorrentSession.start(
                Swarm.config()
                    .portMappingGateway(gateway.address())
                    .portMapping(true)
                    .utp(false)
                    .build())) {
      assertThat(awaitMappings(session, 1).get(0).protocol()).isEqualTo(PortMapping.Protocol.TCP);
      session.applySettings(session.settings().toBuilder().utp(true).build()).get();
      assertThat(awaitMappings(session, 2))
          .extracting(PortMapping::protocol)
          .containsExactlyInAnyOrder(PortMapping.Protocol.TCP, PortMapping.Protocol.UDP);
    }
  }

  @Test
  void offByDefaultAndThenNothingIsSent() throws Exception {
    try (FakeNatGateway gateway = FakeNatGateway.builder().start();
        TorrentSession session = start(gateway, false)) {
      assertThat(session.settings().portMapping()).isFalse();
      Thread.sleep(1000);
      assertThat(gateway.requests()).isZero();
      assertThat(session.portMappings()).isEmpty();
      assertThat(session.externalAddress()).isEmpty();
    }
    assertThat(SessionSettings.builder().build().portMapping()).isFalse();
  }
}
