package dev.bitwright.session.internal.data;

import dev.bitwright.metainfo.MagnetLink;
import dev.bitwright.session.AddTorrent;
import dev.bitwright.storage.FilePriority;
import dev.bitwright.storage.PieceMap;
import dev.bitwright.storage.PieceStore;
import java.io.IOException;
import java.util.BitSet;
import java.util.List;

/**
 * A torrent's file priorities: those asked for when it was added, what they make of the pieces'
 * priorities, and the bytes of wanted files ({@link PieceBytes}). Loop thread only.
 */
final class FilePriorities {
  private final PieceMap map;
  private final FilePriority[] priorities;
  private final PieceBytes pieceBytes;

  /**
   * The initial priorities of the {@code fileCount} files of {@code request}; {@code store} is told
   * of those that are not normal.
   */
  FilePriorities(AddTorrent request, int fileCount, PieceStore store) throws IOException {
    this.map = store.map();
    this.priorities = initial(request, fileCount);
    this.pieceBytes = new PieceBytes(map, priorities);
    for (int f = 0; f < priorities.length; f++) {
      if (priorities[f] != FilePriority.NORMAL) {
        store.setPriority(f, priorities[f]);
      }
    }
  }

  /**
   * The priorities asked for when the torrent was added; without any, a magnet's BEP 53 {@code so}
   * selection (files outside it skipped); files beyond both are normal.
   */
  private static FilePriority[] initial(AddTorrent request, int fileCount) {
    FilePriority[] result = new FilePriority[fileCount];
    List<FilePriority> asked = request.priorities();
    List<MagnetLink.FileRange> selected =
        asked.isEmpty()
            ? request.magnet().map(MagnetLink::selectOnly).orElse(List.of())
            : List.of();
    for (int f = 0; f < fileCount; f++) {
      final int file = f;
      if (f < asked.size()) {
        result[f] = asked.get(f);
      } else if (!selected.isEmpty() && selected.stream().noneMatch(r -> r.contains(file))) {
        result[f] = FilePriority.SKIP;
      } else {
        result[f] = FilePriority.NORMAL;
      }
    }
    return result;
  }

  /** Sets the priority of {@code file}. */
  void set(int file, FilePriority priority) {
    priorities[file] = priority;
    pieceBytes.prioritiesChanged(priorities);
  }

  /** Sets the piece priorities of {@code picker}: a piece takes its most wanted file's. */
  void applyTo(PiecePicker picker) {
    int[] levels = new int[map.pieceCount()];
    for (int f = 0; f < priorities.length; f++) {
      if (map.isPadding(f) || map.fileLength(f) == 0) {
        continue;
      }
      int level = priorities[f].ordinal();
      for (int p = map.firstPiece(f); p <= map.lastPiece(f); p++) {
        levels[p] = Math.max(levels[p], level);
      }
    }
    for (int p = 0; p < levels.length; p++) {
      picker.setPriority(p, levels[p]);
    }
  }

  /** Returns the bytes of wanted files. */
  long bytesWanted() {
    return pieceBytes.wanted();
  }

  /** Returns the bytes of wanted files in the pieces of {@code have}. */
  long bytesWantedIn(BitSet have) {
    return pieceBytes.wantedIn(have);
  }

  /** Returns the bytes of every file in the pieces missing from {@code have}. */
  long bytesMissingFrom(BitSet have) {
    return pieceBytes.missingFrom(have);
  }
}
