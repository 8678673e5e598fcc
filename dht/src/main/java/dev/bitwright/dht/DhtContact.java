package dev.bitwright.dht;

import static com.google.common.base.Preconditions.checkNotNull;

import java.net.InetSocketAddress;

/**
 * A DHT node: its id and UDP address.
 *
 * @param id the node's id
 * @param address the node's UDP address
 */
public record DhtContact(NodeId id, InetSocketAddress address) {
  /**
   * Creates a contact.
   *
   * @param id the node's id
   * @param address the node's UDP address
   */
  public DhtContact {
    checkNotNull(id, "id");
    checkNotNull(address, "address");
  }
}
