package dev.bitwright.session;

import dev.bitwright.testsupport.ScriptProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A libtorrent peer (test resource interop/lt_netns_peer.py, Debian's python3-libtorrent) run in a
 * network namespace by a command prefix ({@code ip netns exec NAME}). Closing it stops it.
 */
final class NetnsLibtorrent implements AutoCloseable {
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private final List<String> lsdPeers = new CopyOnWriteArrayList<>();
  private final Path log;
  private ScriptProcess script;
  private int port;

  private NetnsLibtorrent(Path log) {
    this.log = log;
  }

  /**
   * Starts it: {@code mode} "seed" or "leech" of {@code torrentFile} in {@code savePath}, listening
   * on {@code listen}; {@code dials} "dial" (outgoing connections only) or "accept" (incoming
   * only); Local Service Discovery on or off.
   */
  static NetnsLibtorrent start(
      Path scratch,
      List<String> namespaceCommand,
      String mode,
      Path torrentFile,
      Path savePath,
      InetAddress listen,
      String dials,
      boolean lsd)
      throws IOException {
    NetnsLibtorrent peer = new NetnsLibtorrent(scratch.resolve("lt-" + mode + ".log"));
    List<String> interpreter = new ArrayList<>(namespaceCommand);
    interpreter.add("/usr/bin/python3");
    peer.script =
        ScriptProcess.start(
            NetnsLibtorrent.class,
            "/interop/lt_netns_peer.py",
            scratch,
            interpreter,
            List.of(
                mode,
                torrentFile.toString(),
                savePath.toString(),
                listen.getHostAddress(),
                dials,
                "110",
                lsd ? "on" : "off"),
            peer.log,
            line -> {
              if (line.equals("FINISHED")) {
                peer.finished.complete(null);
              } else if (line.startsWith("LSD_PEER ")) {
                peer.lsdPeers.add(line.substring("LSD_PEER ".length()));
              }
            });
    String first = peer.script.firstLine();
    if (!first.startsWith("PORT ")) {
      peer.close();
      throw new IOException("libtorrent did not start: " + first);
    }
    peer.port = Integer.parseInt(first.substring("PORT ".length()).trim());
    return peer;
  }

  /** Returns its listening port. */
  int port() {
    return port;
  }

  /** Returns the peers LSD told it of, each "ADDRESS PORT". */
  List<String> lsdPeers() {
    return lsdPeers;
  }

  /** Dials {@code address}:{@code port}. */
  void connect(InetAddress address, int port) throws IOException {
    script.send("connect " + address.getHostAddress() + " " + port);
  }

  /** Waits until a leech has every piece; on a timeout fails with the end of its log. */
  void awaitFinished(long seconds) throws Exception {
    try {
      finished.get(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      String alerts = Files.exists(log) ? Files.readString(log) : "";
      throw new AssertionError(
          "libtorrent did not finish; the end of its log:\n"
              + alerts.substring(Math.max(0, alerts.length() - 4000)),
          e);
    }
  }

  @Override
  public void close() {
    if (script != null) {
      script.close();
    }
  }
}
