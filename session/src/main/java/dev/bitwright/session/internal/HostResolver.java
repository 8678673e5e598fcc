package dev.bitwright.session.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves host names (magnet {@code x.pe} peers, peers added by name, DHT bootstrap routers) on a
 * thread of its own ({@code bitwright-resolver}, started on first use), so that a slow DNS server
 * holds up neither the I/O loop nor the disk. Addresses that are resolved already pass straight
 * through; a name gives every address it has (IPv4 and IPv6).
 */
final class HostResolver {
  private static final Logger log = LoggerFactory.getLogger(HostResolver.class);

  private ExecutorService thread;
  private boolean closed;

  /**
   * Returns the resolved addresses of {@code addresses}, in order; names that do not resolve are
   * left out (and logged). Completes on the resolver thread, or at once when nothing needs a
   * lookup.
   */
  synchronized CompletableFuture<List<InetSocketAddress>> resolve(
      List<InetSocketAddress> addresses) {
    if (addresses.stream().noneMatch(InetSocketAddress::isUnresolved)) {
      return CompletableFuture.completedFuture(List.copyOf(addresses));
    }
    if (closed) {
      return CompletableFuture.completedFuture(List.of());
    }
    if (thread == null) {
      thread =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "bitwright-resolver");
                t.setDaemon(true);
                return t;
              });
    }
    List<InetSocketAddress> copy = List.copyOf(addresses);
    return CompletableFuture.supplyAsync(() -> lookUp(copy), thread);
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

  /** Stops the thread; lookups under way are abandoned. */
  synchronized void close() throws InterruptedException {
    closed = true;
    if (thread != null) {
      thread.shutdownNow();
      thread.awaitTermination(2, TimeUnit.SECONDS);
    }
  }
}
