package dev.bitwright.tracker;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** A JDK HTTP client with its own executor, for one test; closing shuts the executor down. */
final class HttpClients implements AutoCloseable {
  final ExecutorService executor = Executors.newCachedThreadPool();
  final HttpClient http =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .executor(executor)
          .build();

  HttpTrackerClient tracker(Duration timeout) {
    return new HttpTrackerClient(http, timeout, "Bitwright-test/0.1");
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
