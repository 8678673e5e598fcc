package dev.bitwright.session.internal.portmap;

import com.google.common.hash.HashCode;
import com.google.common.net.InetAddresses;
import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * A gateway's datagrams and XML, random or mutated, fail only as {@link PortMapFormatException}.
 */
class PortMapCodecProperties {
  @Property
  void randomBytesFailOnlyAsTheFormatException(@ForAll @Size(max = 1200) byte[] junk) {
    decode(ByteBuffer.wrap(junk));
  }

  @Property
  void mutatedAnswersFailOnlyAsTheFormatException(
      @ForAll @IntRange(min = 0, max = 4) int kind,
      @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 59) Integer> positions,
      @ForAll @Size(min = 6, max = 6) List<Byte> values,
      @ForAll @IntRange(min = 0, max = 64) int cut) {
    byte[] request =
        PcpCodec.mapRequest(
            HashCode.fromString("0102030405060708090a0b0c"),
            MappedProtocol.TCP,
            6881,
            6881,
            7200,
            InetAddresses.forString("10.0.0.2"),
            null);
    ByteBuffer answer =
        switch (kind) {
          case 0 -> GatewayAnswers.pcpMapped(request, 0, 7200, 1, 6881, new byte[] {1, 2, 3, 4});
          case 1 -> GatewayAnswers.pcpAnnounce(3);
          case 2 -> GatewayAnswers.unsupportedVersion(3);
          case 3 -> GatewayAnswers.natPmpMapped(2, 0, 3, 6881, 6881, 7200);
          default -> GatewayAnswers.natPmpAddress(3, new byte[] {1, 2, 3, 4});
        };
    byte[] bytes = new byte[answer.remaining()];
    answer.get(bytes);
    for (int i = 0; i < positions.size(); i++) {
      bytes[positions.get(i) % bytes.length] = values.get(i);
    }
    decode(ByteBuffer.wrap(bytes, 0, Math.min(bytes.length, cut)));
  }

  @Property(tries = 200)
  void mutatedGatewayXmlFailsOnlyAsTheFormatException(
      @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 3090) Integer> positions,
      @ForAll @Size(min = 8, max = 8) List<Byte> values,
      @ForAll @IntRange(min = 0, max = 3100) int cut)
      throws Exception {
    byte[] xml;
    try (var in = getClass().getResourceAsStream("/portmap/miniupnpd-2.3.1-rootDesc.xml")) {
      xml = in.readAllBytes();
    }
    for (int i = 0; i < positions.size(); i++) {
      xml[positions.get(i) % xml.length] = values.get(i);
    }
    byte[] cutXml = java.util.Arrays.copyOf(xml, Math.min(xml.length, cut));
    try {
      IgdControl.service(cutXml, java.net.URI.create("http://10.250.0.1:5000/rootDesc.xml"));
    } catch (PortMapFormatException expected) {
      // the one documented failure
    }
    try {
      IgdControl.errorCode(cutXml);
      IgdControl.externalAddress(cutXml);
    } catch (PortMapFormatException expected) {
      // the one documented failure
    }
  }

  @Property
  void randomSsdpAnswersFailOnlyAsTheFormatException(@ForAll @Size(max = 2100) byte[] junk) {
    try {
      SsdpSearch.location(ByteBuffer.wrap(junk));
    } catch (PortMapFormatException expected) {
      // the one documented failure
    }
  }

  private static void decode(ByteBuffer datagram) {
    try {
      PcpCodec.decode(datagram);
    } catch (PortMapFormatException expected) {
      // the one documented failure
    }
  }
}
