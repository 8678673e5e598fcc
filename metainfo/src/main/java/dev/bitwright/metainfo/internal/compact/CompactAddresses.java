package dev.bitwright.metainfo.internal.compact;

import static com.google.common.base.Preconditions.checkArgument;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Compact addresses: a raw IP is its 4 (IPv4) or 16 (IPv6) bytes in network order, and a compact
 * peer is that IP followed by a big-endian 2-byte port (6 or 18 bytes). A compact list is such
 * peers back to back, all of one family.
 *
 * <p>Decoding validates every length before reading and allocates at most one {@link
 * InetSocketAddress} (with its {@link InetAddress}) per entry of the input it was given: the caller
 * bounds the input, and with it the work. Port 0 is returned as sent, because whether it means "no
 * peer" is the protocol's decision. As with {@link InetAddress#getByAddress(byte[])}, a 16-byte
 * IPv4-mapped address ({@code ::ffff:a.b.c.d}) decodes to its {@link Inet4Address}, which encodes
 * back in 4 bytes. {@link InetAddress#getAddress()} is the inverse of {@link #ip(byte[])}.
 */
public final class CompactAddresses {
  /** Length of a raw IPv4 address. */
  public static final int IPV4 = 4;

  /** Length of a raw IPv6 address. */
  public static final int IPV6 = 16;

  /** Length of a compact IPv4 peer. */
  public static final int PEER_V4 = IPV4 + 2;

  /** Length of a compact IPv6 peer. */
  public static final int PEER_V6 = IPV6 + 2;

  private CompactAddresses() {}

  /** Returns the length of the raw form of {@code ip}, 4 or 16, without copying it. */
  public static int ipLength(InetAddress ip) {
    return ip instanceof Inet4Address ? IPV4 : IPV6;
  }

  /**
   * Decodes a raw IP address.
   *
   * @throws CompactAddressException if {@code raw} is neither 4 nor 16 bytes long
   */
  public static InetAddress ip(byte[] raw) throws CompactAddressException {
    if (raw.length != IPV4 && raw.length != IPV6) {
      throw new CompactAddressException("an IP address of " + raw.length + " bytes", 0);
    }
    return address(raw);
  }

  /**
   * Returns the compact form of a peer: 6 bytes for IPv4, 18 for IPv6.
   *
   * @throws IllegalArgumentException if {@code peer} is unresolved
   */
  public static byte[] encode(InetSocketAddress peer) {
    checkArgument(!peer.isUnresolved(), "compact addresses carry IP addresses only");
    ByteBuffer out = ByteBuffer.allocate(ipLength(peer.getAddress()) + 2);
    write(out, peer);
    return out.array();
  }

  /**
   * Writes the compact form of a peer at {@code out}'s position, advancing it.
   *
   * @throws IllegalArgumentException if {@code peer} is unresolved
   * @throws java.nio.BufferOverflowException if {@code out} has no room for it
   */
  public static void write(ByteBuffer out, InetSocketAddress peer) {
    checkArgument(!peer.isUnresolved(), "compact addresses carry IP addresses only");
    out.put(peer.getAddress().getAddress()).putShort((short) peer.getPort());
  }

  /**
   * Decodes one compact peer.
   *
   * @throws CompactAddressException if {@code compact} is neither 6 nor 18 bytes long
   */
  public static InetSocketAddress decode(byte[] compact) throws CompactAddressException {
    if (compact.length != PEER_V4 && compact.length != PEER_V6) {
      throw new CompactAddressException("a compact peer of " + compact.length + " bytes", 0);
    }
    return read(ByteBuffer.wrap(compact), new byte[compact.length - 2]);
  }

  /**
   * Reads one compact peer of the family of {@code ip} at {@code in}'s position, advancing it past
   * the entry. On failure the position is unchanged.
   *
   * @param ip scratch space of 4 or 16 bytes that chooses the family; it is overwritten, so that a
   *     caller reading many entries reuses one array instead of allocating one per entry
   * @throws CompactAddressException if fewer bytes than an entry remain
   * @throws IllegalArgumentException if {@code ip} is neither 4 nor 16 bytes long
   */
  public static InetSocketAddress read(ByteBuffer in, byte[] ip) throws CompactAddressException {
    checkIpLength(ip.length);
    if (in.remaining() < ip.length + 2) {
      throw new CompactAddressException(
          "a truncated compact peer of " + in.remaining() + " bytes", in.position());
    }
    in.get(ip);
    int port = in.getShort() & 0xffff;
    return new InetSocketAddress(address(ip), port);
  }

  /**
   * Returns the compact list of the peers of {@code peers} whose address is {@code ipLength} bytes
   * long, in order; the others are left out, as they belong in the other family's list.
   *
   * @throws IllegalArgumentException if {@code ipLength} is neither 4 nor 16, or a peer is
   *     unresolved
   */
  public static byte[] encodeList(Collection<InetSocketAddress> peers, int ipLength) {
    checkIpLength(ipLength);
    int count = 0;
    for (InetSocketAddress p : peers) {
      checkArgument(!p.isUnresolved(), "compact addresses carry IP addresses only");
      if (ipLength(p.getAddress()) == ipLength) {
        count++;
      }
    }
    ByteBuffer out = ByteBuffer.allocate(count * (ipLength + 2));
    for (InetSocketAddress p : peers) {
      if (ipLength(p.getAddress()) == ipLength) {
        write(out, p);
      }
    }
    return out.array();
  }

  /**
   * Decodes all the remaining bytes of {@code in} as a compact list of {@code ipLength}-byte
   * addresses with ports, into a new mutable list, leaving {@code in} at its limit. On failure
   * nothing is consumed.
   *
   * @throws CompactAddressException if the remaining length is not a multiple of the entry length
   * @throws IllegalArgumentException if {@code ipLength} is neither 4 nor 16
   */
  public static List<InetSocketAddress> decodeList(ByteBuffer in, int ipLength)
      throws CompactAddressException {
    checkIpLength(ipLength);
    int stride = ipLength + 2;
    int partial = in.remaining() % stride;
    if (partial != 0) {
      throw new CompactAddressException(
          "a compact list ending in " + partial + " bytes of a " + stride + "-byte entry",
          in.limit() - partial);
    }
    List<InetSocketAddress> peers = new ArrayList<>(in.remaining() / stride);
    byte[] ip = new byte[ipLength];
    while (in.hasRemaining()) {
      peers.add(read(in, ip));
    }
    return peers;
  }

  private static void checkIpLength(int ipLength) {
    checkArgument(ipLength == IPV4 || ipLength == IPV6, "IP addresses are 4 or 16 bytes long");
  }

  /** Wraps 4 or 16 bytes, which {@link InetAddress#getByAddress(byte[])} copies. */
  private static InetAddress address(byte[] raw) {
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException impossible) {
      throw new AssertionError("4 or 16 bytes are always an address", impossible);
    }
  }
}
