package dev.bitwright.session.internal.net;

import com.google.common.base.Ticker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session's one I/O thread: a {@link Selector} over every peer socket and the listening
 * sockets, a task queue other threads post to, and timers. Non-blocking connects with a timeout,
 * reads into a per-connection direct buffer, writes that never spin on a full socket (write
 * interest is set only while bytes wait).
 */
public final class NioTransport implements EngineIo, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NioTransport.class);
  // Every connection reads into this one buffer (the loop is single-threaded); only the tail of
  // an incomplete frame is kept per connection, so idle connections hold no read buffer at all.
  private static final int SHARED_READ_BUFFER = 256 * 1024;
  private static final int MAX_DATAGRAMS_PER_PASS = 256;

  // Connections the kernel completes before we accept them: a storm of connections must not fill
  // it, or honest peers' SYNs are dropped and they retry only seconds later (the kernel caps it at
  // net.core.somaxconn).
  private static final int LISTEN_BACKLOG = 1024;

  private final Selector selector;
  private final Ticker ticker;
  private final Thread thread;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean wakeupPending = new AtomicBoolean();
  private final PriorityQueue<ScheduledTask> timers = new PriorityQueue<>();
  private final List<ServerSocketChannel> servers = new ArrayList<>();
  private final InetSocketAddress listenAddress;
  private Function<Connection, ConnectionHandler> acceptor;
  private Consumer<Throwable> onFailure = cause -> {};
  private volatile boolean running = true;
  private long sequence;

  /**
   * Opens the listening sockets and starts the thread.
   *
   * @param listen the address to listen on (port 0 for any free port)
   * @param ipv6 whether to accept IPv6 connections too, on the same port (see {@link
   *     ListenAddresses})
   */
  public NioTransport(InetSocketAddress listen, boolean ipv6, Ticker ticker, String name)
      throws IOException {
    this.ticker = ticker;
    this.selector = Selector.open();
    try {
      int port = listen.getPort();
      for (InetAddress address : ListenAddresses.of(listen.getAddress(), ipv6)) {
        ServerSocketChannel server = ServerSocketChannel.open();
        servers.add(server);
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(new InetSocketAddress(address, port), LISTEN_BACKLOG);
        port = ((InetSocketAddress) server.getLocalAddress()).getPort();
      }
      this.listenAddress = (InetSocketAddress) servers.get(0).getLocalAddress();
      for (ServerSocketChannel s : servers) {
        s.configureBlocking(false);
        s.register(selector, SelectionKey.OP_ACCEPT);
      }
    } catch (IOException e) {
      closeQuietly();
      throw e;
    }
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public InetSocketAddress listenAddress() {
    return listenAddress;
  }

  @Override
  public void onAccept(Function<Connection, ConnectionHandler> acceptor) {
    this.acceptor = acceptor;
  }

  @Override
  public long nanoTime() {
    return ticker.read();
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    // One wake-up per batch: the loop clears the flag before it runs the queued tasks.
    if (!inLoop() && !wakeupPending.getAndSet(true)) {
      selector.wakeup();
    }
  }

  @Override
  public boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  @Override
  public Timer schedule(long delayNanos, Runnable task) {
    ScheduledTask t = new ScheduledTask(nanoTime() + Math.max(0, delayNanos), sequence++, task);
    timers.add(t);
    return t;
  }

  @Override
  public void connect(InetSocketAddress remote, long timeoutNanos, ConnectionHandler handler) {
    NioConnection connection = null;
    try {
      SocketChannel channel = SocketChannel.open();
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      connection = new NioConnection(channel, remote, true, handler);
      if (channel.connect(remote)) {
        connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
        handler.onConnected(connection);
      } else {
        connection.key = channel.register(selector, SelectionKey.OP_CONNECT, connection);
        NioConnection c = connection;
        connection.connectTimeout =
            schedule(timeoutNanos, () -> c.fail(new IOException("connect timed out")));
      }
    } catch (IOException e) {
      if (connection != null) {
        connection.fail(e);
      } else {
        handler.onClosed(null, e);
      }
    }
  }

  private void run() {
    try {
      while (running) {
        long wait = runTimers();
        if (!tasks.isEmpty()) {
          wait = -1;
        }
        if (wait < 0) {
          selector.selectNow();
        } else {
          selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
        }
        for (SelectionKey key : selector.selectedKeys()) {
          handle(key);
        }
        selector.selectedKeys().clear();
        wakeupPending.set(false);
        Runnable task;
        while ((task = tasks.poll()) != null) {
          runSafely(task);
        }
      }
    } catch (IOException | RuntimeException | Error e) {
      log.error("I/O loop failed", e);
      if (running) {
        notifyFailure(e);
      }
    } finally {
      closeQuietly();
    }
  }

  /** Tells the engine, on this dying thread, so that it can fail what depended on the loop. */
  private void notifyFailure(Throwable cause) {
    try {
      onFailure.accept(cause);
    } catch (RuntimeException | Error e) {
      log.error("reporting the failure of the I/O loop failed", e);
    }
  }

  @Override
  public void onFailure(Consumer<Throwable> handler) {
    this.onFailure = handler;
  }

  /** Runs due timers; returns nanoseconds until the next one, 0 for none (block until woken). */
  private long runTimers() {
    long now = nanoTime();
    ScheduledTask t;
    while ((t = timers.peek()) != null && t.deadline - now <= 0) {
      timers.poll();
      if (!t.cancelled) {
        runSafely(t.task);
      }
      now = nanoTime();
    }
    t = timers.peek();
    return t == null ? 0 : Math.max(1, t.deadline - now);
  }

  private static void runSafely(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      log.error("engine task failed", e);
    }
  }

  private void handle(SelectionKey key) {
    try {
      if (key.channel() instanceof ServerSocketChannel server) {
        accept(server);
        return;
      }
      if (key.channel() instanceof DatagramChannel udp) {
        DatagramHandler handler = (DatagramHandler) key.attachment();
        try {
          receiveDatagrams(udp, handler);
        } catch (IOException e) {
          handler.onError(e);
        }
        return;
      }
      NioConnection c = (NioConnection) key.attachment();
      if (key.isConnectable()) {
        c.finishConnect();
      }
      if (key.isValid() && key.isReadable()) {
        c.read();
      }
      if (key.isValid() && key.isWritable()) {
        key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
        c.handler.onWritable(c);
      }
    } catch (CancelledKeyException e) {
      // closed while handling: nothing left to do
    } catch (IOException e) {
      if (key.attachment() instanceof NioConnection c) {
        c.fail(e);
      }
    } catch (RuntimeException e) {
      log.error("peer handler failed", e);
      if (key.attachment() instanceof NioConnection c) {
        c.fail(new IOException("internal error: " + e, e));
      }
    } catch (OutOfMemoryError e) {
      // A buffer for this connection could not be had: it goes, the loop and the others stay.
      log.error("out of memory handling {}", key.attachment(), e);
      if (key.attachment() instanceof NioConnection c) {
        c.fail(new IOException("out of memory: " + e.getMessage(), e));
      } else {
        closeChannel(key.channel());
      }
    }
  }

  private void accept(ServerSocketChannel server) throws IOException {
    SocketChannel channel;
    while ((channel = server.accept()) != null) {
      if (acceptor == null) {
        channel.close();
        continue;
      }
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
      NioConnection c = new NioConnection(channel, remote, false, null);
      ConnectionHandler handler = acceptor.apply(c);
      if (handler == null) {
        channel.close();
        continue;
      }
      c.handler = handler;
      c.key = channel.register(selector, SelectionKey.OP_READ, c);
      handler.onConnected(c);
    }
  }

  @Override
  public UdpSocket openUdp(InetSocketAddress bind, DatagramHandler handler) throws IOException {
    return openDatagram(
        handler,
        channel -> {
          try {
            channel.bind(bind);
          } catch (IOException e) {
            channel.bind(new InetSocketAddress(bind.getAddress(), 0));
          }
        });
  }

  @Override
  public UdpSocket openConnectedUdp(InetSocketAddress remote, DatagramHandler handler)
      throws IOException {
    return openDatagram(handler, channel -> channel.connect(remote));
  }

  /** How a new datagram channel is bound or connected. */
  private interface DatagramSetup {
    void apply(DatagramChannel channel) throws IOException;
  }

  private UdpSocket openDatagram(DatagramHandler handler, DatagramSetup setup) throws IOException {
    DatagramChannel channel = DatagramChannel.open();
    try {
      setup.apply(channel);
      channel.configureBlocking(false);
      channel.register(selector, SelectionKey.OP_READ, handler);
    } catch (IOException | RuntimeException e) {
      closeChannel(channel);
      throw e;
    }
    InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
    return new UdpSocket() {
      @Override
      public void send(ByteBuffer data, InetSocketAddress target) throws IOException {
        if (channel.isConnected()) {
          channel.write(data); // reports an earlier ICMP error, unlike send
        } else {
          channel.send(data, target);
        }
      }

      @Override
      public InetSocketAddress localAddress() {
        return local;
      }

      @Override
      public void close() {
        closeChannel(channel);
      }
    };
  }

  private final ByteBuffer datagramBuffer = ByteBuffer.allocateDirect(64 * 1024);
  private final ByteBuffer sharedReadBuffer = ByteBuffer.allocateDirect(SHARED_READ_BUFFER);

  private void receiveDatagrams(DatagramChannel channel, DatagramHandler handler)
      throws IOException {
    // Bounded per wake-up, so that a flood of datagrams cannot keep the loop from its peers; the
    // rest stays readable for the next pass.
    for (int i = 0; i < MAX_DATAGRAMS_PER_PASS; i++) {
      datagramBuffer.clear();
      InetSocketAddress source = (InetSocketAddress) channel.receive(datagramBuffer);
      if (source == null) {
        return;
      }
      handler.onDatagram(source, datagramBuffer.flip());
    }
  }

  @Override
  public void stop(long timeoutMillis) throws InterruptedException {
    running = false;
    selector.wakeup();
    if (!inLoop()) {
      thread.join(timeoutMillis);
    }
  }

  @Override
  public void close() {
    try {
      stop(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isAlive() {
    return thread.isAlive();
  }

  private void closeQuietly() {
    for (SelectionKey key : selector.isOpen() ? selector.keys() : List.<SelectionKey>of()) {
      if (key.attachment() instanceof NioConnection c) {
        c.fail(new ClosedChannelException());
      }
      closeChannel(key.channel());
    }
    servers.forEach(NioTransport::closeChannel);
    try {
      selector.close();
    } catch (IOException e) {
      log.debug("closing the selector", e);
    }
  }

  private static void closeChannel(SelectableChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("closing a channel", e);
    }
  }

  /** One TCP connection. */
  private final class NioConnection implements Connection {
    final SocketChannel channel;
    final InetSocketAddress remote;
    final boolean outgoing;
    ConnectionHandler handler;
    SelectionKey key;
    Timer connectTimeout;
    // The bytes of an incomplete frame left by the last read (read mode), or null; or, for a frame
    // larger than the shared buffer, the buffer it is read into (write mode, see largeFrame).
    ByteBuffer leftover;
    boolean largeFrame;
    // Where leftovers are kept, reused from read to read; allocated at the first incomplete frame.
    ByteBuffer spare;
    int wantedCapacity;
    boolean closed;

    NioConnection(
        SocketChannel channel, InetSocketAddress remote, boolean outgoing, ConnectionHandler h) {
      this.channel = channel;
      this.remote = remote;
      this.outgoing = outgoing;
      this.handler = h;
    }

    void finishConnect() throws IOException {
      channel.finishConnect();
      if (connectTimeout != null) {
        connectTimeout.cancel();
      }
      key.interestOps(SelectionKey.OP_READ);
      handler.onConnected(this);
    }

    void read() throws IOException {
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
    public WritableByteChannel channel() {
      return channel;
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
      closeChannel(channel);
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
}
