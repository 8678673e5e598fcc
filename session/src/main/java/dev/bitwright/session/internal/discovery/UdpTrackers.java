package dev.bitwright.session.internal.discovery;

import dev.bitwright.session.internal.net.EngineIo;
import dev.bitwright.session.internal.net.EngineLoop;
import dev.bitwright.tracker.AnnounceRequest;
import dev.bitwright.tracker.AnnounceResponse;
import dev.bitwright.tracker.ScrapeStats;
import dev.bitwright.tracker.TrackerException;
import dev.bitwright.tracker.UdpTrackerConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UDP tracker announces: one {@link UdpTrackerConnection} state machine per tracker address, each
 * on a UDP socket of its own connected to the tracker, so that an ICMP "port unreachable" (nothing
 * listens there) fails its announces at once instead of after every retransmission; shorter
 * retransmission times than BEP 15's ({@link UdpTrackerConnection.Timing#QUICK}); host names
 * resolved off the loop; datagrams in and out on the loop. Loop thread only.
 */
public final class UdpTrackers {
  private static final Logger log = LoggerFactory.getLogger(UdpTrackers.class);

  // A tracker not asked anything for this long gives its socket back (and is resolved afresh).
  private static final long IDLE_NANOS = 5 * 60_000_000_000L;

  private final EngineIo io;
  private final HostResolver resolver;
  private final RandomGenerator random;
  private final Map<String, CompletableFuture<UdpTrackerConnection>> byUrl = new HashMap<>();
  private final Map<UdpTrackerConnection, EngineIo.UdpSocket> sockets = new HashMap<>();
  private final Map<UdpTrackerConnection, String> keys = new HashMap<>();
  private final Map<UdpTrackerConnection, Long> lastUsed = new HashMap<>();
  private boolean closed;
  private EngineLoop.Timer poller;

  public UdpTrackers(EngineIo io, HostResolver resolver, RandomGenerator random) {
    this.io = io;
    this.resolver = resolver;
    this.random = random;
  }

  /** Announces {@code request} to the UDP tracker at {@code url} (any thread). */
  public CompletableFuture<AnnounceResponse> announce(String url, AnnounceRequest request) {
    return onConnection(url, c -> c.announce(request, io.nanoTime()));
  }

  /** Scrapes one torrent at the UDP tracker at {@code url} (any thread). */
  public CompletableFuture<ScrapeStats> scrape(String url, byte[] infoHash) {
    return onConnection(url, c -> c.scrape(List.of(infoHash), io.nanoTime()))
        .thenApply(byHash -> byHash.values().iterator().next());
  }

  /** Runs {@code exchange} on the loop with the tracker's connection, opened if need be. */
  private <T> CompletableFuture<T> onConnection(
      String url, Function<UdpTrackerConnection, CompletableFuture<T>> exchange) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      return CompletableFuture.failedFuture(new TrackerException("invalid tracker URL " + url, e));
    }
    if (uri.getHost() == null || uri.getPort() <= 0) {
      return CompletableFuture.failedFuture(
          new TrackerException("UDP tracker URL needs a host and a port: " + url, false));
    }
    String key = uri.getHost() + ":" + uri.getPort();
    CompletableFuture<UdpTrackerConnection> connection =
        byUrl.computeIfAbsent(key, k -> resolve(uri));
    return connection.thenCompose(
        c -> {
          CompletableFuture<T> result = new CompletableFuture<>();
          io.execute(
              () -> {
                if (!sockets.containsKey(c)) {
                  result.completeExceptionally(new TrackerException("closed", false));
                  return;
                }
                lastUsed.put(c, io.nanoTime());
                exchange
                    .apply(c)
                    .whenComplete(
                        (r, e) -> {
                          if (e != null) {
                            result.completeExceptionally(e);
                          } else {
                            result.complete(r);
                          }
                        });
                flush(c);
              });
          return result;
        });
  }

  private CompletableFuture<UdpTrackerConnection> resolve(URI uri) {
    CompletableFuture<UdpTrackerConnection> result = new CompletableFuture<>();
    String pathAndQuery =
        (uri.getRawPath() == null ? "" : uri.getRawPath())
            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    resolver
        .resolve(List.of(InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort())))
        .whenComplete(
            (addresses, error) ->
                io.execute(
                    () -> {
                      if (closed || error != null || addresses.isEmpty()) {
                        byUrlRemove(uri);
                        result.completeExceptionally(
                            new TrackerException("cannot resolve " + uri.getHost(), false));
                        return;
                      }
                      try {
                        UdpTrackerConnection c = open(addresses.get(0), pathAndQuery);
                        keys.put(c, uri.getHost() + ":" + uri.getPort());
                        result.complete(c);
                      } catch (IOException e) {
                        byUrlRemove(uri);
                        result.completeExceptionally(
                            new TrackerException("no UDP socket for " + uri.getHost(), e));
                      }
                    }));
    return result;
  }

  private UdpTrackerConnection open(InetSocketAddress target, String pathAndQuery)
      throws IOException {
    UdpTrackerConnection c =
        new UdpTrackerConnection(target, pathAndQuery, random, UdpTrackerConnection.Timing.QUICK);
    EngineIo.UdpSocket socket =
        io.openConnectedUdp(
            target,
            new EngineIo.DatagramHandler() {
              @Override
              public void onDatagram(InetSocketAddress source, ByteBuffer data) {
                c.receive(data, io.nanoTime());
                flush(c);
              }

              @Override
              public void onError(IOException error) {
                log.debug("UDP tracker {}: {}", target, error.toString());
                c.unreachable();
              }
            });
    sockets.put(c, socket);
    if (poller == null) {
      poller = io.schedule(1_000_000_000L, this::poll);
    }
    return c;
  }

  private void byUrlRemove(URI uri) {
    byUrl.remove(uri.getHost() + ":" + uri.getPort());
  }

  private void poll() {
    poller = io.schedule(1_000_000_000L, this::poll);
    long now = io.nanoTime();
    for (UdpTrackerConnection c : List.copyOf(sockets.keySet())) {
      c.advance(now);
      flush(c);
      if (c.nextDeadlineNanos() == Long.MAX_VALUE
          && now - lastUsed.getOrDefault(c, now) > IDLE_NANOS) {
        release(c); // resolved and opened again when next needed
      }
    }
  }

  private void release(UdpTrackerConnection c) {
    c.close();
    sockets.remove(c).close();
    lastUsed.remove(c);
    byUrl.remove(keys.remove(c));
  }

  private void flush(UdpTrackerConnection c) {
    EngineIo.UdpSocket socket = sockets.get(c);
    if (socket == null) {
      c.close(); // released meanwhile: what it was asked fails
      return;
    }
    for (ByteBuffer datagram; (datagram = c.poll()) != null; ) {
      try {
        socket.send(datagram, c.tracker());
      } catch (IOException e) {
        // An ICMP error of an earlier datagram is reported by this send, on a connected socket.
        log.debug("UDP tracker {}: {}", c.tracker(), e.toString());
        c.unreachable();
        return;
      }
    }
  }

  public void close() {
    closed = true;
    if (poller != null) {
      poller.cancel();
    }
    List.copyOf(sockets.keySet()).forEach(this::release);
    byUrl.clear();
  }
}
