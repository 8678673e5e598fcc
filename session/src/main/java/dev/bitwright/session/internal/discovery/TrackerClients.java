package dev.bitwright.session.internal.discovery;

import dev.bitwright.session.SessionConfig;
import dev.bitwright.session.internal.net.EngineIo;
import dev.bitwright.tracker.AnnounceRequest;
import dev.bitwright.tracker.AnnounceResponse;
import dev.bitwright.tracker.HttpTrackerClient;
import dev.bitwright.tracker.ScrapeStats;
import dev.bitwright.tracker.TrackerException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;

/**
 * The session's tracker clients: an announce goes, by the scheme of the tracker's URL, to one
 * {@link HttpTrackerClient} for HTTP and HTTPS (built at the first such announce) or to the {@link
 * UdpTrackers}. Owned and closed by the engine. Loop thread only.
 */
public final class TrackerClients {
  private final SessionConfig config;
  private final Executor httpExecutor;
  private final UdpTrackers udp;
  private HttpTrackerClient http;

  /**
   * Clients for a session of {@code config}; HTTP runs on {@code httpExecutor}, UDP on {@code io}.
   */
  public TrackerClients(
      SessionConfig config,
      Executor httpExecutor,
      EngineIo io,
      HostResolver resolver,
      RandomGenerator random) {
    this.config = config;
    this.httpExecutor = httpExecutor;
    this.udp = new UdpTrackers(io, resolver, random);
  }

  /** Announces {@code request} to the tracker at {@code url}. */
  public CompletableFuture<AnnounceResponse> announce(String url, AnnounceRequest request) {
    String scheme = url.substring(0, Math.max(0, url.indexOf(':'))).toLowerCase(Locale.ROOT);
    if (scheme.equals("http") || scheme.equals("https")) {
      return httpTrackers().announce(url, request);
    }
    if (scheme.equals("udp")) {
      return udp.announce(url, request);
    }
    return CompletableFuture.failedFuture(
        new TrackerException("unsupported tracker scheme: " + url, false));
  }

  /**
   * Scrapes one torrent at the tracker at {@code url} (BEP 48 for HTTP, BEP 15 for UDP); fails with
   * a {@link TrackerException} where the tracker cannot be scraped.
   */
  public CompletableFuture<ScrapeStats> scrape(String url, byte[] infoHash) {
    String scheme = url.substring(0, Math.max(0, url.indexOf(':'))).toLowerCase(Locale.ROOT);
    if (scheme.equals("http") || scheme.equals("https")) {
      return httpTrackers()
          .scrape(url, List.of(infoHash))
          .thenCompose(
              byHash ->
                  byHash.isEmpty()
                      ? CompletableFuture.failedFuture(
                          new TrackerException("the tracker does not know the torrent", false))
                      : CompletableFuture.completedFuture(byHash.values().iterator().next()));
    }
    if (scheme.equals("udp")) {
      return udp.scrape(url, infoHash);
    }
    return CompletableFuture.failedFuture(
        new TrackerException("unsupported tracker scheme: " + url, false));
  }

  private HttpTrackerClient httpTrackers() {
    if (http == null) {
      HttpClient client =
          HttpClient.newBuilder()
              .followRedirects(HttpClient.Redirect.NEVER)
              .connectTimeout(config.connectTimeout())
              .executor(httpExecutor)
              .build();
      http = new HttpTrackerClient(client, Duration.ofSeconds(20), config.userAgent());
    }
    return http;
  }

  /** Closes the UDP trackers' sockets and drops the HTTP client. */
  public void close() {
    udp.close();
    http = null;
  }
}
