package dev.bitwright.testing;

import dev.bitwright.wire.PeerMessage;
import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link MockPeer} expected did not happen: no message, or not the one wanted, came within
 * the timeout; the other side closed the connection; it sent bytes that are not the protocol; or
 * connecting, handshaking or sending failed or took too long. This is the only exception a {@code
 * MockPeer} throws for what the other side does (caller mistakes raise {@link
 * IllegalArgumentException} and {@link IllegalStateException}).
 *
 * <p>The message says what was expected and what happened instead, naming the messages read while
 * waiting; {@link #received()} holds them, so that a test can look closer.
 */
public final class MockPeerException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Messages are not serializable, and only the thrower's test reads them. */
  private final transient List<PeerMessage> received;

  MockPeerException(String message, List<PeerMessage> received, @Nullable Throwable cause) {
    super(message, cause);
    this.received = List.copyOf(received);
  }

  /**
   * {@return the messages read during the failed wait, oldest first: all of them, or the last 32
   * when more came (the exception's message says how many)} Empty for failures outside a wait, and
   * after deserialization.
   */
  public List<PeerMessage> received() {
    return received == null ? List.of() : received;
  }
}
