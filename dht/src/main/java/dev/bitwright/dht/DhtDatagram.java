package dev.bitwright.dht;

import static com.google.common.base.Preconditions.checkNotNull;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A datagram for the host to send. The destination may be unresolved (a bootstrap host name): the
 * host resolves it before sending, and replies from the resolved address are accepted.
 *
 * @param destination where to send the payload
 * @param payload the bytes to send, a read-only buffer positioned at 0
 */
public record DhtDatagram(InetSocketAddress destination, ByteBuffer payload) {
  /**
   * Creates a datagram; the payload is kept read-only.
   *
   * @param destination where to send the payload, possibly unresolved
   * @param payload the bytes to send, from its position to its limit; kept as a read-only view
   */
  public DhtDatagram {
    checkNotNull(destination, "destination");
    payload = payload.asReadOnlyBuffer();
  }

  /** {@return a read-only view of the payload, positioned at 0 and independent of other views} */
  @Override
  public ByteBuffer payload() {
    return payload.duplicate();
  }
}
