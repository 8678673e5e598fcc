package dev.bitwright.dht.internal;

/**
 * A KRPC error message.
 *
 * @param transactionId the transaction id of the query it answers
 * @param code the error code (201 generic, 202 server, 203 protocol, 204 method unknown)
 * @param message the human-readable text
 */
public record KrpcError(byte[] transactionId, long code, String message) implements KrpcMessage {
  /** A generic error. */
  public static final int GENERIC = 201;

  /** A server error. */
  public static final int SERVER = 202;

  /** A protocol error: a malformed packet, invalid arguments, or a bad token. */
  public static final int PROTOCOL = 203;

  /** An unknown method. */
  public static final int METHOD_UNKNOWN = 204;

  /** Copies the transaction id. */
  public KrpcError {
    transactionId = transactionId.clone();
  }

  @Override
  public byte[] transactionId() {
    return transactionId.clone();
  }
}
