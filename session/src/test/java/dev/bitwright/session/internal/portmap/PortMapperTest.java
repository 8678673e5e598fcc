package dev.bitwright.session.internal.portmap;

import static dev.bitwright.session.internal.portmap.PortMapper.RETRY_LATER_NANOS;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import dev.bitwright.session.PortMapping;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The port mapping client's state machine, in time of its own and against written answers. */
class PortMapperTest {
  private static final long MS = 1_000_000L;
  private static final long S = 1000 * MS;
  private static final long T0 = Long.MAX_VALUE - 100 * S; // wrap-around arithmetic is exercised
  private static final byte[] EXTERNAL = {(byte) 203, 0, 113, 7};

  final List<byte[]> sent = new ArrayList<>();
  final List<Long> sentAt = new ArrayList<>();
  final List<String> findings = new ArrayList<>();
  long now = T0;

  final PortMapper mapper =
      new PortMapper(
          InetAddresses.forString("10.0.0.2"),
          new SplittableRandom(1),
          new PortMapper.Listener() {
            @Override
            public void send(byte[] datagram) {
              sent.add(datagram);
              sentAt.add(now - T0);
            }

            @Override
            public void mapped(PortMapper.ActiveMapping m) {
              findings.add(
                  "mapped "
                      + m.protocol()
                      + " "
                      + m.internalPort()
                      + "->"
                      + m.externalPort()
                      + (m.method() == PortMapping.Method.PCP ? " pcp" : " nat-pmp"));
            }

            @Override
            public void failed(MappedProtocol protocol, int internalPort, String reason) {
              findings.add("failed " + protocol + " " + internalPort + ": " + reason);
            }

            @Override
            public void externalAddress(InetAddress address) {
              findings.add("external " + address.getHostAddress());
            }

            @Override
            public void pcpUnanswered() {
              findings.add("no PCP answer");
            }
          });

  /** Advances the clock to {@code at} (nanoseconds after T0), ticking whenever the mapper asks. */
  private void runUntil(long at) {
    long end = T0 + at;
    mapper.tick(now);
    int turns = 0;
    for (OptionalLong next = mapper.nextWake();
        next.isPresent() && next.getAsLong() - end <= 0;
        next = mapper.nextWake()) {
      if (++turns > 10_000) {
        throw new AssertionError("the mapper keeps asking to run at " + (next.getAsLong() - T0));
      }
      if (next.getAsLong() - now > 0) {
        now = next.getAsLong();
      }
      mapper.tick(now);
    }
    now = end;
  }

  private void answer(ByteBuffer datagram) throws PortMapFormatException {
    mapper.received(datagram, now);
  }

  private byte[] last() {
    return sent.get(sent.size() - 1);
  }

  @Test
  void pcpMapsAndRenewsAtHalfTheLifetime() throws Exception {
    mapper.add(MappedProtocol.TCP, 6881, now);
    mapper.tick(now);
    assertThat(sent).hasSize(1);
    assertThat(last()[0]).isEqualTo((byte) 2);
    answer(GatewayAnswers.pcpMapped(last(), 0, 600, 100, 40000, EXTERNAL));
    assertThat(findings).containsExactly("external 203.0.113.7", "mapped TCP 6881->40000 pcp");
    assertThat(mapper.mappings()).hasSize(1);
    runUntil(299 * S);
    assertThat(sent).hasSize(1);
    runUntil(300 * S + MS);
    assertThat(sent).hasSize(2);
    // The renewal asks for the port and address granted.
    assertThat(ByteBuffer.wrap(last()).getShort(42) & 0xFFFF).isEqualTo(40000);
    answer(GatewayAnswers.pcpMapped(last(), 0, 600, 400, 40000, EXTERNAL));
    // Unchanged: no new finding.
    assertThat(findings).hasSize(2);
  }

  @Test
  void retransmitsAt250MsDoublingThenFallsBackToNatPmpWhenPcpGoesUnanswered() {
    mapper.add(MappedProtocol.TCP, 6881, now);
    runUntil(3700 * MS);
    assertThat(sentAt).containsExactly(0L, 250 * MS, 750 * MS, 1750 * MS);
    runUntil(3800 * MS);
    // NAT-PMP now: the mapping request, and the external address request beside the first one.
    assertThat(sent.get(4)[0]).isZero();
    assertThat(sent.get(4)).hasSize(12);
    assertThat(sent.get(5)).containsExactly(0, 0);
    assertThat(mapper.speaksPcp()).isFalse();
  }

