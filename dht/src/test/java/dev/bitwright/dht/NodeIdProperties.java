package dev.bitwright.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

class NodeIdProperties {

  @Property(tries = 500)
  void aSecureIdIsValidForItsAddress(@ForAll @Size(4) byte[] ip, @ForAll long seed)
      throws Exception {
    InetAddress address = InetAddress.getByAddress(ip);
    NodeId id = NodeId.secure(address, new SplittableRandom(seed));
    assertThat(id.isSecureFor(address)).isTrue();
    // Only the low 3 bits of the last byte (r) take part; the other 5 are free.
    byte[] idBytes = id.toBytes();
    idBytes[19] ^= (byte) 0xf8;
    assertThat(NodeId.of(idBytes).isSecureFor(address)).isTrue();
    byte[] flipped = ip.clone();
    flipped[3] ^= 1;
    InetAddress neighbour = InetAddress.getByAddress(flipped);
    // The mask keeps all of the last octet, so flipping its low bit changes the CRC input; CRC is
    // linear, so the prefix changes by the same non-zero pattern whatever the address.
    if (!NodeId.isExemptFromSecureIds(neighbour) && !NodeId.isExemptFromSecureIds(address)) {
      assertThat(NodeId.secure(neighbour, new SplittableRandom(seed)).toHex().substring(0, 4))
          .isNotEqualTo(id.toHex().substring(0, 4));
    }
  }

  @Property(tries = 300)
  void secureIdsForIpv6(@ForAll @Size(16) byte[] ip, @ForAll long seed) throws Exception {
    InetAddress address = InetAddress.getByAddress(ip);
    assertThat(NodeId.secure(address, new SplittableRandom(seed)).isSecureFor(address)).isTrue();
  }

  @Property(tries = 500)
  void distanceIsAnXorMetric(@ForAll @Size(20) byte[] a, @ForAll @Size(20) byte[] b) {
    NodeId x = NodeId.of(a);
    NodeId y = NodeId.of(b);
    assertThat(x.commonPrefixLength(y)).isEqualTo(y.commonPrefixLength(x));
    assertThat(x.compareDistance(x, y)).isLessThanOrEqualTo(0);
    assertThat(Integer.signum(x.compareDistance(y, x))).isEqualTo(x.equals(y) ? 0 : 1);
    assertThat(NodeId.fromHex(x.toHex())).isEqualTo(x);
  }
}
