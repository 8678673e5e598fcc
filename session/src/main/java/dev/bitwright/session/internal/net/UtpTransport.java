package dev.bitwright.session.internal.net;

import dev.bitwright.utp.UtpConfig;
import dev.bitwright.utp.UtpEndpoint;
import dev.bitwright.utp.UtpSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The session's uTP connections (BEP 29), carried on its one {@link UdpPort} beside the DHT: drives
 * a {@link UtpEndpoint} with the port's datagrams and the loop's time and timers, and makes each of
 * its sockets a {@link Connection}. What the endpoint has to send goes out in one pass after the
 * loop's current work, so that the acks for a burst of datagrams leave together. Loop thread only.
 */
public final class UtpTransport implements Transport {
  private final EngineLoop loop;
  private final UdpPort port;
  private final UtpEndpoint endpoint;
  // The endpoint encodes each datagram straight into this buffer (the loop is single-threaded).
  private final ByteBuffer out = ByteBuffer.allocateDirect(70_000);
  private final Runnable flush = this::flush;
  private Function<Connection, ConnectionHandler> acceptor = connection -> null;
  private boolean flushQueued;
  private EngineLoop.Timer timer;
  private long timerAt = Long.MAX_VALUE;
  private boolean closed;

  /** A transport on {@code port}, whose datagrams that look like uTP it takes from now on. */
  public UtpTransport(EngineLoop loop, UdpPort port, UtpConfig config, RandomGenerator random) {
    this.loop = loop;
    this.port = port;
    this.endpoint = UtpEndpoint.create(config, random, this::accept, loop.nanoTime());
    port.onUtpDatagram(this::receive);
  }

  /** Opens the UDP port if it is not open yet, so that peers can reach us; returns whether open. */
  public boolean open() {
    return port.open();
  }

  @Override
  public void onAccept(Function<Connection, ConnectionHandler> acceptor) {
    this.acceptor = acceptor;
  }

  /**
   * Opens a connection to {@code remote}; {@code handler} hears {@code onConnected}, or {@code
   * onClosed} when the peer does not answer within {@code timeoutNanos} or refuses.
   */
  @Override
  public void connect(InetSocketAddress remote, long timeoutNanos, ConnectionHandler handler) {
    UtpConnection connection = new UtpConnection(this, remote, true, handler);
    if (closed || !port.open()) {
      connection.fail(new LocalFailure("no UDP port for uTP"));
      return;
    }
    try {
      connection.attach(endpoint.connect(remote, connection, loop.nanoTime()));
    } catch (IOException e) {
      connection.fail(new LocalFailure(e.getMessage()));
      return;
    }
    connection.connectTimeout(
        loop.schedule(
            timeoutNanos,
            () -> connection.fail(new SocketTimeoutException("uTP connect timed out"))));
    flushSoon();
  }

  /** Returns the UDP port's address (port 0 while it is not open). */
  @Override
  public InetSocketAddress listenAddress() {
    return port.localAddress();
  }

  /** Returns how many uTP connections are open, closing ones included. */
  public int connections() {
    return endpoint.connections();
  }

  private UtpSocket.Listener accept(InetSocketAddress remote) {
    if (closed) {
      return null;
    }
    UtpConnection connection = new UtpConnection(this, remote, false, null);
    ConnectionHandler handler = acceptor.apply(connection);
    if (handler == null) {
      return null;
    }
    connection.handler(handler);
    return connection;
  }

  private void receive(InetSocketAddress source, ByteBuffer datagram) {
    endpoint.receive(source, datagram, loop.nanoTime());
    flushSoon();
  }

  EngineLoop loop() {
    return loop;
  }

  /** Sends what the endpoint has to send once the loop's current work is done. */
  void flushSoon() {
    if (!flushQueued && !closed) {
      flushQueued = true;
      loop.execute(flush);
    }
  }

  private void flush() {
    flushQueued = false;
    long now = loop.nanoTime();
    InetSocketAddress target;
    while ((target = endpoint.poll(out.clear(), now)) != null) {
      port.send(out.flip(), target);
    }
    scheduleTimer(now);
  }

  private void scheduleTimer(long now) {
    long next = endpoint.nextDeadlineNanos();
    if (next == Long.MAX_VALUE || (timer != null && timerAt <= next)) {
      return;
    }
    if (timer != null) {
      timer.cancel();
    }
    timerAt = next;
    timer = loop.schedule(Math.max(0, next - now), this::onTimer);
  }

  private void onTimer() {
    timer = null;
    timerAt = Long.MAX_VALUE;
    endpoint.advance(loop.nanoTime());
    flush();
  }

  /** Drops every connection (their handlers are not told) and stops the timers. */
  public void close() {
    closed = true;
    endpoint.closeAll();
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }
}
