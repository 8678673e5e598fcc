package dev.bitwright.dht.internal;

import dev.bitwright.bencode.BencodeList;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.bencode.BencodeValue;
import dev.bitwright.dht.NodeId;
import java.util.Optional;

/**
 * A KRPC query.
 *
 * @param transactionId the transaction id to echo
 * @param method the query name ({@code ping}, {@code find_node}, ...)
 * @param sender the querying node's id ({@code a.id})
 * @param arguments the {@code a} dictionary
 * @param readOnly whether the sender is a read-only node ({@code ro=1}, BEP 43)
 */
public record KrpcQuery(
    byte[] transactionId, String method, NodeId sender, KrpcFields arguments, boolean readOnly)
    implements KrpcMessage {
  /** Copies the transaction id. */
  public KrpcQuery {
    transactionId = transactionId.clone();
  }

  @Override
  public byte[] transactionId() {
    return transactionId.clone();
  }

  /** Returns whether the BEP 32 {@code want} list is present and holds {@code family}. */
  public boolean wants(String family) {
    return want().map(list -> list.values().contains(BencodeString.of(family))).orElse(false);
  }

  /** Returns whether the query carries a {@code want} list. */
  public boolean hasWant() {
    return want().isPresent();
  }

  private Optional<BencodeList> want() {
    Optional<BencodeValue> want = arguments.dictionary().get("want");
    return want.filter(BencodeList.class::isInstance).map(BencodeList.class::cast);
  }
}
