package dev.bitwright.dht.internal;

import dev.bitwright.dht.DhtContact;
import dev.bitwright.dht.NodeId;
import dev.bitwright.metainfo.internal.compact.CompactAddressException;
import dev.bitwright.metainfo.internal.compact.CompactAddresses;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The compact node format of BEP 5 and BEP 32: a node is its 20-byte id then its compact address
 * (26 or 38 bytes). Addresses themselves are metainfo's {@link CompactAddresses}.
 */
public final class CompactNodes {
  /** Length of a compact IPv4 node. */
  public static final int NODE_V4 = NodeId.LENGTH + CompactAddresses.PEER_V4;

  /** Length of a compact IPv6 node. */
  public static final int NODE_V6 = NodeId.LENGTH + CompactAddresses.PEER_V6;

  private CompactNodes() {}

  /**
   * Decodes a compact peer as the DHT uses one ({@code values}, the BEP 42 {@code ip} field): empty
   * unless it is 6 or 18 bytes long with a port other than 0.
   */
  public static Optional<InetSocketAddress> parsePeer(byte[] compact) {
    try {
      return Optional.of(CompactAddresses.decode(compact)).filter(p -> p.getPort() != 0);
    } catch (CompactAddressException e) {
      return Optional.empty();
    }
  }

  /** Returns the compact node list of {@code contacts}, which must all be of one family. */
  public static byte[] nodes(List<DhtContact> contacts) {
    int length = 0;
    for (DhtContact c : contacts) {
      length += NodeId.LENGTH + CompactAddresses.ipLength(c.address().getAddress()) + 2;
    }
    ByteBuffer out = ByteBuffer.allocate(length);
    for (DhtContact c : contacts) {
      CompactAddresses.write(out.put(c.id().toBytes()), c.address());
    }
    return out.array();
  }

  /**
   * Decodes a compact node list of {@code nodeLength} ({@link #NODE_V4} or {@link #NODE_V6}) bytes
   * per node. Nodes with port 0 are skipped.
   *
   * @throws CompactAddressException if the length is not a multiple of {@code nodeLength}
   */
  public static List<DhtContact> parseNodes(byte[] compact, int nodeLength)
      throws CompactAddressException {
    int partial = compact.length % nodeLength;
    if (partial != 0) {
      throw new CompactAddressException(
          "a compact node list ending in " + partial + " bytes of a node",
          compact.length - partial);
    }
    List<DhtContact> nodes = new ArrayList<>(compact.length / nodeLength);
    ByteBuffer in = ByteBuffer.wrap(compact);
    byte[] ip = new byte[nodeLength - NodeId.LENGTH - 2];
    while (in.hasRemaining()) {
      int at = in.position();
      NodeId id = NodeId.of(Arrays.copyOfRange(compact, at, at + NodeId.LENGTH));
      InetSocketAddress address = CompactAddresses.read(in.position(at + NodeId.LENGTH), ip);
      if (address.getPort() != 0) {
        nodes.add(new DhtContact(id, address));
      }
    }
    return nodes;
  }
}
