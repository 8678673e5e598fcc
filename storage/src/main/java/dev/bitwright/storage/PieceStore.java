package dev.bitwright.storage;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.bitwright.metainfo.FileEntry;
import dev.bitwright.metainfo.Torrent;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One torrent's data on a {@link Storage}: checked block reads and writes by piece, zero-copy
 * uploads, piece verification and file priorities. This is what a session drives, on its disk
 * executor.
 *
 * <p>Padding files are never stored: writes to them are dropped and reads give zeros. Bytes of a
 * {@linkplain FilePriority#SKIP skipped} file that was never created go to the storage's part file
 * when they arrive with a piece shared with a wanted file (the only pieces of a skipped file that
 * are downloaded); when the file is wanted again, they are moved into it. Pieces that hold no
 * wanted file's bytes are not stored at all. Bytes never written read as zeros.
 *
 * <p>Thread-safe: blocks and pieces may be read, written and verified from several threads.
 */
public final class PieceStore implements Closeable {
  private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 * 1024).asReadOnlyBuffer();

  private final Torrent torrent;
  private final PieceMap map;
  private final Storage storage;
  private final int partFile;
  private final FilePriority[] priorities;
  private final boolean[] inPartFile;
  private final PieceVerifier verifier;
  // The pieces holding bytes of a wanted file, worked out again after a priority changes (a
  // check per block written went through every file of its piece).
  private volatile @Nullable BitSet wantedPieces;

  /**
   * Creates the store of {@code torrent} on {@code storage}, every file at normal priority.
   *
   * @param torrent the torrent whose pieces are stored
   * @param storage the back end that holds the torrent's files
   * @throws IOException if the storage cannot tell which files exist
   */
  public PieceStore(Torrent torrent, Storage storage) throws IOException {
    this.torrent = checkNotNull(torrent);
    this.storage = checkNotNull(storage);
    this.map = PieceMap.of(torrent);
    this.partFile = torrent.files().size();
    this.priorities = new FilePriority[partFile];
    this.inPartFile = new boolean[partFile];
    Arrays.fill(priorities, FilePriority.NORMAL);
    this.verifier = new PieceVerifier(this);
  }

  /** {@return the torrent} */
  public Torrent torrent() {
    return torrent;
  }

  /** {@return the piece map} */
  public PieceMap map() {
    return map;
  }

  /** {@return the storage back end} */
  public Storage storage() {
    return storage;
  }

  /**
   * {@return whether (piece, offset, length) is a valid block: inside one piece, not empty}
   *
   * @param piece the piece index
   * @param offset the offset of the block in the piece
   * @param length the block's length in bytes
   */
  public boolean isValidBlock(int piece, int offset, int length) {
    return map.contains(piece, offset, length);
  }

  /**
   * Writes the remaining bytes of {@code data} as the block at {@code offset} of piece {@code
   * piece}. A block outside the piece is rejected before anything is written.
   *
   * @param piece the piece index
   * @param offset the offset of the block in the piece
   * @param data the block's bytes, in read mode; its position advances to its limit
   * @throws IllegalArgumentException if the block is not inside the piece
   * @throws StorageException if the storage fails
   */
  public void writeBlock(int piece, int offset, ByteBuffer data) throws IOException {
    checkArgument(
        map.contains(piece, offset, data.remaining()),
        "block %s+%s:%s is not inside a piece",
        piece,
        offset,
        data.remaining());
    int from = data.position();
    boolean touchesWanted = touchesWantedFile(piece);
    for (FileSlice slice : map.slices(piece, offset, data.remaining())) {
      ByteBuffer part = data.slice(from, slice.length());
      from += slice.length();
      if (slice.padding()) {
        continue;
      }
      if (redirected(slice.file())) {
        if (touchesWanted) {
          storage.write(partFile, streamOffset(slice), part);
        }
      } else {
        storage.write(slice.file(), slice.offset(), part);
      }
    }
    data.position(from);
  }

  /**
   * Fills the remaining space of {@code target} with the bytes of piece {@code piece} from {@code
   * offset}; padding and bytes never written read as zeros.
   *
   * @param piece the piece index
   * @param offset the offset in the piece of the first byte to read
   * @param target the buffer to fill, in write mode
   * @throws IllegalArgumentException if the range is not inside the piece
   * @throws StorageException if the storage fails
   */
  public void readBlock(int piece, int offset, ByteBuffer target) throws IOException {
    for (FileSlice slice : map.slices(piece, offset, target.remaining())) {
      int end = target.position() + slice.length();
      int limit = target.limit();
      target.limit(end);
      if (!slice.padding()) {
        if (redirected(slice.file())) {
          storage.read(partFile, streamOffset(slice), target);
        } else {
          storage.read(slice.file(), slice.offset(), target);
        }
      }
      while (target.hasRemaining()) {
        target.put(ZEROS.duplicate().limit(Math.min(ZEROS.capacity(), target.remaining())));
      }
      target.limit(limit);
    }
  }

  /**
   * Fills the remaining space of {@code target} with the bytes of piece {@code piece} from {@code
   * offset}, as far as they are stored: unlike {@link #readBlock}, bytes missing from the files are
   * not made zeros, so that an upload never sends them as the piece (padding is zeros).
   *
   * @param piece the piece index
   * @param offset the offset in the piece of the first byte to read
   * @param target the buffer to fill, in write mode
   * @return the bytes filled; fewer than asked when the files end before the range does (the rest
   *     of {@code target} is then undefined)
   * @throws IllegalArgumentException if the range is not inside the piece
   * @throws StorageException if the storage fails
   */
  public int readStoredBlock(int piece, int offset, ByteBuffer target) throws IOException {
    int done = 0;
    for (FileSlice slice : map.slices(piece, offset, target.remaining())) {
      int limit = target.limit();
      target.limit(target.position() + slice.length());
      int n;
      if (slice.padding()) {
        n = slice.length();
        while (target.hasRemaining()) {
          target.put(ZEROS.duplicate().limit(Math.min(ZEROS.capacity(), target.remaining())));
        }
      } else {
        n = 0;
        while (target.hasRemaining()) {
          int read =
              redirected(slice.file())
                  ? storage.read(partFile, streamOffset(slice) + n, target)
                  : storage.read(slice.file(), slice.offset() + n, target);
          if (read <= 0) {
            break;
          }
          n += read;
        }
      }
      target.limit(limit);
      done += n;
      if (n < slice.length()) {
        break;
      }
    }
    return done;
  }

  /**
   * Writes {@code length} bytes of piece {@code piece} from {@code offset} to {@code target}, for
   * an upload: file bytes go by {@link Storage#transferTo} (zero-copy on files), padding as zeros.
   *
   * @param piece the piece index
   * @param offset the offset in the piece of the first byte to send
   * @param length the number of bytes to send
   * @param target the channel to write to, such as a peer's socket
   * @return the bytes transferred; fewer than {@code length} when a non-blocking target is full or
   *     the data is not stored (continue later from {@code offset} plus the result)
   * @throws IllegalArgumentException if the range is not inside the piece
   * @throws IOException if reading or writing fails
   */
  public long transferBlock(int piece, int offset, int length, WritableByteChannel target)
      throws IOException {
    long done = 0;
    for (FileSlice slice : map.slices(piece, offset, length)) {
      long n;
      if (slice.padding()) {
        n = writeZeros(slice.length(), target);
      } else if (redirected(slice.file())) {
        n = storage.transferTo(partFile, streamOffset(slice), slice.length(), target);
      } else {
        n = storage.transferTo(slice.file(), slice.offset(), slice.length(), target);
      }
      done += n;
      if (n < slice.length()) {
        break;
      }
    }
    return done;
  }

  /** Writes up to {@code length} zeros; stops early only if the target takes nothing. */
  private static long writeZeros(int length, WritableByteChannel target) throws IOException {
    long done = 0;
    while (done < length) {
      int n =
          target.write(ZEROS.duplicate().limit((int) Math.min(ZEROS.capacity(), length - done)));
      if (n <= 0) {
        break;
      }
      done += n;
    }
    return done;
  }

  /**
   * Reads piece {@code piece} and checks it against the torrent: its SHA-1 (v1), its merkle hash
   * (v2), or both (hybrid). A piece whose files do not hold all its bytes (missing or short) does
   * not pass, even where the missing bytes would hash right as zeros.
   *
   * @param piece the piece index
   * @return whether the piece's stored bytes hash to the torrent's hashes
   * @throws IllegalStateException if the torrent is v2-only and its piece layers are not known
   * @throws StorageException if the storage fails
   */
  public boolean verifyPiece(int piece) throws IOException {
    checkElementIndex(piece, map.pieceCount(), "piece");
    return verifier.verify(piece);
  }

  /**
   * Checks piece {@code piece}, held whole in {@code data} (its remaining bytes), against the
   * torrent like {@link #verifyPiece}, and writes it only if it passes: wrong bytes never reach the
   * storage, and right ones are not read back to be hashed. Bytes of {@code data} under padding
   * files are set to zero first, as {@link #readBlock} would give them. The position of {@code
   * data} is left unchanged.
   *
   * @param piece the piece index
   * @param data the whole piece, in read mode
   * @return whether the piece passed (and was written)
   * @throws IllegalArgumentException if {@code data} does not hold exactly the piece's length
   * @throws IllegalStateException if the torrent is v2-only and its piece layers are not known
   * @throws StorageException if the storage fails
   */
  public boolean writeVerifiedPiece(int piece, ByteBuffer data) throws IOException {
    checkElementIndex(piece, map.pieceCount(), "piece");
    int size = map.pieceSize(piece);
    checkArgument(
        data.remaining() == size,
        "piece %s is %s bytes long, not %s",
        piece,
        size,
        data.remaining());
    int at = data.position();
    for (FileSlice slice : map.slices(piece, 0, size)) {
      for (int done = 0; slice.padding() && done < slice.length(); ) {
        int n = Math.min(ZEROS.capacity(), slice.length() - done);
        data.put(at + done, ZEROS, 0, n);
        done += n;
      }
      at += slice.length();
    }
    if (!verifier.verify(piece, data)) {
      return false;
    }
    writeBlock(piece, 0, data.duplicate());
    return true;
  }

  /**
   * {@return the pieces of {@code pieces} whose bytes may all be stored: every file they touch
   * exists and is long enough, or keeps its bytes in the part file} Only those can pass {@link
   * #verifyPiece}, so a check need not read the others: a new download starts without hashing.
   *
   * @param pieces the piece indices to consider
   * @throws StorageException if the back end cannot tell the files' sizes
   */
  public BitSet piecesWithStoredBytes(BitSet pieces) throws IOException {
    BitSet touched = new BitSet(map.fileCount());
    pieces.stream()
        .forEach(p -> map.slices(p, 0, map.pieceSize(p)).forEach(s -> touched.set(s.file())));
    // All the files in one scan (cheaper per file), a few one by one.
    List<Optional<FileState>> all =
        touched.cardinality() > 64 ? storage.states(map.fileCount()) : null;
    long[] stored = new long[map.fileCount()];
    for (int f = touched.nextSetBit(0); f >= 0; f = touched.nextSetBit(f + 1)) {
      if (map.isPadding(f) || redirected(f)) {
        stored[f] = Long.MAX_VALUE;
      } else {
        Optional<FileState> state = all != null ? all.get(f) : storage.state(f);
        stored[f] = state.map(FileState::size).orElse(-1L);
      }
    }
    BitSet result = new BitSet();
    pieces.stream()
        .filter(
            piece ->
                map.slices(piece, 0, map.pieceSize(piece)).stream()
                    .allMatch(s -> s.padding() || s.offset() + s.length() <= stored[s.file()]))
        .forEach(result::set);
    return result;
  }

  /**
   * {@return the priority of file {@code file}}
   *
   * @param file the file's index in {@code Torrent.files()}
   */
  public synchronized FilePriority priority(int file) {
    return priorities[checkElementIndex(file, priorities.length, "file")];
  }

  /**
   * Sets the priority of file {@code file}. A skipped file that was never created keeps its bytes
   * in the part file; when it becomes wanted they are moved into the file.
   *
   * @param file the file's index in {@code Torrent.files()}
   * @param priority the new priority
   * @throws StorageException if moving bytes out of the part file fails
   */
  public void setPriority(int file, FilePriority priority) throws IOException {
    checkNotNull(priority);
    boolean move;
    synchronized (this) {
      checkElementIndex(file, priorities.length, "file");
      move = inPartFile[file] && priority.isWanted();
      priorities[file] = priority;
      wantedPieces = null;
      if (!priority.isWanted() && storage.state(file).isEmpty()) {
        inPartFile[file] = true;
      }
    }
    if (move) {
      moveOutOfPartFile(file);
    }
  }

  /** Returns whether a piece holds bytes of a wanted file (the only pieces worth storing). */
  private boolean touchesWantedFile(int piece) {
    BitSet wanted = wantedPieces;
    if (wanted == null) {
      wanted = new BitSet(map.pieceCount());
      synchronized (this) {
        for (int f = 0; f < priorities.length; f++) {
          if (!map.isPadding(f) && map.fileLength(f) > 0 && priorities[f].isWanted()) {
            wanted.set(map.firstPiece(f), map.lastPiece(f) + 1);
          }
        }
        wantedPieces = wanted; // under the lock: a priority set meanwhile clears it after
      }
    }
    return wanted.get(piece);
  }

  private synchronized boolean redirected(int file) {
    return inPartFile[file];
  }

  /** Only the first and last pieces of a skipped file are shared with wanted files. */
  private void moveOutOfPartFile(int file) throws IOException {
    List<FileSlice> slices = new ArrayList<>();
    int first = map.firstPiece(file);
    int last = map.lastPiece(file);
    for (int piece : first == last ? new int[] {first} : new int[] {first, last}) {
      if (piece < 0) {
        continue;
      }
      for (FileSlice s : map.slices(piece, 0, map.pieceSize(piece))) {
        if (s.file() == file) {
          slices.add(s);
        }
      }
    }
    for (FileSlice s : slices) {
      ByteBuffer buffer = ByteBuffer.allocate(s.length());
      int n = storage.read(partFile, streamOffset(s), buffer);
      if (n > 0) {
        buffer.flip();
        storage.write(file, s.offset(), buffer);
      }
    }
    synchronized (this) {
      inPartFile[file] = false;
    }
  }

  private long streamOffset(FileSlice slice) {
    FileEntry f = torrent.files().get(slice.file());
    return f.offset() + slice.offset();
  }

  /**
   * Creates the wanted files of length zero, which no piece ever writes. Call it when the download
   * completes (or at any time: it is idempotent).
   *
   * @throws StorageException if the storage fails
   */
  public void createEmptyFiles() throws IOException {
    for (int f = 0; f < partFile; f++) {
      if (map.fileLength(f) == 0 && !map.isPadding(f) && priority(f).isWanted()) {
        storage.write(f, 0, ByteBuffer.allocate(0));
      }
    }
  }

  /**
   * Forces every write so far to stable storage.
   *
   * @throws StorageException if the storage fails
   */
  public void flush() throws IOException {
    storage.flush();
  }

  /**
   * Records {@code verified} as resume data: first forces all writes to disk, then notes each
   * file's size and modification time. Every piece in the result is therefore on disk.
   *
   * @param verified the pieces known to be valid
   * @return the record of the verified pieces and the files' state
   * @throws StorageException if the storage fails
   */
  public ResumeData resumeData(BitSet verified) throws IOException {
    BitSet pieces = (BitSet) verified.clone();
    flush();
    List<Optional<FileState>> states = new ArrayList<>(storage.states(partFile + 1));
    for (int f = 0; f < partFile; f++) {
      if (map.isPadding(f)) {
        states.set(f, Optional.empty());
      }
    }
    return new ResumeData(torrent.infoHashes().best(), map.pieceCount(), pieces, states);
  }

  /**
   * Saves {@link #resumeData(BitSet)} to {@code file} atomically (see {@link ResumeData#write}).
   *
   * @param file where to save the resume data
   * @param verified the pieces known to be valid
   * @throws StorageException if the storage or the write fails
   */
  public void saveResumeData(Path file, BitSet verified) throws IOException {
    resumeData(verified).write(file);
  }

  /** Closes the storage. */
  @Override
  public void close() throws IOException {
    storage.close();
  }
}
