package dev.bitwright.session.internal.net;

import dev.bitwright.utp.UtpSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;

/**
 * One uTP connection of the {@link UtpTransport} as a {@link Connection}: reads the socket's bytes
 * into a buffer of its own (keeping the tail of an incomplete frame, grown for a large one) while
 * reading is on, and tells its handler. Loop thread only.
 */
final class UtpConnection implements Connection, UtpSocket.Listener {
  private static final int READ_BUFFER_BYTES = 64 * 1024;

  private final UtpTransport transport;
  private final InetSocketAddress remote;
  private final boolean outgoing;
  private final Runnable deliver = this::deliver;
  private final Runnable writable = this::writableNow;
  private ConnectionHandler handler;
  private UtpSocket socket;
  private EngineLoop.Timer connectTimeout;
  // Write mode: the unread tail of the last delivery, then what the socket adds.
  private ByteBuffer readBuffer;
  private boolean reading = true;
  private boolean connected;
  private boolean closed;
  private boolean deliverQueued;
  private boolean writableQueued;
  private int wantedCapacity;
  private final WritableByteChannel channel =
      new WritableByteChannel() {
        @Override
        public int write(ByteBuffer src) throws IOException {
          return UtpConnection.this.write(src);
        }

        @Override
        public boolean isOpen() {
          return UtpConnection.this.isOpen();
        }

        @Override
        public void close() {
          UtpConnection.this.close();
        }
      };

  UtpConnection(
      UtpTransport transport,
      InetSocketAddress remote,
      boolean outgoing,
      ConnectionHandler handler) {
    this.transport = transport;
    this.remote = remote;
    this.outgoing = outgoing;
    this.handler = handler;
  }

  void handler(ConnectionHandler h) {
    this.handler = h;
  }

  void attach(UtpSocket s) {
    this.socket = s;
  }

  void connectTimeout(EngineLoop.Timer timer) {
    this.connectTimeout = timer;
  }

  @Override
  public void onConnected(UtpSocket s) {
    socket = s;
    connected = true;
    if (connectTimeout != null) {
      connectTimeout.cancel();
    }
    handler.onConnected(this);
  }

  @Override
  public void onReadable(UtpSocket s) {
    deliver();
  }

  @Override
  public void onWritable(UtpSocket s) {
    writableNow();
  }

  @Override
  public void onClosed(UtpSocket s, IOException reason) {
    close(reason, false);
  }

  private void deliver() {
    deliverQueued = false;
    while (reading && !closed) {
      if (readBuffer == null) {
        readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
      }
      int n = socket.read(readBuffer);
      if (n < 0) {
        close(null, true);
        return;
      }
      if (n == 0 && readBuffer.position() == 0) {
        return;
      }
      readBuffer.flip();
      int before = readBuffer.remaining();
      try {
        handler.onData(this, readBuffer);
      } catch (IOException e) {
        close(e, true);
        return;
      }
      boolean consumed = readBuffer.remaining() < before;
      if (wantedCapacity > readBuffer.capacity()) {
        readBuffer = ByteBuffer.allocate(wantedCapacity).put(readBuffer);
      } else {
        readBuffer.compact();
      }
      wantedCapacity = 0;
      if (n == 0 || (!consumed && !readBuffer.hasRemaining())) {
        // Nothing new, or a full buffer the handler could not use: wait for more, or for room.
        return;
      }
    }
  }

  private void writableNow() {
    writableQueued = false;
    if (closed || !connected) {
      return;
    }
    try {
      handler.onWritable(this);
    } catch (IOException e) {
      close(e, true);
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
  public boolean utp() {
    return true;
  }

  @Override
  public int write(ByteBuffer data) throws IOException {
    if (closed) {
      throw new ClosedChannelException();
    }
    int n = socket.write(data);
    if (n > 0) {
      transport.flushSoon();
    }
    return n;
  }

  @Override
  public WritableByteChannel channel() {
    return channel;
  }

  @Override
  public void wantWrite() {
    if (closed || writableQueued) {
      return;
    }
    if (socket.writable() > 0) {
      writableQueued = true;
      transport.loop().execute(writable);
    } else {
      socket.wantWritable();
    }
  }

  @Override
  public void setReading(boolean on) {
    boolean resumed = on && !reading;
    reading = on;
    if (resumed && !deliverQueued && !closed) {
      deliverQueued = true;
      transport.loop().execute(deliver);
    }
  }

  @Override
  public void ensureReadCapacity(int bytes) {
    wantedCapacity = Math.max(wantedCapacity, bytes);
  }

  @Override
  public void close() {
    close(null, true);
  }

  /** Fails a connection that never opened, or closes one that did, telling the handler why. */
  void fail(IOException reason) {
    close(reason, true);
  }

  private void close(IOException reason, boolean closeSocket) {
    if (closed) {
      return;
    }
    closed = true;
    if (connectTimeout != null) {
      connectTimeout.cancel();
    }
    if (closeSocket && socket != null) {
      socket.close();
      transport.flushSoon();
    }
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
    return "uTP " + remote;
  }
}
