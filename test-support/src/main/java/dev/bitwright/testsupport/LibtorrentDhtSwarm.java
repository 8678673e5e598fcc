package dev.bitwright.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A private DHT of libtorrent nodes in a child process (lt_dht_swarm.py beside this class, run by
 * Debian's /usr/bin/python3 with python3-libtorrent) on 127.0.0.1, optionally with one node seeding
 * a torrent it announces through the DHT only. Closing it stops the process.
 */
public final class LibtorrentDhtSwarm implements AutoCloseable {
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private final ScriptProcess script;
  private final int bootstrapPort;

  private LibtorrentDhtSwarm(List<String> arguments, Path scratch) throws IOException {
    script =
        ScriptProcess.start(
            LibtorrentDhtSwarm.class,
            "lt_dht_swarm.py",
            scratch,
            "/usr/bin/python3",
            arguments,
            scratch.resolve("lt_dht_swarm.log"),
            this::line);
    String first = script.firstLine();
    if (!first.startsWith("BOOTSTRAP ")) {
      script.close();
      throw new IOException("libtorrent did not start: " + first);
    }
    bootstrapPort = Integer.parseInt(first.substring("BOOTSTRAP ".length()).trim());
  }

  private void line(String line) {
    if (line.equals("READY")) {
      ready.complete(null);
    } else if (line.equals("FINISHED")) {
      finished.complete(null);
    }
  }

  /**
   * Starts {@code nodes} (at least 3) libtorrent DHT nodes; with {@code seedTorrent} non-null, node
   * 1 seeds it from {@code seedFolder}.
   *
   * @param scratch a folder for the script and its log
   * @throws IOException if the process cannot be started (python3-libtorrent missing, say)
   */
  public static LibtorrentDhtSwarm start(int nodes, Path seedTorrent, Path seedFolder, Path scratch)
      throws IOException {
    List<String> arguments = new ArrayList<>(List.of("" + nodes, "120"));
    if (seedTorrent != null) {
      arguments.add(seedTorrent.toString());
      arguments.add(seedFolder.toString());
    }
    return new LibtorrentDhtSwarm(arguments, scratch);
  }

  /** Returns the node to bootstrap from. */
  public InetSocketAddress bootstrap() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), bootstrapPort);
  }

  /** Completes once the nodes know each other and, with a seed, a lookup finds it. */
  public CompletableFuture<Void> ready() {
    return ready;
  }

  /** Completes when the download started by {@link #leech} is done. */
  public CompletableFuture<Void> finished() {
    return finished;
  }

  /**
   * Makes the last node download {@code magnet} into {@code folder}.
   *
   * @throws IOException if the process has gone
   */
  public void leech(String magnet, Path folder) throws IOException {
    script.send("leech " + magnet + " " + folder);
  }

  @Override
  public void close() {
    script.close();
  }
}
