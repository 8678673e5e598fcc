package dev.bitwright.metainfo.internal.compact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The one codec of compact addresses: what it encodes it decodes, every wrong length is a {@link
 * CompactAddressException} that consumes nothing, and no input makes it throw anything else.
 */
class CompactAddressesProperties {

  @Property(tries = 2000)
  void peersRoundTrip(@ForAll("peers") InetSocketAddress peer) throws Exception {
    byte[] compact = CompactAddresses.encode(peer);
    assertThat(compact).hasSize(CompactAddresses.ipLength(peer.getAddress()) + 2);
    assertThat(CompactAddresses.decode(compact)).isEqualTo(peer);
    assertThat(CompactAddresses.ip(peer.getAddress().getAddress())).isEqualTo(peer.getAddress());
  }

  @Property(tries = 2000)
  void compactBytesRoundTrip(@ForAll("compactPeers") byte[] compact) throws Exception {
    InetSocketAddress peer = CompactAddresses.decode(compact);
    assertThat(peer.getPort())
        .isEqualTo(
            ((compact[compact.length - 2] & 0xff) << 8) | (compact[compact.length - 1] & 0xff));
    if (isIpv4Mapped(compact)) {
      assertThat(peer.getAddress()).isInstanceOf(Inet4Address.class);
      assertThat(CompactAddresses.encode(peer)).hasSize(CompactAddresses.PEER_V4);
    } else {
      assertThat(CompactAddresses.encode(peer)).isEqualTo(compact);
    }
  }

  @Property(tries = 1000)
  void listsRoundTripOneFamilyEach(@ForAll("peerLists") List<InetSocketAddress> peers)
      throws Exception {
    List<InetSocketAddress> v4 = new ArrayList<>();
    List<InetSocketAddress> v6 = new ArrayList<>();
    for (InetSocketAddress p : peers) {
      (p.getAddress() instanceof Inet4Address ? v4 : v6).add(p);
    }
    byte[] four = CompactAddresses.encodeList(peers, CompactAddresses.IPV4);
    byte[] six = CompactAddresses.encodeList(peers, CompactAddresses.IPV6);
    assertThat(four).hasSize(v4.size() * CompactAddresses.PEER_V4);
    assertThat(six).hasSize(v6.size() * CompactAddresses.PEER_V6);
    ByteBuffer in = ByteBuffer.wrap(four);
    assertThat(CompactAddresses.decodeList(in, CompactAddresses.IPV4)).isEqualTo(v4);
    assertThat(in.hasRemaining()).isFalse();
    assertThat(CompactAddresses.decodeList(ByteBuffer.wrap(six), CompactAddresses.IPV6))
        .isEqualTo(v6);
  }

  /** A list is read from the buffer's position to its limit, not from the array's bounds. */
  @Property(tries = 500)
  void listsAreReadBetweenPositionAndLimit(
      @ForAll("peerLists") List<InetSocketAddress> peers,
      @ForAll @Size(max = 30) byte[] before,
      @ForAll @Size(max = 30) byte[] after)
      throws Exception {
    byte[] list = CompactAddresses.encodeList(peers, CompactAddresses.IPV6);
    ByteBuffer in = ByteBuffer.wrap(concat(before, list, after));
    in.position(before.length).limit(before.length + list.length);
    assertThat(CompactAddresses.decodeList(in, CompactAddresses.IPV6))
        .isEqualTo(CompactAddresses.decodeList(ByteBuffer.wrap(list), CompactAddresses.IPV6));
    assertThat(in.position()).isEqualTo(before.length + list.length);
  }

  @Property(tries = 1000)
  void everyTruncatedOrExtendedListIsRejected(
      @ForAll("peerLists") List<InetSocketAddress> peers,
      @ForAll boolean v6,
      @ForAll @IntRange(min = -17, max = 17) int change) {
    int ipLength = v6 ? CompactAddresses.IPV6 : CompactAddresses.IPV4;
    int stride = ipLength + 2;
    byte[] list = CompactAddresses.encodeList(peers, ipLength);
    int length = list.length + change;
    if (length < 0 || length % stride == 0) {
      return;
    }
    ByteBuffer in = ByteBuffer.wrap(Arrays.copyOf(list, length));
    assertThatThrownBy(() -> CompactAddresses.decodeList(in, ipLength))
        .isInstanceOfSatisfying(
            CompactAddressException.class,
            e -> assertThat(e.offset()).isEqualTo(length - length % stride));
    assertThat(in.position()).isZero();
  }

