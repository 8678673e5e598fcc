package dev.bitwright.session.internal.net;

import dev.bitwright.utp.UtpSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;

/**
 * One uTP connection of the {@link UtpTransport} as a {@link Connection}: reads the socket's bytes
 * into a buffer of its own (keeping the tail of an incomplete frame, grown for a large one) while
 * reading is on, once per turn of the loop, and tells its handler. Loop thread only.
 */
final class UtpConnection implements Connection, UtpSocket.Listener {
  private static final int READ_BUFFER_BYTES = 64 * 1024;
  // The least room behind the unread bytes worth a read; less, and they move to the front.
  private static final int MIN_ROOM = 16 * 1024;

  private final UtpTransport transport;
  private final InetSocketAddress remote;
  private final boolean outgoing;
  private final Runnable deliver = this::deliver;
  private final Runnable writable = this::writableNow;
  private ConnectionHandler handler;
  private UtpSocket socket;
  private EngineLoop.Timer connectTimeout;
  // Write mode: bytes from index unread to the position wait for the handler.
  private ByteBuffer readBuffer;
  private int unread;
  private boolean reading = true;
  private boolean connected;
  private boolean closed;
  private boolean deliverQueued;
  private boolean writableQueued;
  private int wantedCapacity;

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
    deliverSoon();
  }

  private void deliverSoon() {
    if (!deliverQueued && !closed) {
      deliverQueued = true;
      transport.loop().execute(deliver);
    }
  }

  @Override
  public void onWritable(UtpSocket s) {
    writableNow();
  }

  @Override
  public void onClosed(UtpSocket s, IOException reason) {
    close(reason, false);
  }

  /**
   * Hands the handler what the socket holds. Runs once per turn of the loop, not per packet, so
   * that a block arriving in a dozen packets is parsed once; the unread tail stays where it is
   * until the buffer runs short of room.
   */
  private void deliver() {
    deliverQueued = false;
    while (reading && !closed) {
      if (readBuffer == null) {
        readBuffer = ByteBuffer.allocate(Math.max(READ_BUFFER_BYTES, wantedCapacity));
      }
      makeRoom();
      int n = socket.read(readBuffer);
      if (n > 0) {
        // Reading may reopen the window: the ack that says so goes out with this turn's flush.
        transport.flushSoon();
      }
      if (n < 0) {
        close(null, true);
        return;
      }
      int end = readBuffer.position();
      if (n == 0 && end == unread) {
        return;
      }
      readBuffer.limit(end).position(unread);
      try {
        handler.onData(this, readBuffer);
      } catch (IOException e) {
        close(e, true);
        return;
      }
      boolean consumed = readBuffer.position() > unread;
      unread = readBuffer.position();
      readBuffer.limit(readBuffer.capacity()).position(end);
      if (unread == end) {
        unread = 0;
        readBuffer.clear();
      }
      if (n == 0 || (!consumed && !readBuffer.hasRemaining() && wantedCapacity == 0)) {
        // Nothing new, or a full buffer the handler could not use: wait for more, or for room.
        return;
      }
    }
  }

  /**
   * Moves the unread tail to the front when little room is left behind it, into a bigger buffer
   * when the handler asked for one (a frame larger than the buffer).
   */
  private void makeRoom() {
    int end = readBuffer.position();
    int held = end - unread;
    int needed = Math.max(wantedCapacity, held + MIN_ROOM);
    wantedCapacity = 0;
    int capacity = readBuffer.capacity();
    if (capacity - end >= MIN_ROOM && capacity - unread >= needed) {
      return;
    }
    ByteBuffer target = capacity >= needed ? readBuffer : ByteBuffer.allocate(needed);
    // Heap buffers: arraycopy copes with the overlap when the tail moves within the same one.
    System.arraycopy(readBuffer.array(), unread, target.array(), 0, held);
    target.clear().position(held);
    readBuffer = target;
    unread = 0;
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
    if (resumed) {
      deliverSoon();
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
