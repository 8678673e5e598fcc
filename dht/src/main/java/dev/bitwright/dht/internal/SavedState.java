package dev.bitwright.dht.internal;

import dev.bitwright.bencode.BencodeDecoder;
import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeEncoder;
import dev.bitwright.bencode.BencodeException;
import dev.bitwright.bencode.BencodeValue;
import dev.bitwright.dht.DhtContact;
import dev.bitwright.dht.DhtException;
import dev.bitwright.dht.NodeId;
import dev.bitwright.metainfo.internal.compact.CompactAddressException;
import dev.bitwright.metainfo.internal.compact.CompactAddresses;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code DhtNode.saveState} keeps across restarts: the node id and the routing tables' nodes,
 * as a bencoded dictionary {@code {"id": 20 bytes, "nodes": compact IPv4 nodes, "nodes6": compact
 * IPv6 nodes}}.
 *
 * @param id the node id
 * @param nodes the nodes of both tables
 */
public record SavedState(NodeId id, List<DhtContact> nodes) {
  /** The most nodes restored, whatever the state holds: more than two full tables never help. */
  public static final int MAX_NODES = 2 * 160 * RoutingTable.K;

  /** Copies the node list. */
  public SavedState {
    nodes = List.copyOf(nodes);
  }

  /** Returns the encoded state. */
  public byte[] encode() {
    List<DhtContact> v4 = new ArrayList<>();
    List<DhtContact> v6 = new ArrayList<>();
    for (DhtContact c : nodes) {
      (CompactAddresses.ipLength(c.address().getAddress()) == CompactAddresses.IPV4 ? v4 : v6)
          .add(c);
    }
    return BencodeEncoder.encode(
        BencodeDictionary.builder()
            .put("id", id.toBytes())
            .put("nodes", CompactNodes.nodes(v4))
            .put("nodes6", CompactNodes.nodes(v6))
            .build());
  }

  /**
   * Decodes a saved state.
   *
   * @throws DhtException if it is malformed
   */
  public static SavedState decode(byte[] state) throws DhtException {
    BencodeValue decoded;
    try {
      decoded = BencodeDecoder.strict().decode(ByteBuffer.wrap(state));
    } catch (BencodeException e) {
      throw new DhtException("not a saved DHT state", e);
    }
    if (!(decoded instanceof BencodeDictionary dictionary)) {
      throw new DhtException("not a dictionary", "");
    }
    KrpcFields fields = new KrpcFields(dictionary, "");
    List<DhtContact> nodes = new ArrayList<>();
    try {
      nodes.addAll(CompactNodes.parseNodes(fields.bytes("nodes"), CompactNodes.NODE_V4));
      nodes.addAll(CompactNodes.parseNodes(fields.bytes("nodes6"), CompactNodes.NODE_V6));
    } catch (CompactAddressException e) {
      throw new DhtException("bad node list", e);
    }
    return new SavedState(fields.id("id"), nodes.subList(0, Math.min(nodes.size(), MAX_NODES)));
  }
}
