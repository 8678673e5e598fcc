package dev.bitwright.utp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;

/**
 * One end of a test stream: writes {@code toSend} as the socket takes it, keeps every byte read
 * (unless paused), and records how the connection went.
 */
final class StreamEnd implements UtpSocket.Listener {
  final ByteArrayOutputStream received = new ByteArrayOutputStream();
  private final ByteBuffer toSend;
  private final ByteBuffer readBuffer = ByteBuffer.allocate(4096);
  UtpSocket socket;
  boolean connected;
  boolean closed;
  IOException closeReason;
  boolean paused;
  boolean closeWhenSent;
  boolean eof;

  StreamEnd(byte[] toSend) {
    this.toSend = ByteBuffer.wrap(toSend);
  }

  @Override
  public void onConnected(UtpSocket s) {
    socket = s;
    connected = true;
    pump();
  }

  @Override
  public void onReadable(UtpSocket s) {
    socket = s;
    drain();
  }

  @Override
  public void onWritable(UtpSocket s) {
    pump();
  }

  @Override
  public void onClosed(UtpSocket s, IOException reason) {
    closed = true;
    closeReason = reason;
  }

  void pump() {
    if (socket == null || socket.state() != UtpSocket.State.CONNECTED) {
      return;
    }
    try {
      socket.write(toSend);
    } catch (ClosedChannelException e) {
      throw new AssertionError(e);
    }
    if (!toSend.hasRemaining() && closeWhenSent) {
      socket.close();
    }
  }

  void drain() {
    if (paused || socket == null) {
      return;
    }
    while (true) {
      readBuffer.clear();
      int n = socket.read(readBuffer);
      if (n < 0) {
        eof = true;
        socket.close();
        break;
      }
      if (n == 0) {
        break;
      }
      received.write(readBuffer.array(), 0, n);
    }
  }

  boolean sentAll() {
    return !toSend.hasRemaining();
  }
}
