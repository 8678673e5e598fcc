package dev.bitwright.session.internal.data;

import dev.bitwright.storage.FilePriority;
import dev.bitwright.storage.PieceMap;
import java.util.Arrays;
import java.util.BitSet;

/**
 * How many bytes of file data each piece holds, in all and of wanted files, worked out once (and
 * again when priorities change), so that the status and the announces, asked every second, cost a
 * pass over the pieces and no allocation, whatever the number of files. Loop thread only.
 */
final class PieceBytes {
  private final PieceMap map;
  private final int[] data;
  private final int[] wanted;
  private long wantedTotal;

  PieceBytes(PieceMap map, FilePriority[] priorities) {
    this.map = map;
    this.data = new int[map.pieceCount()];
    this.wanted = new int[map.pieceCount()];
    add(data, null);
    prioritiesChanged(priorities);
  }

  /** Works the wanted bytes out again. */
  void prioritiesChanged(FilePriority[] priorities) {
    Arrays.fill(wanted, 0);
    wantedTotal = add(wanted, priorities);
  }

  /** Adds the bytes of each (wanted, if {@code priorities} is given) file to its pieces. */
  private long add(int[] perPiece, FilePriority[] priorities) {
    long total = 0;
    for (int f = 0; f < map.fileCount(); f++) {
      long left = map.fileLength(f);
      if (map.isPadding(f) || left == 0 || (priorities != null && !priorities[f].isWanted())) {
        continue;
      }
      total += left;
      PieceMap.PiecePosition at = map.locate(f, 0);
      int piece = at.piece();
      long offset = at.offset();
      while (left > 0) {
        long take = Math.min(left, map.pieceLength() - offset);
        perPiece[piece++] += (int) take;
        left -= take;
        offset = 0;
      }
    }
    return total;
  }

  /** Returns the bytes of wanted files. */
  long wanted() {
    return wantedTotal;
  }

  /** Returns the bytes of wanted files in the pieces of {@code have}. */
  long wantedIn(BitSet have) {
    long sum = 0;
    for (int p = have.nextSetBit(0); p >= 0; p = have.nextSetBit(p + 1)) {
      sum += wanted[p];
    }
    return sum;
  }

  /** Returns the bytes of every file in the pieces missing from {@code have}. */
  long missingFrom(BitSet have) {
    long sum = 0;
    for (int p = have.nextClearBit(0); p < data.length; p = have.nextClearBit(p + 1)) {
      sum += data[p];
    }
    return sum;
  }
}
