package dev.bitwright.session;

import dev.bitwright.wire.ExtensionHandshake;
import dev.bitwright.wire.Handshake;
import dev.bitwright.wire.MessageDecoder;
import dev.bitwright.wire.MessageEncoder;
import dev.bitwright.wire.PeerId;
import dev.bitwright.wire.PeerMessage;
import dev.bitwright.wire.WireException;
import dev.bitwright.wire.WireLimits;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * A scripted peer on a blocking socket, built on the wire codecs: tests send messages and read what
 * Bitwright answers, message by message.
 */
final class WirePeer implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final MessageDecoder decoder = new MessageDecoder(WireLimits.unknownTorrent());
  private final Handshake remote;
  private ExtensionHandshake remoteExtensions;

  private WirePeer(Socket socket, Handshake remote) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
    this.remote = remote;
  }

  /**
   * Connects to {@code address} for the torrent {@code infoHash} and exchanges handshakes, offering
   * the Fast and extension protocols.
   */
  static WirePeer connect(InetSocketAddress address, byte[] infoHash) throws IOException {
    return connect(address, infoHash, 0);
  }

  /**
   * Connects as {@link #connect(InetSocketAddress, byte[])} does, with a receive buffer of {@code
   * receiveBuffer} bytes (0 for the default): a small one makes a peer that does not read fill up
   * at once.
   */
  static WirePeer connect(InetSocketAddress address, byte[] infoHash, int receiveBuffer)
      throws IOException {
    Socket socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(address, 10_000);
    try {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              Handshake.of(
                      infoHash, PeerId.generate(new SplittableRandom()), false, true, true, false)
                  .toBytes());
      byte[] reply = new byte[Handshake.LENGTH];
      new DataInputStream(socket.getInputStream()).readFully(reply);
      return new WirePeer(socket, Handshake.decode(ByteBuffer.wrap(reply)));
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * Accepts a connection on {@code server} for the torrent {@code infoHash} (the other side dialled
   * us) and exchanges handshakes, offering the Fast and extension protocols.
   */
  static WirePeer accept(ServerSocket server, byte[] infoHash) throws IOException {
    Socket socket = server.accept();
    try {
      socket.setSoTimeout(10_000);
      byte[] theirs = new byte[Handshake.LENGTH];
      new DataInputStream(socket.getInputStream()).readFully(theirs);
      socket
          .getOutputStream()
          .write(
              Handshake.of(
                      infoHash, PeerId.generate(new SplittableRandom()), false, true, true, false)
                  .toBytes());
      return new WirePeer(socket, Handshake.decode(ByteBuffer.wrap(theirs)));
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** Returns the handshake the other side sent. */
  Handshake remoteHandshake() {
    return remote;
  }

  /** Sends bytes as they are (several messages in one write, say). */
  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Sends {@code message}. */
  void send(PeerMessage message) throws IOException {
    ByteBuffer b = MessageEncoder.encode(message);
    out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
    out.flush();
  }

  /** Sends our extension handshake, announcing {@code messages} (name to our id). */
  void sendExtensionHandshake(Map<String, Integer> messages) throws IOException {
    sendExtensionHandshake(messages, OptionalInt.empty());
  }

  /** Sends our extension handshake, announcing {@code messages} and a metadata size. */
  void sendExtensionHandshake(Map<String, Integer> messages, OptionalInt metadataSize)
      throws IOException {
    sendExtensionHandshake(messages, metadataSize, OptionalInt.empty());
  }

  /** Sends our extension handshake with a metadata size and the port we say we listen on. */
  void sendExtensionHandshake(
      Map<String, Integer> messages, OptionalInt metadataSize, OptionalInt listenPort)
      throws IOException {
    ExtensionHandshake ours =
        new ExtensionHandshake(
            messages,
            Optional.of("WirePeer"),
            listenPort,
            OptionalInt.empty(),
            Optional.empty(),
            metadataSize,
            false,
            false);
    send(new PeerMessage.Extended(0, ours.encode()));
  }

  /**
   * Reads messages until one matches {@code wanted} and returns it, or empty when none came within
   * {@code wait} (or the connection closed). Extension handshakes read on the way are kept.
   */
  <T extends PeerMessage> Optional<T> await(Class<T> type, Predicate<T> wanted, Duration wait)
      throws IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      int left = (int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      socket.setSoTimeout(left);
      PeerMessage m;
      try {
        m = read();
      } catch (SocketTimeoutException | SocketException | java.io.EOFException e) {
        return Optional.empty(); // timed out, or closed or reset
      }
      if (m instanceof PeerMessage.Extended e && e.id() == 0) {
        remoteExtensions = ExtensionHandshake.decode(e.payload());
      }
      if (type.isInstance(m) && wanted.test(type.cast(m))) {
        return Optional.of(type.cast(m));
      }
    }
    return Optional.empty();
  }

  /** Waits for the other side's extension handshake. */
  ExtensionHandshake awaitExtensionHandshake(Duration wait) throws IOException {
    if (remoteExtensions == null) {
      await(PeerMessage.Extended.class, e -> e.id() == 0, wait);
    }
    if (remoteExtensions == null) {
      throw new IOException("no extension handshake within " + wait);
    }
    return remoteExtensions;
  }

  private PeerMessage read() throws IOException {
    while (true) {
      int length = in.readInt();
      byte[] frame = new byte[4 + length];
      ByteBuffer.wrap(frame).putInt(length);
      in.readFully(frame, 4, length);
      try {
        PeerMessage m = decoder.decode(ByteBuffer.wrap(frame));
        if (!(m instanceof PeerMessage.KeepAlive)) {
          return m;
        }
      } catch (WireException e) {
        throw new IOException("malformed message from the peer", e);
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
