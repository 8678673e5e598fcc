package dev.bitwright.testing;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import dev.bitwright.wire.ExtensionHandshake;
import dev.bitwright.wire.Handshake;
import dev.bitwright.wire.MessageDecoder;
import dev.bitwright.wire.MessageEncoder;
import dev.bitwright.wire.PeerId;
import dev.bitwright.wire.PeerMessage;
import dev.bitwright.wire.WireException;
import dev.bitwright.wire.WireLimits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A scripted BitTorrent peer for tests: a real TCP connection on which the test says, message by
 * message, what the peer sends and what it expects back. It is to a BitTorrent client (Bitwright,
 * or any other) what OkHttp's MockWebServer is to an HTTP client.
 *
 * <pre>{@code
 * try (MockPeer peer = MockPeer.connect(seedAddress, infoHash)) {
 *   peer.send(new PeerMessage.HaveNone(), new PeerMessage.Interested());
 *   peer.awaitMessage(PeerMessage.Unchoke.class, Duration.ofSeconds(5));
 *   peer.send(new PeerMessage.Request(0, 0, 16 * 1024));
 *   PeerMessage.Piece block = peer.awaitMessage(PeerMessage.Piece.class, Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p><b>Two ways to meet.</b> {@link #connect(InetSocketAddress, byte[])} dials a client's listen
 * address and exchanges handshakes for an info-hash. {@link #listen()} opens a listening socket on
 * loopback: give {@link #address()} to the client as a peer, then {@link
 * #awaitConnection(Duration)} accepts its connection and answers its handshake. {@link #builder()}
 * sets the handshake's extension bits and peer id, an extension handshake to send at once, and
 * socket options.
 *
 * <p><b>Sending.</b> {@link #send(PeerMessage...)} encodes messages with the wire module's {@link
 * MessageEncoder}, all in one write; {@link #sendRaw(byte[])} sends bytes as they are, for
 * malformed frames.
 *
 * <p><b>Receiving.</b> Messages are decoded by the wire module's {@link MessageDecoder}.
 * Keep-alives are counted ({@link #keepAlivesReceived()}), never returned; an extension handshake
 * is returned like any message and also remembered ({@link #remoteExtensionHandshake()}); a piece's
 * data is copied. {@link #takeMessage(Duration)} returns the next message, {@link #expect(Class,
 * Duration)} insists on its type, {@link #awaitMessage(Class, Predicate, Duration)} skips messages
 * until one matches, {@link #pollMessage(Class, Predicate, Duration)} does the same but returns
 * empty instead of failing, and {@link #awaitClose(Duration)} waits for the other side to close.
 *
 * <p><b>Failures.</b> Every wait is bounded: by its timeout argument, or for connecting and sending
 * by the builder's {@link Builder#timeout(Duration)}. When what was expected does not happen, the
 * method throws {@link MockPeerException}, whose message names what was expected and what came
 * instead; it is an {@link IOException}, not an {@link AssertionError}, so a test may also catch it
 * as an expected outcome.
 *
 * <p><b>Reading happens only on demand.</b> A {@code MockPeer} starts no thread: it reads from its
 * socket only inside its waiting methods. A test that stops calling them has a peer that stops
 * reading, whose socket buffers fill until the other side can send no more (faster with a small
 * {@link Builder#receiveBufferSize(int)}): the way to play a peer that asks for data and never
 * takes it.
 *
 * <p>It speaks the plaintext protocol only: a client that insists on Message Stream Encryption
 * cannot talk to it. One thread drives a {@code MockPeer}; only {@link #close()} may come from
 * another thread, which makes a wait in progress fail.
 */
public final class MockPeer implements AutoCloseable {
  /** How many of the messages read during a failed wait a {@link MockPeerException} keeps. */
  static final int REPORTED_MESSAGES = 32;

  private static final int INITIAL_BUFFER = 64 * 1024;

  private final Settings settings;
  private final Selector selector;
  private final @Nullable ServerSocketChannel server;
  private final @Nullable SelectionKey serverKey;
  private @Nullable SocketChannel channel;
  private @Nullable SelectionKey key;
  private ByteBuffer in;
  private MessageDecoder decoder;
  private @Nullable Handshake remoteHandshake;
  private @Nullable ExtensionHandshake remoteExtensions;
  private boolean remoteClosed;
  private @Nullable IOException closeCause;
  private int keepAlives;
  private volatile boolean closed;

  private MockPeer(Settings settings, boolean listening) throws IOException {
    this.settings = settings;
    this.selector = Selector.open();
    if (listening) {
      ServerSocketChannel s = ServerSocketChannel.open();
      try {
        if (settings.receiveBufferSize > 0) {
          // Accepted sockets inherit it; set before bind, as window scaling is agreed at SYN.
          s.setOption(StandardSocketOptions.SO_RCVBUF, settings.receiveBufferSize);
        }
        InetAddress local =
            settings.localAddress != null
                ? settings.localAddress
                : InetAddress.getLoopbackAddress();
        s.bind(new InetSocketAddress(local, 0));
        s.configureBlocking(false);
        this.serverKey = s.register(selector, 0);
      } catch (IOException | RuntimeException e) {
        s.close();
        selector.close();
        throw e;
      }
      this.server = s;
    } else {
      this.server = null;
      this.serverKey = null;
    }
    resetConnection();
  }

  /** {@return a builder for peers with other handshake options or socket settings} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Connects to {@code address} for the torrent {@code infoHash} with the default settings (the
   * Fast extension and the extension protocol offered, no extension handshake sent) and exchanges
   * handshakes.
   *
   * @param address the client's listen address
   * @param infoHash the 20-byte info-hash (for a v2 torrent, the truncated SHA-256)
   * @return the connected peer
   * @throws MockPeerException if the connection or the handshake fails or takes longer than 10 s
   */
  public static MockPeer connect(InetSocketAddress address, byte[] infoHash)
      throws MockPeerException {
    return builder().connect(address, infoHash);
  }

  /**
   * Opens a listening socket on loopback with the default settings, for a client to dial: hand
   * {@link #address()} to it, then call {@link #awaitConnection(Duration)}.
   *
   * @return the listening peer
   * @throws MockPeerException if the socket cannot be opened
   */
  public static MockPeer listen() throws MockPeerException {
    return builder().listen();
  }

  /**
   * {@return this peer's address as the client sees it: where it listens, or for a peer that
   * dialled, the local end of its connection}
   */
  public InetSocketAddress address() {
    checkOpen();
    if (server != null) {
      return (InetSocketAddress) server.socket().getLocalSocketAddress();
    }
    return (InetSocketAddress) connection().socket().getLocalSocketAddress();
  }

  /**
   * Accepts the next connection to a listening peer and exchanges handshakes: reads the client's,
   * answers with the info-hash it asked for (as a peer with every torrent would) and this peer's
   * options, then sends the builder's extension handshake, if any. A connection accepted earlier is
   * closed first, so that a test can wait for the client to come back.
   *
   * @param timeout how long the client may take to connect and send its handshake
   * @return the client's handshake
   * @throws IllegalStateException if this peer dialled out rather than listening
   * @throws MockPeerException if no connection with a valid handshake came in time
   */
  public Handshake awaitConnection(Duration timeout) throws MockPeerException {
    checkOpen();
    ServerSocketChannel server = this.server;
    SelectionKey serverKey = this.serverKey;
    checkState(
        server != null && serverKey != null,
        "this peer dialled out; only a listening peer accepts");
    long deadline = deadline(timeout);
    closeConnection();
    String expected = "a connection to " + address() + " within " + format(timeout);
    try {
      SocketChannel accepted;
      while ((accepted = server.accept()) == null) {
        if (!waitFor(serverKey, SelectionKey.OP_ACCEPT, deadline)) {
          throw new MockPeerException("expected " + expected + "; none came", List.of(), null);
        }
      }
      adopt(accepted);
      Handshake theirs = readHandshake(deadline, expected);
      sendHandshake(theirs.infoHash(), deadline);
      return theirs;
    } catch (MockPeerException e) {
      throw e;
    } catch (IOException e) {
      throw new MockPeerException("expected " + expected + "; " + e, List.of(), e);
    }
  }

  /**
   * {@return the handshake the other side sent}
   *
   * @throws IllegalStateException if no connection was made yet
   */
  public Handshake remoteHandshake() {
    checkOpen();
    checkState(remoteHandshake != null, "not connected");
    return remoteHandshake;
  }

  /** {@return the extension handshake (BEP 10) the other side sent, if one was read yet} */
  public Optional<ExtensionHandshake> remoteExtensionHandshake() {
    return Optional.ofNullable(remoteExtensions);
  }

  /**
   * {@return the other side's extension handshake, reading until it comes if it was not read yet;
   * messages read on the way are skipped}
   *
   * @param timeout how long to wait for it
   * @throws MockPeerException if it did not come in time, or the connection closed first
   */
  public ExtensionHandshake awaitExtensionHandshake(Duration timeout) throws MockPeerException {
    checkConnected();
    if (remoteExtensions == null) {
      Wait wait = new Wait("the extension handshake", timeout);
      if (find(wait, PeerMessage.Extended.class, e -> e.id() == 0) == null) {
        throw wait.missed();
      }
    }
    return checkNotNull(remoteExtensions);
  }

  /** {@return the number of keep-alive messages read so far on this connection} */
  public int keepAlivesReceived() {
    return keepAlives;
  }

  /**
   * {@return whether a read found the connection closed (or reset) by the other side} Messages that
   * came before the close are still returned first.
   */
  public boolean remoteClosed() {
    return remoteClosed;
  }

  /**
   * Sends {@code messages}, encoded one after the other in a single write, so that the other side
   * most likely reads them together.
   *
   * @param messages the messages to send, in order
   * @throws IllegalArgumentException for a {@link PeerMessage.Unknown}, which has no encoding (send
   *     its bytes with {@link #sendRaw(byte[])})
   * @throws MockPeerException if the connection fails, or the other side does not make room for the
   *     bytes within the builder's {@linkplain Builder#timeout(Duration) timeout}
   */
  public void send(PeerMessage... messages) throws MockPeerException {
    checkConnected();
    int length = 0;
    for (PeerMessage m : messages) {
      length = Math.addExact(length, MessageEncoder.encodedLength(checkNotNull(m)));
    }
    ByteBuffer out = ByteBuffer.allocate(length);
    for (PeerMessage m : messages) {
      MessageEncoder.encode(m, out);
    }
    write(out.flip(), deadline(settings.timeout));
  }

  /**
   * Sends {@code bytes} as they are: a malformed frame, a message this version does not model, or
   * several frames at once.
   *
   * @param bytes the bytes to write to the connection, unchanged
   * @throws MockPeerException if the connection fails, or the other side does not make room for the
   *     bytes within the builder's {@linkplain Builder#timeout(Duration) timeout}
   */
  public void sendRaw(byte[] bytes) throws MockPeerException {
    checkConnected();
    write(ByteBuffer.wrap(bytes.clone()), deadline(settings.timeout));
  }

  /**
   * {@return the next message}
   *
   * @param timeout how long to wait for it
   * @throws MockPeerException if none came in time, the connection closed first, or the bytes are
   *     not a valid message (after which the connection is of no further use)
   */
  public PeerMessage takeMessage(Duration timeout) throws MockPeerException {
    checkConnected();
    Wait wait = new Wait("a message", timeout);
    PeerMessage m = wait.next();
    if (m == null) {
      throw wait.missed();
    }
    return m;
  }

  /**
   * {@return the next message, which must be a {@code type}}
   *
   * @param type the class of the message expected, such as {@code PeerMessage.Unchoke.class}
   * @param timeout how long to wait for it
   * @param <T> the type of the message
   * @throws MockPeerException if the next message is of another type, none came in time, or the
   *     connection closed first
   */
  public <T extends PeerMessage> T expect(Class<T> type, Duration timeout)
      throws MockPeerException {
    checkConnected();
    checkNotNull(type);
    Wait wait = new Wait(type.getSimpleName() + " as the next message", timeout);
    PeerMessage m = wait.next();
    if (m == null) {
      throw wait.missed();
    }
    if (!type.isInstance(m)) {
      throw new MockPeerException(
          "expected " + type.getSimpleName() + " as the next message; received " + m,
          List.of(m),
          null);
    }
    return type.cast(m);
  }

  /**
   * Reads messages until one of type {@code type} comes and returns it; others are skipped.
   *
   * @param <T> the type of the message
   * @param type the class of the message wanted
   * @param timeout how long to wait for it in all
   * @return the first message of type {@code type} read
   * @throws MockPeerException if none came in time, or the connection closed first
   */
  public <T extends PeerMessage> T awaitMessage(Class<T> type, Duration timeout)
      throws MockPeerException {
    return awaitMessage(type, m -> true, timeout);
  }

  /**
   * Reads messages until a {@code type} that {@code wanted} accepts comes and returns it; others
   * are skipped.
   *
   * @param <T> the type of the message
   * @param type the class of the message wanted ({@code PeerMessage.class} for any)
   * @param wanted which of those will do
   * @param timeout how long to wait for it in all
   * @return the first message of type {@code type} that {@code wanted} accepts
   * @throws MockPeerException if none came in time, or the connection closed first
   */
  public <T extends PeerMessage> T awaitMessage(
      Class<T> type, Predicate<? super T> wanted, Duration timeout) throws MockPeerException {
    checkConnected();
    Wait wait = new Wait("a matching " + type.getSimpleName(), timeout);
    T m = find(wait, type, wanted);
    if (m == null) {
      throw wait.missed();
    }
    return m;
  }

  /**
   * Reads messages until one of type {@code type} comes and returns it, or returns empty if none
   * came in time or the connection closed ({@link #remoteClosed()} tells which); others are
   * skipped.
   *
   * @param <T> the type of the message
   * @param type the class of the message wanted
   * @param timeout how long to wait for it in all
   * @return the first message of type {@code type} read, or empty if none came
   * @throws MockPeerException if the bytes are not a valid message
   */
  public <T extends PeerMessage> Optional<T> pollMessage(Class<T> type, Duration timeout)
      throws MockPeerException {
    return pollMessage(type, m -> true, timeout);
  }

  /**
   * Reads messages until a {@code type} that {@code wanted} accepts comes and returns it, or
   * returns empty if none came in time or the connection closed ({@link #remoteClosed()} tells
   * which); others are skipped.
   *
   * @param <T> the type of the message
   * @param type the class of the message wanted ({@code PeerMessage.class} for any)
   * @param wanted which of those will do
   * @param timeout how long to wait for it in all
   * @return the first message of type {@code type} that {@code wanted} accepts, or empty if none
   *     came
   * @throws MockPeerException if the bytes are not a valid message
   */
  public <T extends PeerMessage> Optional<T> pollMessage(
      Class<T> type, Predicate<? super T> wanted, Duration timeout) throws MockPeerException {
    checkConnected();
    return Optional.ofNullable(
        find(new Wait("a matching " + type.getSimpleName(), timeout), type, wanted));
  }

  /**
   * Waits for the other side to close the connection (or reset it), skipping the messages that come
   * before.
   *
   * @param timeout how long to wait
   * @throws MockPeerException if the connection is still open after {@code timeout}
   */
  public void awaitClose(Duration timeout) throws MockPeerException {
    checkConnected();
    Wait wait = new Wait("the connection to close", timeout);
    while (wait.next() != null) {
      // skipped: only the close is of interest
    }
    if (!remoteClosed) {
      throw wait.missed();
    }
  }

  /**
   * Closes the connection, the listening socket and the selector. Idempotent; may be called from
   * any thread.
   */
  @Override
  public void close() {
    closed = true;
    // The selector first: that wakes a wait on another thread and lets the sockets close at once.
    closeQuietly(selector);
    closeQuietly(channel);
    closeQuietly(server);
  }

  /** Returns the connection to the other side; the callers checked that there is one. */
  private SocketChannel connection() {
    return checkNotNull(channel, "no connection");
  }

  private SelectionKey selectionKey() {
    return checkNotNull(key, "no connection");
  }

  private void checkOpen() {
    checkState(!closed, "this MockPeer is closed");
  }

  private void checkConnected() {
    checkOpen();
    checkState(remoteHandshake != null, "not connected: call awaitConnection first");
  }

  private void closeConnection() {
    closeQuietly(channel);
    channel = null;
    key = null;
    resetConnection();
  }

  private void resetConnection() {
    in = ByteBuffer.allocate(INITIAL_BUFFER).flip();
    decoder = new MessageDecoder(settings.limits);
    remoteHandshake = null;
    remoteExtensions = null;
    remoteClosed = false;
    closeCause = null;
    keepAlives = 0;
  }

  private void adopt(SocketChannel c) throws IOException {
    channel = c;
    c.configureBlocking(false);
    c.setOption(StandardSocketOptions.TCP_NODELAY, true);
    key = c.register(selector, 0);
  }

  private void dial(InetSocketAddress address, byte[] infoHash) throws MockPeerException {
    long deadline = deadline(settings.timeout);
    String expected =
        "a connection and a handshake from " + address + " within " + format(settings.timeout);
    try {
      SocketChannel c = SocketChannel.open();
      channel = c;
      if (settings.receiveBufferSize > 0) {
        c.setOption(StandardSocketOptions.SO_RCVBUF, settings.receiveBufferSize);
      }
      if (settings.localAddress != null) {
        c.bind(new InetSocketAddress(settings.localAddress, 0));
      }
      adopt(c);
      if (!c.connect(address)) {
        while (!c.finishConnect()) {
          if (!waitFor(selectionKey(), SelectionKey.OP_CONNECT, deadline)) {
            throw new MockPeerException(
                "expected " + expected + "; the connection was not made", List.of(), null);
          }
        }
      }
      sendHandshake(infoHash, deadline);
      readHandshake(deadline, expected);
    } catch (MockPeerException e) {
      throw e;
    } catch (IOException e) {
      throw new MockPeerException("expected " + expected + "; " + e, List.of(), e);
    }
  }

  private void sendHandshake(byte[] infoHash, long deadline) throws IOException {
    Handshake ours =
        Handshake.of(
            infoHash,
            settings.peerId,
            settings.dht,
            settings.fast,
            settings.extensionProtocol,
            settings.v2Upgrade);
    write(ByteBuffer.wrap(ours.toBytes()), deadline);
    if (settings.extensionHandshake != null) {
      write(
          MessageEncoder.encode(new PeerMessage.Extended(0, settings.extensionHandshake.encode())),
          deadline);
    }
  }

  private Handshake readHandshake(long deadline, String expected) throws IOException {
    while (true) {
      Handshake h;
      try {
        h = Handshake.decode(in);
      } catch (WireException e) {
        throw new MockPeerException(
            "expected "
                + expected
                + "; the first bytes are not a BitTorrent handshake (an encrypted connection? A"
                + " MockPeer speaks the plaintext protocol only): "
                + e.getMessage(),
            List.of(),
            e);
      }
      if (h != null) {
        remoteHandshake = h;
        return h;
      }
      if (!fill(deadline)) {
        String what =
            remoteClosed
                ? "the connection closed after " + in.remaining() + " bytes"
                : "only " + in.remaining() + " bytes came";
        throw new MockPeerException("expected " + expected + "; " + what, List.of(), closeCause);
      }
    }
  }

  /**
   * Reads until a {@code type} that {@code wanted} accepts comes, or returns null when the wait
   * ends without one (timed out or closed).
   */
  private <T extends PeerMessage> @Nullable T find(
      Wait wait, Class<T> type, Predicate<? super T> wanted) throws MockPeerException {
    checkNotNull(type);
    checkNotNull(wanted);
    PeerMessage m;
    while ((m = wait.next()) != null) {
      if (type.isInstance(m) && wanted.test(type.cast(m))) {
        return type.cast(m);
      }
    }
    return null;
  }

  /**
   * Returns the next message other than a keep-alive, or null if the connection closed or {@code
   * deadline} passed first.
   */
  private @Nullable PeerMessage next(long deadline) throws IOException {
    while (true) {
      PeerMessage m = decoder.decode(in);
      if (m instanceof PeerMessage.KeepAlive) {
        keepAlives++;
        continue;
      }
      if (m instanceof PeerMessage.Piece p) {
        // The decoder's piece is a view of our buffer, which the next read overwrites.
        ByteBuffer copy = ByteBuffer.allocate(p.length()).put(p.data()).flip();
        return new PeerMessage.Piece(p.piece(), p.offset(), copy);
      }
      if (m instanceof PeerMessage.Extended e && e.id() == 0) {
        remoteExtensions = ExtensionHandshake.decode(e.payload());
      }
      if (m != null) {
        return m;
      }
      if (remoteClosed || !fill(deadline)) {
        return null;
      }
    }
  }

  /**
   * Reads what has come, waiting until {@code deadline} for something; returns false if nothing
   * came, because the deadline passed or the connection closed ({@link #remoteClosed} is then set).
   */
  private boolean fill(long deadline) throws IOException {
    while (true) {
      in.compact();
      if (!in.hasRemaining()) {
        // A frame longer than the buffer: the decoder has checked its length against the limits.
        in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
      }
      int n;
      try {
        n = connection().read(in);
      } catch (ClosedChannelException e) {
        throw e;
      } catch (IOException reset) {
        closeCause = reset;
        n = -1;
      } finally {
        in.flip();
      }
      if (n > 0) {
        return true;
      }
      if (n < 0) {
        remoteClosed = true;
        return false;
      }
      if (!waitFor(selectionKey(), SelectionKey.OP_READ, deadline)) {
        return false;
      }
    }
  }

  private void write(ByteBuffer out, long deadline) throws MockPeerException {
    int length = out.remaining();
    try {
      while (true) {
        connection().write(out);
        if (!out.hasRemaining()) {
          return;
        }
        if (!waitFor(selectionKey(), SelectionKey.OP_WRITE, deadline)) {
          throw new MockPeerException(
              "sent only "
                  + (length - out.remaining())
                  + " of "
                  + length
                  + " bytes within "
                  + format(settings.timeout)
                  + ": the other side does not read",
              List.of(),
              null);
        }
      }
    } catch (MockPeerException e) {
      throw e;
    } catch (IOException e) {
      throw new MockPeerException(
          "sending " + length + " bytes failed after " + (length - out.remaining()) + ": " + e,
          List.of(),
          e);
    }
  }

  /**
   * Waits until {@code k}'s channel may be ready for {@code ops}, or {@code deadline}; returns
   * false, without waiting, once the deadline has passed.
   */
  private boolean waitFor(SelectionKey k, int ops, long deadline) throws IOException {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      return false;
    }
    try {
      k.interestOps(ops);
      // select(0) would wait for ever: round up to at least a millisecond.
      selector.select((left - 1) / 1_000_000 + 1);
      selector.selectedKeys().clear();
      // No interest left behind: a ready key nobody waits for would make every select return.
      k.interestOps(0);
    } catch (ClosedSelectorException | CancelledKeyException e) {
      throw new ClosedChannelException();
    }
    return true;
  }

  private static long deadline(Duration timeout) {
    checkArgument(!timeout.isNegative(), "negative timeout %s", timeout);
    long nanos;
    try {
      nanos = timeout.toNanos();
    } catch (ArithmeticException centuries) {
      nanos = Long.MAX_VALUE;
    }
    // May overflow; deadlines are only ever compared by difference, as System.nanoTime asks.
    return System.nanoTime() + nanos;
  }

  private static String format(Duration d) {
    if (d.toDays() > 1) {
      return d.toString(); // no wait that long ends anyway; just name it
    }
    long millis = d.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  private static void closeQuietly(@Nullable AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      // Nothing to do about a socket that fails to close; the test is over with it either way.
    }
  }

  /** One bounded wait for messages: its deadline, and what it read, for the failure message. */
  private final class Wait {
    private final String expected;
    private final Duration timeout;
    private final long deadline;
    private final ArrayDeque<PeerMessage> seen = new ArrayDeque<>();
    private int count;

    Wait(String expected, Duration timeout) {
      this.expected = expected;
      this.timeout = timeout;
      this.deadline = deadline(timeout);
    }

    /** Returns the next message, or null when the deadline passed or the connection closed. */
    @Nullable PeerMessage next() throws MockPeerException {
      PeerMessage m;
      try {
        m = MockPeer.this.next(deadline);
      } catch (WireException e) {
        throw failure("then a malformed message: " + e.getMessage(), e);
      } catch (IOException e) {
        throw failure(closed ? "then this MockPeer was closed" : "then " + e, e);
      }
      if (m != null) {
        count++;
        if (seen.size() == REPORTED_MESSAGES) {
          seen.removeFirst();
        }
        seen.addLast(m);
      }
      return m;
    }

    /** The failure of a wait that ended without what it expected. */
    MockPeerException missed() {
      if (!remoteClosed) {
        return failure("then nothing more", null);
      }
      return failure(
          closeCause == null ? "then the connection closed" : "then the connection was reset",
          closeCause);
    }

    private MockPeerException failure(String ending, @Nullable Throwable cause) {
      StringBuilder s =
          new StringBuilder("expected ")
              .append(expected)
              .append(" within ")
              .append(format(timeout))
              .append("; received ");
      if (count == 0) {
        s.append("nothing");
      } else {
        s.append(count).append(count == 1 ? " message" : " messages");
        if (count > seen.size()) {
          s.append(", the last ").append(seen.size());
        }
        s.append(' ').append(seen);
      }
      s.append(", ").append(ending);
      return new MockPeerException(s.toString(), new ArrayList<>(seen), cause);
    }
  }

  /** The settings a builder makes, fixed for the peer's lifetime. */
  private record Settings(
      PeerId peerId,
      boolean dht,
      boolean fast,
      boolean extensionProtocol,
      boolean v2Upgrade,
      @Nullable ExtensionHandshake extensionHandshake,
      @Nullable InetAddress localAddress,
      int receiveBufferSize,
      WireLimits limits,
      Duration timeout) {}

  /**
   * Settings of a {@link MockPeer}: what its handshake offers and its socket options. A builder can
   * make any number of peers.
   */
  public static final class Builder {
    private static final String PEER_ID_PREFIX = "-MP0100-";

    private @Nullable PeerId peerId;
    private boolean dht;
    private boolean fast = true;
    private boolean extensionProtocol = true;
    private boolean v2Upgrade;
    private @Nullable ExtensionHandshake extensionHandshake;
    private @Nullable InetAddress localAddress;
    private int receiveBufferSize;
    private WireLimits limits = WireLimits.unknownTorrent();
    private Duration timeout = Duration.ofSeconds(10);

    private Builder() {}

    /**
     * Sets the peer id of the handshake. By default each peer gets a random one starting {@code
     * -MP0100-}.
     *
     * @param id the 20-byte peer id to send
     * @return this builder
     */
    public Builder peerId(PeerId id) {
      this.peerId = checkNotNull(id);
      return this;
    }

    /**
     * Sets whether the handshake offers the DHT (BEP 5). Default: no.
     *
     * @param offered whether to set the DHT bit of the handshake's reserved bytes
     * @return this builder
     */
    public Builder dht(boolean offered) {
      this.dht = offered;
      return this;
    }

    /**
     * Sets whether the handshake offers the Fast extension (BEP 6). Default: yes.
     *
     * @param offered whether to set the Fast extension bit of the handshake's reserved bytes
     * @return this builder
     */
    public Builder fast(boolean offered) {
      this.fast = offered;
      return this;
    }

    /**
     * Sets whether the handshake offers the extension protocol (BEP 10). Default: yes.
     *
     * @param offered whether to set the extension protocol bit of the handshake's reserved bytes
     * @return this builder
     */
    public Builder extensionProtocol(boolean offered) {
      this.extensionProtocol = offered;
      return this;
    }

    /**
     * Sets whether the handshake says this peer also speaks v2 for a hybrid torrent (BEP 52).
     * Default: no.
     *
     * @param offered whether to set the v2 upgrade bit of the handshake's reserved bytes
     * @return this builder
     */
    public Builder v2Upgrade(boolean offered) {
      this.v2Upgrade = offered;
      return this;
    }

    /**
     * Sets an extension handshake (BEP 10) to send right after the handshakes, as clients do. By
     * default none is sent; a test may still send one later as {@code new PeerMessage.Extended(0,
     * handshake.encode())}. Needs {@link #extensionProtocol(boolean)}.
     *
     * @param handshake the extension handshake to send as extended message 0
     * @return this builder
     */
    public Builder extensionHandshake(ExtensionHandshake handshake) {
      this.extensionHandshake = checkNotNull(handshake);
      return this;
    }

    /**
     * Sets the local address: where a listening peer listens (default: loopback), and the address a
     * dialling peer connects from (default: the system's choice). On Linux every address of 127/8
     * is loopback, which lets a test play peers with distinct addresses.
     *
     * @param address an address of this machine
     * @return this builder
     */
    public Builder localAddress(InetAddress address) {
      this.localAddress = checkNotNull(address);
      return this;
    }

    /**
     * Sets the socket's receive buffer size in bytes (0 for the system's default). A small one
     * fills at once when the peer stops reading.
     *
     * @param bytes the receive buffer size in bytes, or 0 for the system's default
     * @return this builder
     */
    public Builder receiveBufferSize(int bytes) {
      checkArgument(bytes >= 0, "negative buffer size %s", bytes);
      this.receiveBufferSize = bytes;
      return this;
    }

    /**
     * Sets the limits that messages from the other side are checked against. Default: {@link
     * WireLimits#unknownTorrent()}, which checks sizes but not piece indices.
     *
     * @param limits what frames from the other side are accepted
     * @return this builder
     */
    public Builder limits(WireLimits limits) {
      this.limits = checkNotNull(limits);
      return this;
    }

    /**
     * Sets how long {@link #connect(InetSocketAddress, byte[])} may take to connect and exchange
     * handshakes, and how long each send may wait for the other side to make room. Default: 10 s.
     *
     * @param timeout the time allowed; positive
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      checkArgument(!timeout.isNegative() && !timeout.isZero(), "timeout must be positive");
      this.timeout = timeout;
      return this;
    }

    /**
     * Connects to {@code address} for the torrent {@code infoHash} and exchanges handshakes (ours
     * first, as the dialler), then sends the extension handshake, if one was set.
     *
     * @param address the client's listen address
     * @param infoHash the 20-byte info-hash (for a v2 torrent, the truncated SHA-256)
     * @return the connected peer
     * @throws MockPeerException if the connection or the handshake fails or takes longer than the
     *     {@linkplain #timeout(Duration) timeout}
     */
    public MockPeer connect(InetSocketAddress address, byte[] infoHash) throws MockPeerException {
      checkNotNull(address);
      checkArgument(infoHash.length == 20, "an info-hash has 20 bytes, not %s", infoHash.length);
      MockPeer peer = open(false);
      try {
        peer.dial(address, infoHash.clone());
      } catch (MockPeerException | RuntimeException e) {
        peer.close();
        throw e;
      }
      return peer;
    }

    /**
     * Opens a listening socket for a client to dial: hand {@link MockPeer#address()} to it, then
     * call {@link MockPeer#awaitConnection(Duration)}.
     *
     * @return the listening peer
     * @throws MockPeerException if the socket cannot be opened
     */
    public MockPeer listen() throws MockPeerException {
      return open(true);
    }

    private MockPeer open(boolean listening) throws MockPeerException {
      checkState(
          extensionHandshake == null || extensionProtocol,
          "an extension handshake needs the extension protocol");
      Settings settings =
          new Settings(
              peerId != null ? peerId : randomPeerId(),
              dht,
              fast,
              extensionProtocol,
              v2Upgrade,
              extensionHandshake,
              localAddress,
              receiveBufferSize,
              limits,
              timeout);
      try {
        return new MockPeer(settings, listening);
      } catch (IOException e) {
        throw new MockPeerException("could not open a socket: " + e, List.of(), e);
      }
    }

    private static PeerId randomPeerId() {
      byte[] id = new byte[PeerId.LENGTH];
      byte[] prefix = PEER_ID_PREFIX.getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(prefix, 0, id, 0, prefix.length);
      Random random = new Random();
      for (int i = prefix.length; i < id.length; i++) {
        id[i] = (byte) ('0' + random.nextInt(10));
      }
      return new PeerId(id);
    }
  }
}
