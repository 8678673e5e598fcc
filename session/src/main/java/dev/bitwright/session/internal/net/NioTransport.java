package dev.bitwright.session.internal.net;

import com.google.common.base.Ticker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session's one I/O thread: a {@link Selector} over every peer socket ({@link NioConnection}),
 * the listening sockets and the UDP sockets ({@link NioDatagrams}), a task queue other threads post
 * to, and timers ({@link LoopTasks}). Non-blocking connects with a timeout, reads into a shared
 * direct buffer, writes that never spin on a full socket (write interest is set only while bytes
 * wait).
 */
public final class NioTransport implements EngineIo, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NioTransport.class);
  // Every connection reads into this one buffer (the loop is single-threaded); only the tail of
  // an incomplete frame is kept per connection, so idle connections hold no read buffer at all.
  private static final int SHARED_READ_BUFFER = 256 * 1024;

  // Connections the kernel completes before we accept them: a storm of connections must not fill
  // it, or honest peers' SYNs are dropped and they retry only seconds later (the kernel caps it at
  // net.core.somaxconn).
  private static final int LISTEN_BACKLOG = 1024;

  private final Selector selector;
  private final Consumer<SelectionKey> selectedKey = this::handle;
  private final LoopTasks tasks;
  private final NioDatagrams datagrams;
  private final Thread thread;
  private final List<ServerSocketChannel> servers = new ArrayList<>();
  private final InetSocketAddress listenAddress;
  private final ByteBuffer sharedReadBuffer = ByteBuffer.allocateDirect(SHARED_READ_BUFFER);
  private Function<Connection, ConnectionHandler> acceptor;
  private Consumer<Throwable> onFailure = cause -> {};
  private volatile boolean running = true;

  /**
   * Opens the listening sockets and starts the thread.
   *
   * @param listen the address to listen on (port 0 for any free port)
   * @param ipv6 whether to accept IPv6 connections too, on the same port (see {@link
   *     ListenAddresses})
   */
  public NioTransport(InetSocketAddress listen, boolean ipv6, Ticker ticker, String name)
      throws IOException {
    this.selector = Selector.open();
    this.tasks = new LoopTasks(ticker, selector::wakeup);
    this.datagrams = new NioDatagrams(selector);
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
    return tasks.nanoTime();
  }

  @Override
  public void execute(Runnable task) {
    tasks.post(task, inLoop());
  }

  @Override
  public boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  @Override
  public Timer schedule(long delayNanos, Runnable task) {
    return tasks.schedule(delayNanos, task);
  }

  @Override
  public void connect(InetSocketAddress remote, long timeoutNanos, ConnectionHandler handler) {
    NioConnection connection = null;
    try {
      SocketChannel channel = SocketChannel.open();
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      connection = new NioConnection(channel, remote, true, handler, sharedReadBuffer);
      if (channel.connect(remote)) {
        connection.register(selector, SelectionKey.OP_READ);
        handler.onConnected(connection);
      } else {
        connection.register(selector, SelectionKey.OP_CONNECT);
        NioConnection c = connection;
        connection.connectTimeout(
            schedule(timeoutNanos, () -> c.fail(new IOException("connect timed out"))));
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
        long wait = tasks.runTimers();
        if (tasks.pending()) {
          wait = -1;
        }
        // The selector hands each ready key to the handler: no selected-key set, no iterator.
        if (wait < 0) {
          selector.selectNow(selectedKey);
        } else {
          selector.select(selectedKey, Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
        }
        tasks.runPosted();
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

  private void handle(SelectionKey key) {
    try {
      if (key.channel() instanceof ServerSocketChannel server) {
        accept(server);
        return;
      }
      if (key.channel() instanceof DatagramChannel udp) {
        datagrams.readable(udp, (DatagramHandler) key.attachment());
        return;
      }
      ((NioConnection) key.attachment()).ready();
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
        NioChannels.close(key.channel());
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
      NioConnection c = new NioConnection(channel, remote, false, null, sharedReadBuffer);
      ConnectionHandler handler = acceptor.apply(c);
      if (handler == null) {
        channel.close();
        continue;
      }
      c.accepted(handler, selector);
    }
  }

  @Override
  public UdpSocket openUdp(InetSocketAddress bind, DatagramHandler handler) throws IOException {
    return datagrams.open(bind, handler);
  }

  @Override
  public UdpSocket openConnectedUdp(InetSocketAddress remote, DatagramHandler handler)
      throws IOException {
    return datagrams.openConnected(remote, handler);
  }

  @Override
  public MulticastSocket openMulticast(
      InetSocketAddress group, List<NetworkInterface> interfaces, int hops, DatagramHandler handler)
      throws IOException {
    return datagrams.openMulticast(group, interfaces, hops, handler);
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
      NioChannels.close(key.channel());
    }
    servers.forEach(NioChannels::close);
    try {
      selector.close();
    } catch (IOException e) {
      log.debug("closing the selector", e);
    }
  }
}
