package dev.bitwright.session.internal.torrent;

import dev.bitwright.session.internal.data.TorrentData;
import dev.bitwright.session.internal.peer.PeerConnection;
import dev.bitwright.storage.FilePriority;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the user sets on a torrent while it runs: sequential order, piece deadlines and file
 * priorities. Settings made before the data is checked wait here and apply once it is. Loop thread
 * only.
 */
public final class TorrentSettings {
  private final TorrentRuntime torrent;
  private boolean sequential;
  // Piece deadlines asked for while there is no checked data yet, by piece.
  private final Map<Integer, Long> pendingDeadlines = new HashMap<>();

  TorrentSettings(TorrentRuntime torrent, boolean sequential) {
    this.torrent = torrent;
    this.sequential = sequential;
  }

  /** Returns whether pieces are fetched in order. */
  boolean sequential() {
    return sequential;
  }

  /** Returns and forgets the deadlines set before the data was checked, by piece. */
  Map<Integer, Long> takePendingDeadlines() {
    Map<Integer, Long> taken = new HashMap<>(pendingDeadlines);
    pendingDeadlines.clear();
    return taken;
  }

  public void setSequential(boolean sequential) {
    this.sequential = sequential;
    TorrentData data = torrent.data();
    if (data != null && data.picker() != null) {
      data.picker().setSequential(sequential);
    }
  }

  public void setDeadline(int piece, Duration deadline) {
    long at = torrent.nanoTime() + deadline.toNanos();
    TorrentData data = torrent.data();
    if (torrent.dataKnown()) {
      if (piece < data.pieceCount()) {
        data.picker().setDeadline(piece, at);
      }
    } else {
      pendingDeadlines.put(piece, at); // applied when the check is done
    }
  }

  /** Forgets the deadline of {@code piece}, set before or after the check. */
  public void clearDeadline(int piece) {
    pendingDeadlines.remove(piece);
    if (torrent.dataKnown() && piece < torrent.data().pieceCount()) {
      torrent.data().picker().clearDeadline(piece);
    }
  }

  /** Applies a file priority. */
  public void setPriority(int file, FilePriority priority) {
    TorrentData data = torrent.data();
    if (data != null) {
      data.setPriority(file, priority);
      Availability availability = torrent.protocol().availability();
      for (PeerConnection p : List.copyOf(torrent.peers())) {
        availability.updateInterest(p);
      }
    }
  }
}
