package dev.bitwright.dht.internal;

/** A decoded KRPC message (BEP 5): a query, a response or an error. */
public sealed interface KrpcMessage permits KrpcQuery, KrpcResponse, KrpcError {
  /** Returns a copy of the transaction id. */
  byte[] transactionId();
}
