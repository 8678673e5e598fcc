package dev.bitwright.session.internal.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** A byte stream to a peer, driven by the loop thread. */
public interface Connection {
  /** Returns the peer's address. */
  InetSocketAddress remoteAddress();

  /** Returns whether we opened the connection. */
  boolean outgoing();

  /** Returns whether the connection runs over uTP rather than TCP. */
  default boolean utp() {
    return false;
  }

  /**
   * Writes as much of {@code data} as the transport takes now (its position advances). When it
   * takes less than all, {@link ConnectionHandler#onWritable} follows once there is room again.
   */
  int write(ByteBuffer data) throws IOException;

  /** Asks for {@link ConnectionHandler#onWritable} when the transport can take more. */
  void wantWrite();

  /** Stops or resumes reading (for download rate limits). */
  void setReading(boolean reading);

  /** Makes sure the read buffer can hold a frame of {@code bytes}. */
  void ensureReadCapacity(int bytes);

  /** Closes the connection; {@link ConnectionHandler#onClosed} follows. */
  void close();

  /** Returns whether the connection is open. */
  boolean isOpen();
}
