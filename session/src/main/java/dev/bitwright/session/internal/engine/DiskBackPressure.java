package dev.bitwright.session.internal.engine;

import dev.bitwright.session.internal.peer.PeerConnection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Disk back-pressure across torrents: bytes handed to the disk executor but not written yet are
 * counted, and above {@value #HIGH_BYTES} bytes peers that deliver blocks stop being read until the
 * backlog drains to half. Loop thread only.
 */
final class DiskBackPressure {
  /** Bytes handed to the disk executor but not written yet, above which reading stops. */
  static final long HIGH_BYTES = 8L << 20;

  private static final long LOW_BYTES = HIGH_BYTES / 2;

  private long backlog;
  private boolean full;
  private final Set<PeerConnection> held = new LinkedHashSet<>();

  /** Counts bytes queued for writing. */
  void queued(int bytes) {
    backlog += bytes;
    if (backlog > HIGH_BYTES) {
      full = true;
    }
  }

  /** Returns the bytes queued and not written yet. */
  long backlog() {
    return backlog;
  }

  /** Counts bytes written; resumes reading once the backlog has drained to half. */
  void done(int bytes) {
    backlog -= bytes;
    if (full && backlog < LOW_BYTES) {
      full = false;
      for (PeerConnection p : held) {
        if (p.isOpen()) {
          p.setReading(true);
        }
      }
      held.clear();
    }
  }

  /** Stops reading from {@code peer} while the disk is behind; returns whether it did. */
  boolean holdIfBehind(PeerConnection peer) {
    if (!full || !peer.isOpen()) {
      return false;
    }
    peer.setReading(false);
    held.add(peer);
    return true;
  }

  /** Forgets a closed connection. */
  void closed(PeerConnection peer) {
    held.remove(peer);
  }
}
