package dev.bitwright.session.internal.net;

import java.io.IOException;
import java.nio.ByteBuffer;

/** What a transport tells about one connection; every call comes on the loop thread. */
public interface ConnectionHandler {
  /** The connection is established. */
  void onConnected(Connection connection);

  /** Received bytes: consume what can be used (advance the position); the rest stays. */
  void onData(Connection connection, ByteBuffer data) throws IOException;

  /** The transport can take more bytes. */
  void onWritable(Connection connection) throws IOException;

  /** The connection failed to open or closed; {@code reason} is null for a normal close. */
  void onClosed(Connection connection, IOException reason);
}
