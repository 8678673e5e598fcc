package dev.bitwright.dht;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.io.BaseEncoding;
import dev.bitwright.metainfo.InfoHash;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.random.RandomGenerator;
import java.util.zip.CRC32C;

/**
 * A 160-bit identifier in the DHT key space: the id of a node, or the key under which peers of a
 * torrent are stored (its info-hash). Immutable; equality compares the 20 bytes.
 *
 * <p>{@link #secure(InetAddress, RandomGenerator)} and {@link #isSecureFor(InetAddress)} implement
 * the node id restriction of BEP 42: the first 21 bits of a node id are a CRC32-C of the node's
 * masked external IP and a 3-bit random number stored in the last byte.
 */
public final class NodeId implements Comparable<NodeId> {
  /** The length of an id in bytes. */
  public static final int LENGTH = 20;

  /** The number of bits in an id. */
  public static final int BITS = LENGTH * 8;

  private static final BaseEncoding HEX = BaseEncoding.base16().lowerCase();
  private static final byte[] V4_MASK = {0x03, 0x0f, 0x3f, (byte) 0xff};
  private static final byte[] V6_MASK = {0x01, 0x03, 0x07, 0x0f, 0x1f, 0x3f, 0x7f, (byte) 0xff};

  private final byte[] bytes;

