package dev.bitwright.dht.internal;

import dev.bitwright.dht.DhtContact;
import dev.bitwright.dht.NodeId;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The compact formats of BEP 5 and BEP 32: a peer is its IP then its port, big-endian (6 or 18
 * bytes); a node is its 20-byte id then its compact address (26 or 38 bytes).
 */
public final class CompactAddresses {
  /** Length of a compact IPv4 peer. */
  public static final int PEER_V4 = 6;

  /** Length of a compact IPv6 peer. */
  public static final int PEER_V6 = 18;

  /** Length of a compact IPv4 node. */
  public static final int NODE_V4 = NodeId.LENGTH + PEER_V4;

  /** Length of a compact IPv6 node. */
  public static final int NODE_V6 = NodeId.LENGTH + PEER_V6;

  private CompactAddresses() {}

  /** Returns the compact form of a resolved address. */
  public static byte[] peer(InetSocketAddress address) {
    byte[] ip = address.getAddress().getAddress();
    return ByteBuffer.allocate(ip.length + 2).put(ip).putShort((short) address.getPort()).array();
  }

  /** Decodes a compact peer of 6 or 18 bytes; empty for any other length or port 0. */
  public static Optional<InetSocketAddress> parsePeer(byte[] compact) {
    if (compact.length != PEER_V4 && compact.length != PEER_V6) {
      return Optional.empty();
    }
    return address(compact, 0, compact.length - 2);
  }

  /** Returns the compact node list of {@code contacts}, which must all be of one family. */
  public static byte[] nodes(List<DhtContact> contacts) {
    ByteBuffer out =
        ByteBuffer.allocate(contacts.stream().mapToInt(c -> NodeId.LENGTH + 2 + ipLength(c)).sum());
    for (DhtContact c : contacts) {
      out.put(c.id().toBytes()).put(peer(c.address()));
    }
    return out.array();
  }

  /**
   * Decodes a compact node list of {@code nodeLength} (26 or 38) bytes per node. Nodes with port 0
   * are skipped.
   *
   * @throws IllegalArgumentException if the length is not a multiple of {@code nodeLength}
   */
  public static List<DhtContact> parseNodes(byte[] compact, int nodeLength) {
    if (compact.length % nodeLength != 0) {
      throw new IllegalArgumentException("not a multiple of " + nodeLength + " bytes");
    }
    List<DhtContact> nodes = new ArrayList<>(compact.length / nodeLength);
    for (int at = 0; at < compact.length; at += nodeLength) {
      NodeId id = NodeId.of(Arrays.copyOfRange(compact, at, at + NodeId.LENGTH));
      int ipAt = at + NodeId.LENGTH;
      address(compact, ipAt, nodeLength - NodeId.LENGTH - 2)
          .ifPresent(a -> nodes.add(new DhtContact(id, a)));
    }
    return nodes;
  }

  private static int ipLength(DhtContact c) {
    return c.address().getAddress() instanceof Inet4Address ? 4 : 16;
  }

  private static Optional<InetSocketAddress> address(byte[] bytes, int at, int ipLength) {
    int port = ((bytes[at + ipLength] & 0xff) << 8) | (bytes[at + ipLength + 1] & 0xff);
    if (port == 0) {
      return Optional.empty();
    }
    try {
      InetAddress ip = InetAddress.getByAddress(Arrays.copyOfRange(bytes, at, at + ipLength));
      return Optional.of(new InetSocketAddress(ip, port));
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes are always an address", e);
    }
  }
}
