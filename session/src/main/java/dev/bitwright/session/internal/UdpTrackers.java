package dev.bitwright.session.internal;

import dev.bitwright.tracker.AnnounceRequest;
import dev.bitwright.tracker.AnnounceResponse;
import dev.bitwright.tracker.TrackerException;
import dev.bitwright.tracker.UdpTrackerConnection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UDP tracker announces over the session's UDP socket: one {@link UdpTrackerConnection} state
 * machine per tracker address, host names resolved on the disk executor, datagrams in and out on
 * the loop. Loop thread only.
 */
final class UdpTrackers {
  private static final Logger log = LoggerFactory.getLogger(UdpTrackers.class);

  private final Engine engine;
  private final Map<String, CompletableFuture<UdpTrackerConnection>> byUrl = new HashMap<>();
  private final Map<InetSocketAddress, UdpTrackerConnection> byAddress = new HashMap<>();
  private EngineLoop.Timer poller;

  UdpTrackers(Engine engine) {
    this.engine = engine;
  }

  CompletableFuture<AnnounceResponse> announce(String url, AnnounceRequest request) {
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
          CompletableFuture<AnnounceResponse> result = new CompletableFuture<>();
          engine
              .loop()
              .execute(
                  () -> {
                    c.announce(request, engine.loop().nanoTime())
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
    engine
        .disk()
        .execute(
            () -> {
              try {
                InetAddress address = InetAddress.getByName(uri.getHost());
                engine
                    .loop()
                    .execute(
                        () -> {
                          InetSocketAddress target = new InetSocketAddress(address, uri.getPort());
                          UdpTrackerConnection c =
                              new UdpTrackerConnection(
                                  target,
                                  pathAndQuery,
                                  engine.random(),
                                  UdpTrackerConnection.Timing.DEFAULT);
                          byAddress.put(target, c);
                          ensureSocket();
                          result.complete(c);
                        });
              } catch (IOException e) {
                byUrlRemove(uri);
                result.completeExceptionally(
                    new TrackerException("cannot resolve " + uri.getHost(), e));
              }
            });
    return result;
  }

  private void byUrlRemove(URI uri) {
    engine.loop().execute(() -> byUrl.remove(uri.getHost() + ":" + uri.getPort()));
  }

  private void ensureSocket() {
    if (poller != null) {
      return;
    }
    engine.udpPort().onTrackerDatagram(this::onDatagram);
    engine.udpPort().open();
    poller = engine.loop().schedule(1_000_000_000L, this::poll);
  }

  private void poll() {
    poller = engine.loop().schedule(1_000_000_000L, this::poll);
    long now = engine.loop().nanoTime();
    for (UdpTrackerConnection c : byAddress.values()) {
      c.poll(now);
      flush(c);
    }
  }

  private void onDatagram(InetSocketAddress source, ByteBuffer data) {
    UdpTrackerConnection c = byAddress.get(source);
    if (c != null) {
      c.receive(data, engine.loop().nanoTime());
      flush(c);
    }
  }

  private void flush(UdpTrackerConnection c) {
    for (ByteBuffer datagram : new ArrayList<>(c.takeOutgoing())) {
      engine.udpPort().send(datagram, c.tracker());
    }
  }

  void close() {
    if (poller != null) {
      poller.cancel();
    }
    byAddress.values().forEach(UdpTrackerConnection::close);
    byAddress.clear();
    byUrl.clear();
  }
}