  @Property(tries = 1000)
  void everyOtherLengthOfOneAddressIsRejected(@ForAll @Size(max = 40) byte[] bytes) {
    if (bytes.length != CompactAddresses.PEER_V4 && bytes.length != CompactAddresses.PEER_V6) {
      assertThatThrownBy(() -> CompactAddresses.decode(bytes))
          .isInstanceOf(CompactAddressException.class);
    }
    if (bytes.length != CompactAddresses.IPV4 && bytes.length != CompactAddresses.IPV6) {
      assertThatThrownBy(() -> CompactAddresses.ip(bytes))
          .isInstanceOf(CompactAddressException.class);
    }
    for (int ipLength : new int[] {CompactAddresses.IPV4, CompactAddresses.IPV6}) {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      if (bytes.length < ipLength + 2) {
        assertThatThrownBy(() -> CompactAddresses.read(in, new byte[ipLength]))
            .isInstanceOfSatisfying(
                CompactAddressException.class, e -> assertThat(e.offset()).isZero());
        assertThat(in.position()).isZero();
      }
    }
  }

  @Property(tries = 5000)
  void randomBytesDecodeOrRaiseOnlyCompactAddressException(
      @ForAll @Size(max = 100) byte[] bytes, @ForAll boolean v6) {
    int ipLength = v6 ? CompactAddresses.IPV6 : CompactAddresses.IPV4;
    try {
      List<InetSocketAddress> peers = CompactAddresses.decodeList(ByteBuffer.wrap(bytes), ipLength);
      assertThat(peers).hasSize(bytes.length / (ipLength + 2));
      peers.forEach(p -> assertThat(p.isUnresolved()).isFalse());
    } catch (CompactAddressException expected) {
      assertThat(bytes.length % (ipLength + 2)).isNotZero();
    }
    try {
      assertThat(CompactAddresses.decode(bytes).isUnresolved()).isFalse();
    } catch (CompactAddressException expected) {
      assertThat(bytes.length).isNotIn(CompactAddresses.PEER_V4, CompactAddresses.PEER_V6);
    }
    try {
      assertThat(CompactAddresses.ip(bytes)).isNotNull();
    } catch (CompactAddressException expected) {
      assertThat(bytes.length).isNotIn(CompactAddresses.IPV4, CompactAddresses.IPV6);
    }
  }

  @Example
  void portZeroAndMappedAddressesAreDecodedAsSent() throws Exception {
    byte[] mapped = new byte[CompactAddresses.PEER_V6];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = 1;
    mapped[15] = 2;
    InetSocketAddress peer = CompactAddresses.decode(mapped);
    assertThat(peer).isEqualTo(new InetSocketAddress(InetAddress.getByName("1.0.0.2"), 0));
  }

  @Example
  void callerMistakesAreIllegalArguments() {
    InetSocketAddress unresolved = InetSocketAddress.createUnresolved("example.org", 1);
    assertThatThrownBy(() -> CompactAddresses.encode(unresolved))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CompactAddresses.encodeList(List.of(unresolved), 4))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CompactAddresses.encodeList(List.of(), 6))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CompactAddresses.decodeList(ByteBuffer.allocate(6), 6))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CompactAddresses.read(ByteBuffer.allocate(6), new byte[6]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Provide
  Arbitrary<InetSocketAddress> peers() {
    return Combinators.combine(
            Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofSize(CompactAddresses.IPV4),
                Arbitraries.bytes().array(byte[].class).ofSize(CompactAddresses.IPV6)),
            Arbitraries.integers().between(0, 0xffff))
        .as((ip, port) -> new InetSocketAddress(address(ip), port));
  }

  @Provide
  Arbitrary<List<InetSocketAddress>> peerLists() {
    return peers().list().ofMaxSize(20);
  }

  @Provide
  Arbitrary<byte[]> compactPeers() {
    Arbitrary<byte[]> mapped =
        Arbitraries.bytes()
            .array(byte[].class)
            .ofSize(CompactAddresses.PEER_V6)
            .map(
                b -> {
                  Arrays.fill(b, 0, 10, (byte) 0);
                  b[10] = (byte) 0xff;
                  b[11] = (byte) 0xff;
                  return b;
                });
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofSize(CompactAddresses.PEER_V4),
        Arbitraries.bytes().array(byte[].class).ofSize(CompactAddresses.PEER_V6),
        mapped);
  }

  private static boolean isIpv4Mapped(byte[] compact) {
    if (compact.length != CompactAddresses.PEER_V6) {
      return false;
    }
    for (int i = 0; i < 10; i++) {
      if (compact[i] != 0) {
        return false;
      }
    }
    return compact[10] == (byte) 0xff && compact[11] == (byte) 0xff;
  }

  private static InetAddress address(byte[] ip) {
    try {
      return InetAddress.getByAddress(ip);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] concat(byte[]... parts) {
    ByteBuffer out = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
    for (byte[] p : parts) {
      out.put(p);
    }
    return out.array();
  }
}
