package dev.bitwright.storage;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;

import dev.bitwright.metainfo.FileEntry;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentVersion;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The mapping between a torrent's pieces and its files.
 *
 * <p>Pieces index one byte stream: the files in torrent order. In v1 and hybrid torrents a piece
 * may span several files, including BEP 47 padding files, whose bytes are zeros and never stored.
 * In v2-only torrents every file starts on a piece boundary and pieces never span files: the last
 * piece of each file is short, and the gap up to the next boundary belongs to no piece. Empty files
 * occupy no bytes. Every byte of every piece maps to exactly one (file, offset), and back ({@link
 * #locate(int, long)}).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class PieceMap {
  private final int pieceLength;
  private final int pieceCount;
  private final boolean perFilePieces;
  private final long[] start;
  private final long[] length;
  private final boolean[] padding;
  private final long streamEnd;

  private PieceMap(int pieceLength, int pieceCount, boolean perFilePieces, List<FileEntry> files) {
    this.pieceLength = pieceLength;
    this.pieceCount = pieceCount;
    this.perFilePieces = perFilePieces;
    int n = files.size();
    this.start = new long[n];
    this.length = new long[n];
    this.padding = new boolean[n];
    long end = 0;
    for (int i = 0; i < n; i++) {
      FileEntry f = files.get(i);
      start[i] = f.offset();
      length[i] = f.length();
      padding[i] = f.isPadding();
      end = Math.max(end, f.offset() + f.length());
    }
    this.streamEnd = end;
  }

  /**
   * {@return the map of {@code torrent}}
   *
   * @param torrent the torrent whose pieces and files are mapped
   */
  public static PieceMap of(Torrent torrent) {
    return new PieceMap(
        torrent.pieceLength(),
        torrent.pieceCount(),
        torrent.version() == TorrentVersion.V2,
        torrent.files());
  }

  /** {@return the nominal piece length} */
  public int pieceLength() {
    return pieceLength;
  }

  /** {@return the number of pieces} */
  public int pieceCount() {
    return pieceCount;
  }

  /** {@return a new set holding every piece index} */
  public BitSet allPieces() {
    BitSet all = new BitSet(pieceCount);
    all.set(0, pieceCount);
    return all;
  }

  /** {@return the number of files, padding files included} */
  public int fileCount() {
    return start.length;
  }

  /**
   * {@return the length of file {@code file}}
   *
   * @param file the file's index in {@code Torrent.files()}
   */
  public long fileLength(int file) {
    return length[checkElementIndex(file, start.length, "file")];
  }

  /**
   * {@return whether file {@code file} is a padding file}
   *
   * @param file the file's index in {@code Torrent.files()}
   */
  public boolean isPadding(int file) {
    return padding[checkElementIndex(file, start.length, "file")];
  }

  /**
   * {@return the size of piece {@code piece}: the piece length, except for the last piece of the
   * torrent and, in v2-only torrents, the last piece of each file}
   *
   * @param piece the piece index
   */
  public int pieceSize(int piece) {
    checkElementIndex(piece, pieceCount, "piece");
    long from = (long) piece * pieceLength;
    long end = perFilePieces ? fileEndAt(from) : streamEnd;
    return (int) Math.min(pieceLength, end - from);
  }

  private long fileEndAt(long offset) {
    int f = fileAt(offset);
    return start[f] + length[f];
  }

  /**
   * {@return whether (piece, offset, length) lies inside a piece, with {@code length > 0}}
   *
   * @param piece the piece index
   * @param offset the offset in the piece
   * @param length the number of bytes
   */
  public boolean contains(int piece, int offset, int length) {
    return piece >= 0
        && piece < pieceCount
        && offset >= 0
        && length > 0
        && (long) offset + length <= pieceSize(piece);
  }

  /**
   * {@return the file slices that hold {@code length} bytes of piece {@code piece} from {@code
   * offset}, in order; padding slices are included and marked}
   *
   * @param piece the piece index
   * @param offset the offset in the piece of the first byte
   * @param length the number of bytes
   * @throws IllegalArgumentException if the range is not inside the piece
   */
  public List<FileSlice> slices(int piece, int offset, int length) {
    checkArgument(
        contains(piece, offset, length), "not inside a piece: %s+%s:%s", piece, offset, length);
    long from = (long) piece * pieceLength + offset;
    long to = from + length;
    List<FileSlice> slices = new ArrayList<>(2);
    for (int f = fileAt(from); f < start.length && start[f] < to; f++) {
      long begin = Math.max(from, start[f]);
      long end = Math.min(to, start[f] + this.length[f]);
      if (end > begin) {
        slices.add(new FileSlice(f, begin - start[f], (int) (end - begin), padding[f]));
      }
    }
    return slices;
  }

  /**
   * {@return the piece and offset in it of byte {@code offset} of file {@code file}}
   *
   * @param file the file's index in {@code Torrent.files()}
   * @param offset the offset of the byte in the file
   * @throws IllegalArgumentException if the byte is not in the file
   */
  public PiecePosition locate(int file, long offset) {
    checkElementIndex(file, start.length, "file");
    checkArgument(offset >= 0 && offset < length[file], "offset %s outside the file", offset);
    long stream = start[file] + offset;
    return new PiecePosition((int) (stream / pieceLength), (int) (stream % pieceLength));
  }

  /**
   * {@return the first piece holding bytes of {@code file}, or -1 for an empty file}
   *
   * @param file the file's index in {@code Torrent.files()}
   */
  public int firstPiece(int file) {
    return length[checkElementIndex(file, start.length, "file")] == 0
        ? -1
        : (int) (start[file] / pieceLength);
  }

  /**
   * {@return the last piece holding bytes of {@code file}, or -1 for an empty file}
   *
   * @param file the file's index in {@code Torrent.files()}
   */
  public int lastPiece(int file) {
    return length[checkElementIndex(file, start.length, "file")] == 0
        ? -1
        : (int) ((start[file] + length[file] - 1) / pieceLength);
  }

  /**
   * Returns the last file starting at or before stream byte {@code offset}: the file holding it (an
   * empty file shares its start with the next file, which comes after it, so it is never chosen
   * over a file holding the byte).
   */
  private int fileAt(long offset) {
    int low = 0;
    int high = start.length - 1;
    while (low < high) {
      int mid = (low + high + 1) >>> 1;
      if (start[mid] <= offset) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return low;
  }

  /**
   * A position inside a piece.
   *
   * @param piece the piece index
   * @param offset the offset in the piece
   */
  public record PiecePosition(int piece, int offset) {}
}
