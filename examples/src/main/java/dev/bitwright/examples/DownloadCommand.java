package dev.bitwright.examples;

import dev.bitwright.metainfo.MagnetLink;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.session.AddTorrent;
import dev.bitwright.session.TorrentHandle;
import dev.bitwright.session.TorrentSession;
import dev.bitwright.session.TorrentState;
import dev.bitwright.session.TorrentStatus;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code bitwright download} and {@code bitwright seed}. */
final class DownloadCommand {
  static final String DOWNLOAD_USAGE =
      "download <file.torrent|magnet> --dir DIR [--peer HOST:PORT]... [--port N] [--listen IP]"
          + " [--encryption disabled|enabled|forced] [--dht|--no-dht] [--dht-bootstrap HOST:PORT]... [--lsd|--no-lsd]"
          + " [--port-mapping|--no-port-mapping] [--port-mapping-gateway HOST:PORT]"
          + " [--utp|--no-utp] [--tcp|--no-tcp] [--trace FILE] [--jfr FILE] [--web-seed URL]... [--no-web-seeds] [--seed-after] [--timeout SECONDS]";
  static final String SEED_USAGE =
      "seed <file.torrent> --dir DIR [--peer HOST:PORT]... [--port N] [--listen IP]"
          + " [--encryption disabled|enabled|forced] [--dht|--no-dht] [--dht-bootstrap HOST:PORT]... [--lsd|--no-lsd]"
          + " [--port-mapping|--no-port-mapping] [--port-mapping-gateway HOST:PORT]"
          + " [--utp|--no-utp] [--tcp|--no-tcp] [--trace FILE] [--jfr FILE] [--seed-mode] [--timeout SECONDS]";

  private DownloadCommand() {}

  @SuppressWarnings("try") // the flight recording is only closed, at the end
  static void download(Arguments args, PrintStream out, Clock clock)
      throws UsageException, IOException, CommandException, InterruptedException {
    TransferOptions o = TransferOptions.parse(args, "download", true);
    AddTorrent.Builder add;
    String resumeName;
    if (o.target.regionMatches(true, 0, "magnet:", 0, 7)) {
      MagnetLink magnet = MagnetLink.parse(o.target);
      add = AddTorrent.magnet(magnet, o.dir);
      resumeName = magnet.infoHashes().best().hex();
    } else {
      Torrent torrent = Torrent.read(Path.of(o.target));
      add = AddTorrent.torrent(torrent, o.dir);
      resumeName = torrent.infoHashes().best().hex();
    }
    add.resumeFile(o.dir.resolve(".bitwright").resolve(resumeName + ".resume"));
    o.peers.forEach(add::peer);
    if (o.trace != null) {
      add.wireTrace(o.trace);
    }
    o.webSeeds.forEach(add::webSeed);
    add.linkedWebSeeds(o.linkedWebSeeds);
    Instant deadline = o.timeout == null ? Instant.MAX : clock.instant().plus(o.timeout);
    try (FlightRecording recording = FlightRecording.startIf(o.jfr);
        TorrentSession session = TorrentSession.start(o.config())) {
      TorrentHandle handle = session.add(add.build());
      out.println("listening on port " + session.listenAddress().getPort());
      StatusLine line = new StatusLine(out);
      MappedPorts mapped = new MappedPorts(o.portMapping);
      while (true) {
        TorrentStatus s = handle.status();
        mapped.report(session, line);
        line.show(s);
        if (s.state() == TorrentState.ERROR) {
          line.finish();
          throw new CommandException("download failed: " + s.error().orElse("unknown error"));
        }
        if (clock.instant().isAfter(deadline)) {
          line.finish();
          throw new CommandException(
              String.format(
                  Locale.ROOT,
                  "timed out after %d s at %.1f%%",
                  o.timeout.toSeconds(),
                  s.progress() * 100));
        }
        if (finishedWithin(handle, Duration.ofMillis(250))) {
          break;
        }
      }
      line.finish();
      TorrentStatus done = handle.status();
      out.println(
          "downloaded and verified: " + done.name() + " (" + Sizes.human(done.bytesWanted()) + ")");
      if (o.seedAfter) {
        seedUntil(session, handle, mapped, deadline, clock, out);
      }
    }
  }

  /**
   * Waits up to {@code wait} for the download to finish; returns at once when it does (a poll with
   * a sleep would add up to its period to every download).
   */
  private static boolean finishedWithin(TorrentHandle handle, Duration wait)
      throws InterruptedException, CommandException {
    try {
      handle.completion().get(wait.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new CommandException("download failed: " + e.getCause().getMessage());
    }
  }

  @SuppressWarnings("try") // the flight recording is only closed, at the end
  static void seed(Arguments args, PrintStream out, Clock clock)
      throws UsageException, IOException, CommandException, InterruptedException {
    TransferOptions o = TransferOptions.parse(args, "seed", false);
    Torrent torrent = Torrent.read(Path.of(o.target));
    AddTorrent.Builder add =
        AddTorrent.torrent(torrent, o.dir)
            .resumeFile(
                o.dir.resolve(".bitwright").resolve(torrent.infoHashes().best().hex() + ".resume"));
    o.peers.forEach(add::peer);
    if (o.trace != null) {
      add.wireTrace(o.trace);
    }
    o.webSeeds.forEach(add::webSeed);
    add.linkedWebSeeds(o.linkedWebSeeds);
    add.seedMode(o.seedMode);
    Instant deadline = o.timeout == null ? Instant.MAX : clock.instant().plus(o.timeout);
    try (FlightRecording recording = FlightRecording.startIf(o.jfr);
        TorrentSession session = TorrentSession.start(o.config())) {
      out.println("listening on port " + session.listenAddress().getPort());
      out.flush();
      TorrentHandle handle = session.add(add.build());
      while (handle.status().state() == TorrentState.CHECKING
          || handle.status().state() == TorrentState.PAUSED) {
        Thread.sleep(50);
      }
      TorrentStatus s = handle.status();
      if (s.state() != TorrentState.SEEDING) {
        throw new CommandException(
            "cannot seed: "
                + s.error()
                    .orElse(
                        "data incomplete in "
                            + o.dir
                            + ": "
                            + s.piecesDone()
                            + " of "
                            + s.pieceCount()
                            + " pieces verified"));
      }
      out.println("seeding " + s.name());
      out.flush();
      seedUntil(session, handle, new MappedPorts(o.portMapping), deadline, clock, out);
    }
  }

  /** Seeds until the deadline; fails when the torrent stops on an error (its files changed). */
  private static void seedUntil(
      TorrentSession session,
      TorrentHandle handle,
      MappedPorts mapped,
      Instant deadline,
      Clock clock,
      PrintStream out)
      throws InterruptedException, CommandException {
    StatusLine line = new StatusLine(out);
    while (!clock.instant().isAfter(deadline)) {
      TorrentStatus s = handle.status();
      mapped.report(session, line);
      line.show(s);
      if (s.state() == TorrentState.ERROR) {
        line.finish();
        throw new CommandException("seeding failed: " + s.error().orElse("unknown error"));
      }
      Thread.sleep(250);
    }
    line.finish();
  }
}
