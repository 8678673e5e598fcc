package dev.bitwright.session.internal.discovery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves host names (magnet {@code x.pe} peers, peers added by name, tracker and DHT router
 * hosts) on threads of their own ({@code bitwright-resolver-*}, at most {@value #THREADS}, started
 * on use and gone after 30 idle seconds), so that a slow DNS server holds up neither the I/O loop
 * nor the disk, and one dead name does not hold up the others. Addresses that are resolved already
 * pass straight through; a name gives every address it has (IPv4 and IPv6). Thread-safe.
 */
public final class HostResolver {
  static final int THREADS = 4;
  private static final Logger log = LoggerFactory.getLogger(HostResolver.class);

  private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
  private ThreadPoolExecutor threads;
  private boolean closed;

  /**
   * Returns the resolved addresses of {@code addresses}, in order; names that do not resolve are
   * left out (and logged). Completes on a resolver thread, or at once when nothing needs a lookup;
   * fails if the session closes first.
   */
  public synchronized CompletableFuture<List<InetSocketAddress>> resolve(
      List<InetSocketAddress> addresses) {
    if (addresses.stream().noneMatch(InetSocketAddress::isUnresolved)) {
      return CompletableFuture.completedFuture(List.copyOf(addresses));
    }
    if (closed) {
      return CompletableFuture.failedFuture(new IOException("the session is closed"));
    }
    if (threads == null) {
      AtomicInteger n = new AtomicInteger();
      threads =
          new ThreadPoolExecutor(
              THREADS,
              THREADS,
              30,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              r -> {
                Thread t = new Thread(r, "bitwright-resolver-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      threads.allowCoreThreadTimeOut(true);
    }
    List<InetSocketAddress> copy = List.copyOf(addresses);
    CompletableFuture<List<InetSocketAddress>> result = new CompletableFuture<>();
    pending.add(result);
    result.whenComplete((v, e) -> pending.remove(result));
    threads.execute(
        () -> {
          try {
            result.complete(lookUp(copy));
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        });
    return result;
  }

  private static List<InetSocketAddress> lookUp(List<InetSocketAddress> addresses) {
    List<InetSocketAddress> resolved = new ArrayList<>();
    for (InetSocketAddress a : addresses) {
      if (!a.isUnresolved()) {
        resolved.add(a);
        continue;
      }
      try {
        for (InetAddress address : InetAddress.getAllByName(a.getHostString())) {
          resolved.add(new InetSocketAddress(address, a.getPort()));
        }
      } catch (UnknownHostException e) {
        log.info("{} does not resolve", a.getHostString());
      }
    }
    return resolved;
  }

  /** Stops the threads; lookups under way fail. */
  public void close() throws InterruptedException {
    ThreadPoolExecutor stopping;
    synchronized (this) {
      closed = true;
      stopping = threads;
    }
    if (stopping != null) {
      stopping.shutdownNow();
      stopping.awaitTermination(2, TimeUnit.SECONDS);
    }
    for (CompletableFuture<?> f : List.copyOf(pending)) {
      f.completeExceptionally(new IOException("the session is closed"));
    }
  }
}
