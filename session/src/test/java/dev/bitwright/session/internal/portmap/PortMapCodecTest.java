package dev.bitwright.session.internal.portmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.hash.HashCode;
import com.google.common.io.BaseEncoding;
import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** PCP and NAT-PMP messages against their layouts in RFC 6887 and RFC 6886, byte by byte. */
class PortMapCodecTest {
  private static final HashCode NONCE = HashCode.fromString("0102030405060708090a0b0c");
  private static final InetAddress CLIENT = InetAddresses.forString("192.168.1.20");

  private static String hex(byte[] b) {
    return BaseEncoding.base16().lowerCase().encode(b);
  }

  @Test
  void aPcpMapRequestIsLaidOutAsRfc6887Says() {
    byte[] request = PcpCodec.mapRequest(NONCE, MappedProtocol.TCP, 6881, 6881, 7200, CLIENT, null);
    assertThat(hex(request))
        .isEqualTo(
            // version 2, opcode MAP, reserved, lifetime 7200, client ::ffff:192.168.1.20
            "02010000"
                + "00001c20"
                + "00000000000000000000ffffc0a80114"
                // nonce, protocol 6, reserved, internal 6881, suggested 6881, ::ffff:0.0.0.0
                + "0102030405060708090a0b0c"
                + "06000000"
                + "1ae11ae1"
                + "00000000000000000000ffff00000000");
  }

  @Test
  void aNatPmpMappingRequestIsLaidOutAsRfc6886Says() {
    assertThat(hex(NatPmpCodec.mapRequest(MappedProtocol.UDP, 6881, 7000, 3600)))
        .isEqualTo("0001" + "0000" + "1ae1" + "1b58" + "00000e10");
    assertThat(hex(NatPmpCodec.mapRequest(MappedProtocol.TCP, 6881, 0, 0)))
        .isEqualTo("0002" + "0000" + "1ae1" + "0000" + "00000000");
    assertThat(hex(NatPmpCodec.externalAddressRequest())).isEqualTo("0000");
  }

  @Test
  void decodesAPcpMapAnswer() throws Exception {
    byte[] request = PcpCodec.mapRequest(NONCE, MappedProtocol.UDP, 6881, 6881, 7200, CLIENT, null);
    ByteBuffer answer =
        GatewayAnswers.pcpMapped(request, 0, 3600, 77, 40000, new byte[] {(byte) 203, 0, 113, 7});
    GatewayResponse.Mapping m = (GatewayResponse.Mapping) PcpCodec.decode(answer);
    assertThat(m.result()).isZero();
    assertThat(m.epoch()).isEqualTo(77);
    assertThat(m.protocol()).isEqualTo(MappedProtocol.UDP);
    assertThat(m.internalPort()).isEqualTo(6881);
    assertThat(m.externalPort()).isEqualTo(40000);
    assertThat(m.lifetimeSeconds()).isEqualTo(3600);
    assertThat(m.externalAddress()).isEqualTo(InetAddresses.forString("203.0.113.7"));
    assertThat(m.nonce()).isEqualTo(NONCE);
    assertThat(m.pcp()).isTrue();
    assertThat(answer.position()).isZero();
  }

  @Test
  void decodesNatPmpAnswersAndTheFallbackSignal() throws Exception {
    assertThat(PcpCodec.decode(GatewayAnswers.unsupportedVersion(5)))
        .isEqualTo(new GatewayResponse.VersionNotSupported(1, 5));
    GatewayResponse.Mapping m =
        (GatewayResponse.Mapping)
            PcpCodec.decode(GatewayAnswers.natPmpMapped(2, 0, 9, 6881, 6882, 7200));
    assertThat(m.protocol()).isEqualTo(MappedProtocol.TCP);
    assertThat(m.externalPort()).isEqualTo(6882);
    assertThat(m.pcp()).isFalse();
    assertThat(m.nonce()).isNull();
    GatewayResponse.NatPmpAddress a =
        (GatewayResponse.NatPmpAddress)
            PcpCodec.decode(GatewayAnswers.natPmpAddress(9, new byte[] {1, 2, 3, 4}));
    assertThat(a.externalAddress()).isEqualTo(InetAddresses.forString("1.2.3.4"));
    // An error may come in 8 bytes, without the ports.
    ByteBuffer refused =
        ByteBuffer.allocate(8).put((byte) 0).put((byte) 130).putShort((short) 2).putInt(9).flip();
    assertThat(((GatewayResponse.Mapping) PcpCodec.decode(refused)).result()).isEqualTo(2);
  }

  @Test
  void rejectsWhatNoGatewaySends() {
    byte[] request = PcpCodec.mapRequest(NONCE, MappedProtocol.TCP, 1, 1, 1, CLIENT, null);
    ByteBuffer[] bad = {
      ByteBuffer.allocate(0),
      ByteBuffer.wrap(new byte[] {2}),
      ByteBuffer.wrap(new byte[] {3, (byte) 0x81, 0, 0}),
      ByteBuffer.wrap(request), // a request: no R bit
      ByteBuffer.allocate(24).put(0, (byte) 2).put(1, (byte) 0x81), // MAP without its data
      ByteBuffer.allocate(61).put(0, (byte) 2).put(1, (byte) 0x81), // not a multiple of 4
      ByteBuffer.allocate(1104).put(0, (byte) 2).put(1, (byte) 0x80), // longer than PCP allows
      ByteBuffer.allocate(24).put(0, (byte) 2).put(1, (byte) 0x85), // an unknown opcode
      GatewayAnswers.pcpMapped(request, 0, 1, 1, 1, new byte[4]).put(36, (byte) 1), // ICMP
      ByteBuffer.wrap(new byte[] {0, 2, 0, 0, 0, 0, 0, 0}), // a NAT-PMP request
      ByteBuffer.wrap(new byte[] {0, (byte) 130, 0, 0, 0, 0, 0, 0}), // success without ports
      ByteBuffer.wrap(new byte[] {0, (byte) 128, 0, 0, 0, 0, 0, 0}), // an address without it
      ByteBuffer.wrap(new byte[] {0, (byte) 131, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}),
    };
    for (ByteBuffer b : bad) {
      assertThatThrownBy(() -> PcpCodec.decode(b))
          .as(hex(b.array()))
          .isInstanceOf(PortMapFormatException.class);
    }
  }
}
