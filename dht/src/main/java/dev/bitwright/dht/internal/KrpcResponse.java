package dev.bitwright.dht.internal;

import dev.bitwright.dht.NodeId;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * A KRPC response.
 *
 * @param transactionId the transaction id of the query it answers
 * @param sender the responding node's id ({@code r.id})
 * @param values the {@code r} dictionary
 * @param requesterAddress our address as the responder saw it (the BEP 42 {@code ip} field)
 */
public record KrpcResponse(
    byte[] transactionId,
    NodeId sender,
    KrpcFields values,
    Optional<InetSocketAddress> requesterAddress)
    implements KrpcMessage {
  /** Copies the transaction id. */
  public KrpcResponse {
    transactionId = transactionId.clone();
  }

  @Override
  public byte[] transactionId() {
    return transactionId.clone();
  }
}
