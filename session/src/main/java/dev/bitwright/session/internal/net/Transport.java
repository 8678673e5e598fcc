package dev.bitwright.session.internal.net;

import java.net.InetSocketAddress;
import java.util.function.Function;

/** Opens and accepts peer connections: TCP over NIO, or an in-memory network in tests. */
public interface Transport {
  /** Opens a connection; the handler hears {@code onConnected} or {@code onClosed}. */
  void connect(InetSocketAddress remote, long timeoutNanos, ConnectionHandler handler);

  /** Sets who handles incoming connections: a handler per connection. */
  void onAccept(Function<Connection, ConnectionHandler> acceptor);

  /** Returns the listening address (with the real port when 0 was asked). */
  InetSocketAddress listenAddress();
}
