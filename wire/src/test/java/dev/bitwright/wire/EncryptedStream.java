package dev.bitwright.wire;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Optional;

/** A blocking test transport: MSE over a socket, then the selected cipher on both directions. */
final class EncryptedStream {
  private final InputStream in;
  private final OutputStream out;
  private final Optional<Rc4> encryptor;
  private final Optional<Rc4> decryptor;
  private ByteBuffer received = ByteBuffer.allocate(1 << 20).flip();

  private EncryptedStream(Socket socket, MseHandshake mse, ByteBuffer leftover) throws IOException {
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
    this.encryptor = mse.encryptor();
    this.decryptor = mse.decryptor();
    decryptor.ifPresent(d -> d.apply(leftover.duplicate()));
    received = ByteBuffer.allocate(1 << 20).put(leftover).flip();
  }

  /** Runs {@code mse} to completion over {@code socket}. */
  static EncryptedStream handshake(Socket socket, MseHandshake mse) throws IOException {
    OutputStream out = socket.getOutputStream();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[4096];
    ByteBuffer leftover = ByteBuffer.allocate(0);
    out.write(mse.takeOutput());
    while (!mse.isDone()) {
      int n = in.read(buffer);
      if (n < 0) {
        throw new EOFException("peer closed during the MSE handshake");
      }
      ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
      mse.receive(chunk);
      out.write(mse.takeOutput());
      if (mse.isDone()) {
        leftover = ByteBuffer.allocate(chunk.remaining()).put(chunk).flip();
      }
    }
    out.flush();
    return new EncryptedStream(socket, mse, leftover);
  }

  void send(byte[] bytes) throws IOException {
    byte[] copy = bytes.clone();
    encryptor.ifPresent(e -> e.apply(copy, 0, copy.length));
    out.write(copy);
    out.flush();
  }

  void send(ByteBuffer buffer) throws IOException {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    send(bytes);
  }

  Handshake readHandshake() throws IOException {
    while (true) {
      Handshake h = Handshake.decode(received);
      if (h != null) {
        return h;
      }
      readMore();
    }
  }

  PeerMessage readMessage(MessageDecoder decoder) throws IOException {
    while (true) {
      PeerMessage m = decoder.decode(received);
      if (m != null) {
        return m;
      }
      readMore();
    }
  }

  private void readMore() throws IOException {
    received.compact();
    int n = in.read(received.array(), received.position(), received.remaining());
    if (n < 0) {
      throw new EOFException("peer closed the connection");
    }
    int at = received.position();
    decryptor.ifPresent(d -> d.apply(received.array(), at, n));
    received.position(at + n).flip();
  }
}
