package dev.bitwright.session.internal.peer;

import dev.bitwright.session.internal.telemetry.TorrentLog;
import dev.bitwright.wire.PeerMessage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * A torrent's wire trace: one line per message in and out of each of its connections, and per
 * connection event, appended to a file. Lines are made on the loop and written by the disk
 * executor, so a slow disk never holds the loop; at most {@link #MAX_QUEUED} lines wait, and what
 * comes beyond is dropped and counted in a line of its own.
 *
 * <p>Line format (UTF-8, one event per line, fields separated by one space):
 *
 * <pre>
 * TIME PEER DIRECTION EVENT [KEY=VALUE]...
 * 2026-12-03T21:50:01.123456Z 127.0.0.1:6881 out request piece=3 offset=16384 length=16384
 * </pre>
 *
 * TIME is the session clock's instant (ISO-8601, UTC); PEER the peer's address; DIRECTION {@code
 * in} (from the peer), {@code out} (to it) or {@code --} (an event of the connection); EVENT a
 * message name ({@link WireTraceFormat}) or {@code connected}, {@code handshake}, {@code closed}.
 *
 * <p>Every torrent has a trace, with a file or without: when the logger {@value #LOGGER} is enabled
 * for TRACE, the same lines (without TIME, which the log has) go to it too, tagged with the
 * torrent's info-hash ({@link TorrentLog}).
 */
public final class WireTrace {
  /** The most lines waiting to be written. */
  public static final int MAX_QUEUED = 100_000;

  /** The name of the logger that gets every line at TRACE. */
  public static final String LOGGER = "dev.bitwright.session.wire";

  private static final Logger log = LoggerFactory.getLogger(WireTrace.class);
  private static final Logger wire = LoggerFactory.getLogger(LOGGER);

  private final Path file;
  private final Executor disk;
  private final Clock clock;
  private final String logKey;
  private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicInteger dropped = new AtomicInteger();
  private final AtomicBoolean writing = new AtomicBoolean();
  private final Runnable write = this::write;
  private final WireTraceFormat format = new WireTraceFormat();
  // Touched by the disk executor only, one task at a time (the writing flag).
  private BufferedWriter writer;
  private volatile boolean closed;
  private boolean failed;

  private WireTrace(Path file, Executor disk, Clock clock, String logKey) {
    this.file = file;
    this.disk = disk;
    this.clock = clock;
    this.logKey = logKey;
  }

  /**
   * A trace of the torrent whose best info-hash is {@code logKey}, appending to {@code file}
   * (created if missing), written on {@code disk}.
   */
  public static WireTrace to(Path file, Executor disk, Clock clock, String logKey) {
    return new WireTrace(file, disk, clock, logKey);
  }

  /** A trace of the torrent whose best info-hash is {@code logKey} with no file: the log only. */
  public static WireTrace logOnly(String logKey) {
    return new WireTrace(null, null, null, logKey);
  }

  /** Returns whether lines are recorded, to the file or to the log: worth making them. */
  public boolean on() {
    return toFile() || wire.isTraceEnabled();
  }

  private boolean toFile() {
    return file != null && !closed;
  }

  /** Records a message from ({@code in}) or to {@code peer}. */
  public void message(InetSocketAddress peer, boolean in, PeerMessage message) {
    if (on()) {
      record(peer, in ? "in" : "out", format.describe(message));
    }
  }

  /** Records a block going out to {@code peer} (uploads bypass the message encoder). */
  public void upload(InetSocketAddress peer, int piece, int offset, int length) {
    if (on()) {
      record(peer, "out", "piece piece=" + piece + " offset=" + offset + " length=" + length);
    }
  }

  /** Records an event of the connection to {@code peer}: {@code text} is "EVENT [KEY=VALUE]...". */
  public void event(InetSocketAddress peer, String direction, String text) {
    if (on()) {
      record(peer, direction, text);
    }
  }

  private void record(InetSocketAddress peer, String direction, String text) {
    TorrentLog.at(wire, Level.TRACE, logKey).log(
        "{}:{} {} {}", peer.getAddress().getHostAddress(), peer.getPort(), direction, text);
    if (!toFile()) {
      return;
    }
    if (queued.incrementAndGet() > MAX_QUEUED) {
      queued.decrementAndGet();
      dropped.incrementAndGet();
    } else {
      lines.add(
          clock.instant()
              + " "
              + peer.getAddress().getHostAddress()
              + ":"
              + peer.getPort()
              + " "
              + direction
              + " "
              + text);
    }
    if (writing.compareAndSet(false, true)) {
      disk.execute(write);
    }
  }

  private void write() {
    try {
      if (writer == null && !failed) {
        writer =
            Files.newBufferedWriter(
                file,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
      }
      String line;
      while ((line = lines.poll()) != null) {
        queued.decrementAndGet();
        if (writer != null) {
          writer.write(line);
          writer.newLine();
        }
      }
      int lost = dropped.getAndSet(0);
      if (lost > 0 && writer != null) {
        writer.write(clock.instant() + " - -- dropped lines=" + lost);
        writer.newLine();
      }
      if (writer != null) {
        writer.flush();
      }
    } catch (IOException e) {
      if (!failed) {
        log.warn("cannot write the wire trace {}", file, e);
      }
      failed = true;
      lines.clear();
      queued.set(0);
    } finally {
      writing.set(false);
      if (!lines.isEmpty() && writing.compareAndSet(false, true)) {
        disk.execute(write);
      } else if (closed) {
        closeWriter();
      }
    }
  }

  /**
   * Stops recording; what was recorded is written, then the file is closed (on the disk executor).
   */
  public void close() {
    if (file == null || closed) {
      return;
    }
    closed = true;
    if (writing.compareAndSet(false, true)) {
      disk.execute(write);
    }
  }

  private void closeWriter() {
    if (writer != null) {
      try {
        writer.close();
      } catch (IOException e) {
        log.debug("closing the wire trace {}", file, e);
      }
      writer = null;
    }
  }
}