  @Test
  void fallsBackAtOnceOnUnsupportedVersionAndMapsByNatPmp() throws Exception {
    mapper.add(MappedProtocol.UDP, 6881, now);
    mapper.tick(now);
    answer(GatewayAnswers.unsupportedVersion(10));
    mapper.tick(now);
    assertThat(sent).hasSize(3);
    assertThat(sent.get(1)[1]).isEqualTo((byte) 1); // NAT-PMP map UDP
    answer(GatewayAnswers.natPmpAddress(10, EXTERNAL));
    answer(GatewayAnswers.natPmpMapped(1, 0, 10, 6881, 6881, 7200));
    assertThat(findings).containsExactly("external 203.0.113.7", "mapped UDP 6881->6881 nat-pmp");
    assertThat(mapper.mappings().get(0).externalAddress())
        .isEqualTo(InetAddresses.forString("203.0.113.7"));
  }

  @Test
  void givesUpAfterNineNatPmpTriesAndStartsOverFromPcpLater() {
    mapper.add(MappedProtocol.TCP, 6881, now);
    runUntil(200 * S);
    // 4 PCP tries, then 9 NAT-PMP ones (each with the address request) over about 64 s.
    assertThat(sent).hasSize(4 + 18);
    assertThat(findings)
        .containsExactly("no PCP answer", "failed TCP 6881: no answer from the gateway");
    assertThat(mapper.speaksPcp()).isTrue();
    long gaveUpAt = 3750 * MS + 127750 * MS;
    runUntil(gaveUpAt + RETRY_LATER_NANOS - S);
    assertThat(sent).hasSize(22);
    runUntil(gaveUpAt + RETRY_LATER_NANOS + MS);
    assertThat(sent).hasSize(23);
    assertThat(last()[0]).isEqualTo((byte) 2);
  }

  @Test
  void aRefusalIsReportedAndRetriedLater() throws Exception {
    mapper.add(MappedProtocol.TCP, 6881, now);
    mapper.tick(now);
    answer(GatewayAnswers.pcpMapped(last(), 2, 30, 5, 0, new byte[4]));
    assertThat(findings)
        .containsExactly("failed TCP 6881: the gateway refused (PCP: not authorized)");
    runUntil(RETRY_LATER_NANOS - S);
    assertThat(sent).hasSize(1);
    runUntil(RETRY_LATER_NANOS + MS);
    assertThat(sent).hasSize(2);
  }

  @Test
  void aGatewayThatRestartedHasEveryMappingAskedForAgainAtOnce() throws Exception {
    mapper.add(MappedProtocol.TCP, 6881, now);
    mapper.add(MappedProtocol.UDP, 6881, now);
    mapper.tick(now);
    answer(GatewayAnswers.pcpMapped(sent.get(0), 0, 7200, 1000, 6881, EXTERNAL));
    answer(GatewayAnswers.pcpMapped(sent.get(1), 0, 7200, 1000, 6881, EXTERNAL));
    runUntil(60 * S);
    assertThat(sent).hasSize(2);
    // An ANNOUNCE with an epoch far behind the 1,060 expected.
    answer(GatewayAnswers.pcpAnnounce(3));
    mapper.tick(now);
    assertThat(sent).hasSize(4);
  }

  @Test
  void anEpochThatKeepsTimeChangesNothing() throws Exception {
    mapper.add(MappedProtocol.TCP, 6881, now);
    mapper.tick(now);
    answer(GatewayAnswers.pcpMapped(sent.get(0), 0, 7200, 1000, 6881, EXTERNAL));
    runUntil(60 * S);
    answer(GatewayAnswers.pcpAnnounce(1060));
    mapper.tick(now);
    assertThat(sent).hasSize(1);
  }

  @Test
  void aMappingNotRenewedExpires() throws Exception {
    mapper.add(MappedProtocol.TCP, 6881, now);
    mapper.tick(now);
    answer(GatewayAnswers.pcpMapped(last(), 0, 10, 1, 6881, EXTERNAL));
    runUntil(11 * S);
    assertThat(findings).contains("failed TCP 6881: the mapping expired unrenewed");
    assertThat(mapper.mappings()).isEmpty();
  }

  @Test
  void anAnswerWithAnotherNonceIsNotOurs() throws Exception {
    mapper.add(MappedProtocol.TCP, 6881, now);
    mapper.tick(now);
    byte[] forged = last().clone();
    forged[24] ^= 1;
    answer(GatewayAnswers.pcpMapped(forged, 0, 7200, 1, 1234, EXTERNAL));
    assertThat(mapper.mappings()).isEmpty();
  }

  @Test
  void deletingSendsLifetimeZeroWithTheSameNonce() throws Exception {
    mapper.add(MappedProtocol.TCP, 6881, now);
    mapper.tick(now);
    byte[] request = last();
    answer(GatewayAnswers.pcpMapped(request, 0, 7200, 1, 6881, EXTERNAL));
    mapper.deleteAll();
    ByteBuffer delete = ByteBuffer.wrap(last());
    assertThat(delete.getInt(4)).isZero();
    assertThat(ByteBuffer.wrap(last(), 24, 12)).isEqualTo(ByteBuffer.wrap(request, 24, 12));
    assertThat(mapper.nextWake()).isEmpty();
  }
}
