package dev.bitwright.session;

import dev.bitwright.testsupport.ScriptProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A libtorrent peer in a child process (test resource interop/lt_client.py, run by Debian's
 * /usr/bin/python3 with python3-libtorrent) on 127.0.0.1. Closing it stops the process.
 */
final class LibtorrentClient implements AutoCloseable {
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private final AtomicInteger resumes = new AtomicInteger();
  private final ScriptProcess script;
  private final Path log;
  private final int port;

  private LibtorrentClient(String mode, List<String> arguments, Path scratch) throws IOException {
    log = scratch.resolve("lt_client-" + mode + ".log");
    script =
        ScriptProcess.start(
            LibtorrentClient.class,
            "/interop/lt_client.py",
            scratch,
            "/usr/bin/python3",
            arguments,
            log,
            line -> {
              if (line.equals("FINISHED")) {
                finished.complete(null);
              } else if (line.startsWith("RESUMED")) {
                resumes.incrementAndGet();
              }
            });
    String first = script.firstLine();
    if (!first.startsWith("PORT ")) {
      script.close();
      throw new IOException("libtorrent did not start: " + first);
    }
    port = Integer.parseInt(first.substring("PORT ".length()).trim());
  }

  /** Starts libtorrent: mode "seed" or "leech", source a .torrent path or a magnet URI. */
  static LibtorrentClient start(
      String mode, String source, Path savePath, String encryption, Path scratch)
      throws IOException {
    return start(mode, source, savePath, encryption, scratch, 0);
  }

  /** As {@link #start}, uploading at most {@code uploadLimit} bytes a second (0: no limit). */
  static LibtorrentClient start(
      String mode, String source, Path savePath, String encryption, Path scratch, long uploadLimit)
      throws IOException {
    return new LibtorrentClient(
        mode,
        List.of(mode, source, savePath.toString(), encryption, "90", Long.toString(uploadLimit)),
        scratch);
  }

  /**
   * As {@link #start}, reaching peers over {@code transport}: "tcp" or "utp" (TCP off); the process
   * lives up to 10 minutes (slow paths), unless closed before.
   */
  static LibtorrentClient start(
      String mode,
      String source,
      Path savePath,
      String encryption,
      Path scratch,
      long uploadLimit,
      String transport)
      throws IOException {
    return new LibtorrentClient(
        mode,
        List.of(
            mode,
            source,
            savePath.toString(),
            encryption,
            "600",
            Long.toString(uploadLimit),
            transport),
        scratch);
  }

  int port() {
    return port;
  }

  /** Completes when a leech prints FINISHED. */
  CompletableFuture<Void> finished() {
    return finished;
  }

  /**
   * Waits until a leech has finished; on a timeout fails with the end of libtorrent's log (its
   * alerts), which tells why.
   */
  void awaitFinished(long seconds) throws Exception {
    try {
      finished.get(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      String alerts = Files.exists(log) ? Files.readString(log) : "";
      throw new AssertionError(
          "libtorrent did not finish in "
              + seconds
              + " s; the end of its log:\n"
              + alerts.substring(Math.max(0, alerts.length() - 4000)),
          e);
    }
  }

  /**
   * Returns how many times the script resumed a torrent libtorrent paused with its own
   * inconsistent-hashes race (see lt_client.py).
   */
  int resumes() {
    return resumes.get();
  }

  void connectTo(int port) throws IOException {
    script.send("connect " + port);
  }

  @Override
  public void close() {
    script.close();
  }
}