  private NodeId(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * {@return the id made of a copy of {@code twentyBytes}}
   *
   * @param twentyBytes the id's 20 bytes, most significant first
   * @throws IllegalArgumentException if the array does not hold exactly 20 bytes
   */
  public static NodeId of(byte[] twentyBytes) {
    checkNotNull(twentyBytes, "twentyBytes");
    checkArgument(
        twentyBytes.length == LENGTH, "a node id has 20 bytes, not %s", twentyBytes.length);
    return new NodeId(twentyBytes.clone());
  }

  /**
   * {@return the DHT key of a torrent: a v1 info-hash as it is, a v2 info-hash truncated to 20
   * bytes (BEP 52)}
   *
   * @param infoHash a v1 or v2 info-hash
   */
  public static NodeId of(InfoHash infoHash) {
    return new NodeId(infoHash.isV1() ? infoHash.bytes() : infoHash.truncated());
  }

  /**
   * {@return the id written as 40 hexadecimal digits (either case)}
   *
   * @param hex 40 hexadecimal digits
   * @throws IllegalArgumentException if {@code hex} is not 40 hexadecimal digits
   */
  public static NodeId fromHex(String hex) {
    checkArgument(hex.length() == 2 * LENGTH, "a node id has 40 hex digits: %s", hex);
    return new NodeId(HEX.decode(hex.toLowerCase(Locale.ROOT)));
  }

  /**
   * {@return an id drawn uniformly from {@code random}}
   *
   * @param random the source of the id's bits
   */
  public static NodeId random(RandomGenerator random) {
    byte[] id = new byte[LENGTH];
    random.nextBytes(id);
    return new NodeId(id);
  }

  /**
   * {@return a random id that is valid for a node whose external address is {@code externalIp},
   * following BEP 42}
   *
   * @param externalIp our IPv4 or IPv6 address as other nodes see it
   * @param random the source of the id's random bits
   */
  public static NodeId secure(InetAddress externalIp, RandomGenerator random) {
    int rand = random.nextInt(256);
    int crc = securePrefix(externalIp, rand & 7);
    byte[] id = new byte[LENGTH];
    random.nextBytes(id);
    id[0] = (byte) (crc >>> 24);
    id[1] = (byte) (crc >>> 16);
    id[2] = (byte) (((crc >>> 8) & 0xf8) | (id[2] & 0x07));
    id[19] = (byte) rand;
    return new NodeId(id);
  }

  /**
   * {@return whether this id is a valid BEP 42 id for a node at {@code ip}} Addresses on local
   * networks (10/8, 172.16/12, 192.168/16, 169.254/16, 127/8, and for IPv6 loopback, link-local and
   * unique-local addresses) are exempt, as the BEP says: every id is valid for them.
   *
   * @param ip the node's IPv4 or IPv6 address
   */
  public boolean isSecureFor(InetAddress ip) {
    if (isExemptFromSecureIds(ip)) {
      return true;
    }
    int crc = securePrefix(ip, bytes[19] & 7);
    return bytes[0] == (byte) (crc >>> 24)
        && bytes[1] == (byte) (crc >>> 16)
        && (bytes[2] & 0xf8) == ((crc >>> 8) & 0xf8);
  }

  /**
   * {@return whether BEP 42 exempts {@code ip} from node id verification (local networks)}
   *
   * @param ip an IPv4 or IPv6 address
   */
  public static boolean isExemptFromSecureIds(InetAddress ip) {
    if (ip.isLoopbackAddress() || ip.isLinkLocalAddress() || ip.isSiteLocalAddress()) {
      return true;
    }
    byte[] address = ip.getAddress();
    // fc00::/7: IPv6 unique local addresses, the successor of site-local ones.
    return address.length == 16 && (address[0] & 0xfe) == 0xfc;
  }

  private static int securePrefix(InetAddress ip, int r) {
    byte[] address = ip.getAddress();
    byte[] mask = ip instanceof Inet4Address ? V4_MASK : V6_MASK;
    byte[] masked = new byte[mask.length];
    for (int i = 0; i < mask.length; i++) {
      masked[i] = (byte) (address[i] & mask[i]);
    }
    masked[0] |= (byte) (r << 5);
    CRC32C crc = new CRC32C();
    crc.update(masked);
    return (int) crc.getValue();
  }

  /** {@return a copy of the 20 bytes} */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /**
   * {@return the unsigned value of byte {@code index} (0 is the most significant)}
   *
   * @param index 0 to 19
   */
  public int byteAt(int index) {
    return bytes[index] & 0xff;
  }

  /**
   * {@return bit {@code index}, counting from the most significant bit (0) to the least (159)}
   *
   * @param index 0 to 159
   */
  public boolean bit(int index) {
    return (bytes[index >>> 3] & (0x80 >>> (index & 7))) != 0;
  }

  /**
   * {@return the number of leading bits this id shares with {@code other} (160 when equal)}
   *
   * @param other the id to compare with
   */
  public int commonPrefixLength(NodeId other) {
    for (int i = 0; i < LENGTH; i++) {
      int x = (bytes[i] ^ other.bytes[i]) & 0xff;
      if (x != 0) {
        return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
      }
    }
    return BITS;
  }

  /**
   * Compares the XOR distances of {@code a} and {@code b} to this id: negative when {@code a} is
   * closer, zero when they are the same id, positive when {@code b} is closer.
   *
   * @param a one id
   * @param b the other id
   * @return a negative number when {@code a} is closer, 0 when {@code a} and {@code b} are the same
   *     id, a positive number when {@code b} is closer
   */
  public int compareDistance(NodeId a, NodeId b) {
    for (int i = 0; i < LENGTH; i++) {
      int da = (a.bytes[i] ^ bytes[i]) & 0xff;
      int db = (b.bytes[i] ^ bytes[i]) & 0xff;
      if (da != db) {
        return da - db;
      }
    }
    return 0;
  }

  /**
   * {@return an order of ids by XOR distance to {@code target}, closest first}
   *
   * @param target the id distances are measured from
   */
  public static Comparator<NodeId> byDistanceTo(NodeId target) {
    return target::compareDistance;
  }

  /** {@return the 40 lowercase hexadecimal digits} */
  public String toHex() {
    return HEX.encode(bytes);
  }

  /** Orders ids as unsigned 160-bit numbers. */
  @Override
  public int compareTo(NodeId other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeId other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Returns the id in hexadecimal. */
  @Override
  public String toString() {
    return toHex();
  }
}
