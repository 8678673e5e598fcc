package dev.bitwright.session.internal.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * One TCP connection of the {@link NioTransport}: its connect, its reads (into the transport's
 * shared read buffer, keeping only the tail of an incomplete frame), its write interest and its
 * close. Loop thread only.
 */
final class NioConnection implements Connection {
  private final SocketChannel channel;
  private final InetSocketAddress remote;
  private final boolean outgoing;
  // The transport's one read buffer, shared by every connection (the loop is single-threaded).
  private final ByteBuffer sharedReadBuffer;
  private ConnectionHandler handler;
  private SelectionKey key;
  private EngineLoop.Timer connectTimeout;
  // The bytes of an incomplete frame left by the last read (read mode), or null; or, for a frame
  // larger than the shared buffer, the buffer it is read into (write mode, see largeFrame).
  private ByteBuffer leftover;
  private boolean largeFrame;
  // Where leftovers are kept, reused from read to read; allocated at the first incomplete frame.
  private ByteBuffer spare;
  private int wantedCapacity;
  private boolean closed;

  /**
   * A connection over {@code channel}; {@code handler} may be null until {@link #accepted} (an
   * incoming connection's handler is chosen after it is seen).
   */
  NioConnection(
      SocketChannel channel,
      InetSocketAddress remote,
      boolean outgoing,
      ConnectionHandler handler,
      ByteBuffer sharedReadBuffer) {
    this.channel = channel;
    this.remote = remote;
    this.outgoing = outgoing;
    this.handler = handler;
    this.sharedReadBuffer = sharedReadBuffer;
  }

  /** Registers the channel with {@code selector} for {@code ops}, this connection attached. */
  void register(Selector selector, int ops) throws ClosedChannelException {
    key = channel.register(selector, ops, this);
  }

  /** Sets the timer that fails a pending connect; cancelled once connected or closed. */
  void connectTimeout(EngineLoop.Timer timer) {
    connectTimeout = timer;
  }

  /** An incoming connection is taken by {@code h}: registers it for reading and tells {@code h}. */
  void accepted(ConnectionHandler h, Selector selector) throws ClosedChannelException {
    handler = h;
    register(selector, SelectionKey.OP_READ);
    h.onConnected(this);
  }

  /** The selector found the channel ready: finishes a connect, reads, or reports writability. */
  void ready() throws IOException {
    if (key.isConnectable()) {
      finishConnect();
    }
    if (key.isValid() && key.isReadable()) {
      read();
    }
    if (key.isValid() && key.isWritable()) {
      key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
      handler.onWritable(this);
    }
  }

  private void finishConnect() throws IOException {
    channel.finishConnect();
    if (connectTimeout != null) {
      connectTimeout.cancel();
    }
    key.interestOps(SelectionKey.OP_READ);
    handler.onConnected(this);
  }

  private void read() throws IOException {
    ByteBuffer buffer;
    if (largeFrame) {
      buffer = leftover;
    } else {
      buffer = sharedReadBuffer.clear();
      if (leftover != null) {
        buffer.put(leftover);
        leftover = null;
      }
    }
    int n = channel.read(buffer);
    if (n < 0) {
      close(null);
      return;
    }
    buffer.flip();
    try {
      handler.onData(this, buffer);
    } finally {
      keepLeftover(buffer);
    }
  }

  /** Keeps the unread tail of {@code buffer}, in a buffer big enough for its frame. */
  private void keepLeftover(ByteBuffer buffer) {
    int rest = buffer.remaining();
    int needed = Math.max(rest, wantedCapacity);
    wantedCapacity = 0;
    if (rest == 0 && needed <= sharedReadBuffer.capacity()) {
      leftover = null;
      largeFrame = false;
    } else if (needed > sharedReadBuffer.capacity()) {
      ByteBuffer large = largeFrame ? buffer.compact() : buffer;
      if (!largeFrame || large.capacity() < needed) {
        ByteBuffer bigger = ByteBuffer.allocate(needed);
        bigger.put(largeFrame ? large.flip() : large);
        large = bigger;
      }
      leftover = large;
      largeFrame = true;
    } else {
      if (spare == null || spare.capacity() < rest) {
        spare = ByteBuffer.allocate(Math.max(1024, Integer.highestOneBit(rest - 1) << 1));
      }
      leftover = spare.clear().put(buffer).flip();
      largeFrame = false;
    }
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return remote;
  }

  @Override
  public boolean outgoing() {
    return outgoing;
  }

  @Override
  public int write(ByteBuffer data) throws IOException {
    int n = channel.write(data);
    if (data.hasRemaining()) {
      wantWrite();
    }
    return n;
  }

  @Override
  public void wantWrite() {
    if (key != null && key.isValid()) {
      key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
    }
  }

  @Override
  public void setReading(boolean reading) {
    if (key != null && key.isValid()) {
      int ops = key.interestOps();
      key.interestOps(reading ? ops | SelectionKey.OP_READ : ops & ~SelectionKey.OP_READ);
    }
  }

  @Override
  public void ensureReadCapacity(int bytes) {
    wantedCapacity = Math.max(wantedCapacity, bytes);
  }

  @Override
  public void close() {
    close(null);
  }

  /** Closes the connection and tells its handler why. */
  void fail(IOException reason) {
    close(reason);
  }

  private void close(IOException reason) {
    if (closed) {
      return;
    }
    closed = true;
    if (connectTimeout != null) {
      connectTimeout.cancel();
    }
    if (key != null) {
      key.cancel();
    }
    NioChannels.close(channel);
    if (handler != null) {
      handler.onClosed(this, reason);
    }
  }

  @Override
  public boolean isOpen() {
    return !closed;
  }

  @Override
  public String toString() {
    return remote.toString();
  }
}
