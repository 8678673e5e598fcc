package dev.bitwright.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeIdTest {

  /** Returns {@code rand} for the BEP's random byte, and arbitrary bytes for the rest. */
  private static RandomGenerator fixedRand(int rand) {
    SplittableRandom bytes = new SplittableRandom(7);
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        return bytes.nextLong();
      }

      @Override
      public int nextInt(int bound) {
        return rand;
      }
    };
  }

  /** The test vectors of BEP 42. */
  @ParameterizedTest
  @CsvSource({
    "124.31.75.21, 1, 5fbfbff10c5d6a4ec8a88e4c6ab4c28b95eee401",
    "21.75.31.124, 86, 5a3ce9c14e7a08645677bbd1cfe7d8f956d53256",
    "65.23.51.170, 22, a5d43220bc8f112a3d426c84764f8c2a1150e616",
    "84.124.73.14, 65, 1b0321dd1bb1fe518101ceef99462b947a01ff41",
    "43.213.53.83, 90, e56f6cbf5b7c4be0237986d5243b87aa6d51305a"
  })
  void bep42TestVectors(String ip, int rand, String example) throws Exception {
    InetAddress address = InetAddress.getByName(ip);
    NodeId expected = NodeId.fromHex(example);
    NodeId generated = NodeId.secure(address, fixedRand(rand));

    assertThat(expected.isSecureFor(address)).isTrue();
    assertThat(generated.isSecureFor(address)).isTrue();
    assertThat(generated.byteAt(0)).isEqualTo(expected.byteAt(0));
    assertThat(generated.byteAt(1)).isEqualTo(expected.byteAt(1));
    assertThat(generated.byteAt(2) & 0xf8).isEqualTo(expected.byteAt(2) & 0xf8);
    assertThat(generated.byteAt(19)).isEqualTo(rand);
  }

  @Test
  void onlyTheMaskedBitsOfTheAddressCount() throws Exception {
    NodeId id = NodeId.fromHex("5fbfbff10c5d6a4ec8a88e4c6ab4c28b95eee401");
    // The masks 03.0f.3f.ff keep 2, 4, 6 and 8 bits of the octets: 120.47.11.21 masks alike.
    assertThat(id.isSecureFor(InetAddress.getByName("120.47.11.21"))).isTrue();
    assertThat(id.isSecureFor(InetAddress.getByName("124.31.75.22"))).isFalse();
    assertThat(id.isSecureFor(InetAddress.getByName("21.75.31.124"))).isFalse();
  }

  @Test
  void secureIdsForIpv6() throws Exception {
    InetAddress v6 = InetAddress.getByName("2001:db8:1234:5678::1");
    NodeId id = NodeId.secure(v6, new SplittableRandom(3));
    assertThat(id.isSecureFor(v6)).isTrue();
    assertThat(id.isSecureFor(InetAddress.getByName("2a00:1450::1"))).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "10.1.2.3",
    "172.16.0.9",
    "192.168.1.1",
    "169.254.3.4",
    "127.0.0.1",
    "::1",
    "fd00::1"
  })
  void localAddressesAreExempt(String ip) throws Exception {
    NodeId any = NodeId.fromHex("0000000000000000000000000000000000000000");
    assertThat(any.isSecureFor(InetAddress.getByName(ip))).isTrue();
  }

  @Test
  void hexBytesAndEquality() {
    byte[] bytes = new byte[20];
    bytes[0] = (byte) 0xab;
    NodeId id = NodeId.of(bytes);
    bytes[0] = 0;
    assertThat(id.toHex()).isEqualTo("ab" + "00".repeat(19));
    assertThat(NodeId.fromHex(id.toHex().toUpperCase(java.util.Locale.ROOT))).isEqualTo(id);
    assertThat(id.toBytes()[0]).isEqualTo((byte) 0xab);
    assertThat(id.hashCode()).isEqualTo(NodeId.fromHex(id.toHex()).hashCode());
    assertThat(id.toString()).isEqualTo(id.toHex());
    assertThatThrownBy(() -> NodeId.of(new byte[19])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NodeId.fromHex("abc")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void distances() {
    NodeId zero = NodeId.fromHex("00".repeat(20));
    NodeId one = NodeId.fromHex("00".repeat(19) + "01");
    NodeId high = NodeId.fromHex("80" + "00".repeat(19));
    assertThat(zero.commonPrefixLength(zero)).isEqualTo(160);
    assertThat(zero.commonPrefixLength(one)).isEqualTo(159);
    assertThat(zero.commonPrefixLength(high)).isZero();
    assertThat(zero.compareDistance(one, high)).isNegative();
    assertThat(high.compareDistance(one, zero)).isPositive();
    assertThat(high.bit(0)).isTrue();
    assertThat(one.bit(159)).isTrue();
    assertThat(one.bit(158)).isFalse();
  }
}
