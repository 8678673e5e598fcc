package dev.bitwright.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where one torrent's bytes live: the service-provider interface a back end implements (a folder on
 * disk, memory, an archive, a database...). {@link PieceStore} does the mapping from pieces, the
 * checks and the hashing; a back end only stores bytes of files named by index.
 *
 * <p>File indices are those of {@code Torrent.files()}. One more index, {@code
 * Torrent.files().size()}, names the torrent's <em>part file</em>: it keeps the bytes that belong
 * to skipped files but share a piece with wanted ones, at their offset in the torrent's byte
 * stream. Padding files are never read or written.
 *
 * <p>Implementations must be safe for concurrent calls on different ranges, from several threads.
 * Bytes never written read as zeros or are missing (a read returns fewer bytes), as the back end
 * prefers; either way they fail verification unless they are the right bytes.
 */
public interface Storage extends Closeable {

  /**
   * Reads bytes of file {@code file} from {@code position} into {@code target}, up to its remaining
   * space, and advances its position.
   *
   * @param file the file's index in {@code Torrent.files()}, or the part file's
   * @param position the offset in the file of the first byte to read
   * @param target the buffer to fill, in write mode
   * @return the number of bytes read; fewer than requested (possibly 0) only where the stored file
   *     ends or does not exist
   * @throws StorageException if the back end fails
   */
  int read(int file, long position, ByteBuffer target) throws IOException;

  /**
   * Writes all remaining bytes of {@code source} to file {@code file} at {@code position}, creating
   * the file (and folders) if needed, and advances the buffer's position.
   *
   * @param file the file's index in {@code Torrent.files()}, or the part file's
   * @param position the offset in the file of the first byte to write
   * @param source the bytes to write, in read mode
   * @throws StorageException if the back end fails
   */
  void write(int file, long position, ByteBuffer source) throws IOException;

  /**
   * Writes {@code count} bytes of file {@code file} from {@code position} to {@code target}, for
   * uploads. The default reads through a heap buffer; back ends on files override it with {@code
   * FileChannel.transferTo}, which copies without passing the bytes through the Java heap.
   *
   * @param file the file's index in {@code Torrent.files()}, or the part file's
   * @param position the offset in the file of the first byte to send
   * @param count the most bytes to send
   * @param target the channel to write to, such as a peer's socket
   * @return the number of bytes transferred; fewer only where the stored file ends or the target
   *     accepts no more without blocking
   * @throws IOException if reading or writing fails
   */
  default long transferTo(int file, long position, long count, WritableByteChannel target)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(count, 64 * 1024));
    long done = 0;
    while (done < count) {
      buffer.clear().limit((int) Math.min(buffer.capacity(), count - done));
      int n = read(file, position + done, buffer);
      if (n <= 0) {
        break;
      }
      buffer.flip();
      int written = target.write(buffer);
      done += written;
      if (written < n) {
        break;
      }
    }
    return done;
  }

  /**
   * {@return the size and modification time of file {@code file}, or empty if it does not exist}
   *
   * @param file the file's index in {@code Torrent.files()}, or the part file's
   * @throws StorageException if the back end fails
   */
  Optional<FileState> state(int file) throws IOException;

  /**
   * {@return the states of files {@code 0} to {@code count - 1}, as {@link #state} would, in one
   * go: a back end may make this much cheaper than a call per file (a torrent may have 100,000)}
   *
   * @param count the number of files to describe, from index 0
   * @throws StorageException if the back end fails
   */
  default List<Optional<FileState>> states(int count) throws IOException {
    List<Optional<FileState>> result = new ArrayList<>(count);
    for (int f = 0; f < count; f++) {
      result.add(state(f));
    }
    return result;
  }

  /**
   * Forces every write made so far to stable storage: after this returns, a crash loses none of
   * those bytes.
   *
   * @throws StorageException if the back end fails
   */
  void flush() throws IOException;

  /**
   * Deletes every stored file of the torrent (and the part file), and the folders this storage
   * created that are then empty. Every file is tried even when one cannot be deleted.
   *
   * @throws StorageException if a file could not be deleted (the first failure, with the others
   *     suppressed)
   */
  void delete() throws IOException;

  /** Releases every resource (open files); pending writes are not forced to disk. */
  @Override
  void close() throws IOException;
}
