package dev.bitwright.session.internal.net;

import java.io.IOException;

/**
 * A connection that failed on our side before reaching the peer (no socket, too many connections):
 * it says nothing of whether the peer speaks the transport.
 */
final class LocalFailure extends IOException {
  private static final long serialVersionUID = 1L;

  LocalFailure(String message) {
    super(message);
  }
}
