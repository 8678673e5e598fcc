package dev.bitwright.session.internal.engine;

import dev.bitwright.metainfo.InfoHashes;
import dev.bitwright.session.TorrentStatus;
import dev.bitwright.session.internal.torrent.TorrentRuntime;
import dev.bitwright.storage.FilePriority;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** The thread-safe side of a torrent runtime: each call is posted to the loop. */
public final class TorrentControl {
  private final Engine engine;
  private final TorrentRuntime runtime;

  /** Wraps {@code runtime}. */
  public TorrentControl(Engine engine, TorrentRuntime runtime) {
    this.engine = engine;
    this.runtime = runtime;
  }

  public TorrentRuntime runtime() {
    return runtime;
  }

  public InfoHashes infoHashes() {
    return runtime.infoHashes();
  }

  public TorrentStatus status() {
    return runtime.status();
  }

  public CompletableFuture<Void> completion() {
    return runtime.completion().copy();
  }

  public void pause() {
    engine.loop().execute(runtime::pause);
  }

  public void resume() {
    runtime.renewCompletionAfterError();
    engine.loop().execute(runtime::start);
  }

  public CompletableFuture<Void> recheck() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    engine.loop().execute(() -> runtime.recheck(done));
    return done;
  }

  public void setFilePriority(int file, FilePriority priority) {
    engine.loop().execute(() -> runtime.settings().setPriority(file, priority));
  }

  public void setSequential(boolean sequential) {
    engine.loop().execute(() -> runtime.settings().setSequential(sequential));
  }

  public void setPieceDeadline(int piece, Duration deadline) {
    engine.loop().execute(() -> runtime.settings().setDeadline(piece, deadline));
  }

  /**
   * Returns a future of its own (the caller may cancel it) that completes when {@code piece} is
   * verified, or fails when the torrent is removed.
   */
  public CompletableFuture<Void> whenPieceVerified(int piece) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    engine
        .loop()
        .execute(
            () ->
                runtime
                    .pieceWaits()
                    .whenVerified(piece)
                    .whenComplete(
                        (v, e) -> {
                          if (e != null) {
                            result.completeExceptionally(e);
                          } else {
                            result.complete(null);
                          }
                        }));
    return result;
  }

  /** A reader asks for {@code piece} within {@code in}. */
  public void holdDeadline(int piece, Duration in) {
    engine.loop().execute(() -> runtime.pieceWaits().hold(piece, in));
  }

  /** A reader no longer needs {@code piece}. */
  public void releaseDeadline(int piece) {
    engine.loop().execute(() -> runtime.pieceWaits().release(piece));
  }

  /** Returns a value computed from the runtime on the loop. */
  public <T> CompletableFuture<T> query(Function<TorrentRuntime, T> question) {
    CompletableFuture<T> result = new CompletableFuture<>();
    engine
        .loop()
        .execute(
            () -> {
              try {
                result.complete(question.apply(runtime));
              } catch (RuntimeException e) {
                result.completeExceptionally(e);
              }
            });
    return result;
  }

  /** Returns the session's clock, in nanoseconds. */
  public long nanoTime() {
    return engine.loop().nanoTime();
  }

  public void addPeer(InetSocketAddress peer) {
    engine.loop().execute(() -> runtime.addPeer(peer));
  }

  public void addWebSeed(URI url) {
    engine.loop().execute(() -> runtime.addWebSeed(url));
  }

  public void removeWebSeed(URI url) {
    engine.loop().execute(() -> runtime.removeWebSeed(url));
  }

  public void setRateLimits(long download, long upload) {
    engine.loop().execute(() -> runtime.transfer().setRates(download, upload));
  }
}
