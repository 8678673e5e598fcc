package dev.bitwright.storage;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.bitwright.metainfo.FileEntry;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.storage.internal.FileHandlePool;
import dev.bitwright.storage.internal.SafePaths;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Storage} in a download folder, on {@link FileChannel}s with positional reads and writes
 * (no file is ever buffered whole).
 *
 * <ul>
 *   <li>Files and folders are created when first written, so skipped files are never created. Files
 *       are sparse unless {@link Builder#preallocate(boolean) preallocation} is asked for.
 *   <li>At most {@link Builder#maxOpenFiles(int)} files are open at once (default {@value
 *       #DEFAULT_MAX_OPEN_FILES}); a torrent of 100,000 files cannot run out of descriptors.
 *   <li>Every path is resolved below the download folder, normalised and checked to stay inside it,
 *       and no part of it that exists on disk may be a symbolic link: files are opened without
 *       following links, and each folder is checked once, the first time a file in it is used (a
 *       folder replaced by a link later, by someone with access to the disk, is not noticed). On
 *       Windows, names it cannot store are mapped as {@code FileEntry.portablePath()} describes.
 *   <li>The part file is {@code .<info-hash>.parts} in the download folder.
 *   <li>{@link #transferTo} uses {@code FileChannel.transferTo}: uploads need no heap copy.
 *   <li>Once {@linkplain #close() closed}, it opens no file again: reads, writes and transfers fail
 *       with a {@link StorageException} (a late write cannot bring back a deleted file or leave a
 *       descriptor open); {@link #delete} still works.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class FileSystemStorage implements Storage {
  /** Default bound on open files. */
  public static final int DEFAULT_MAX_OPEN_FILES = 64;

  private static final int ZERO_CHUNK = 1 << 20;
  private static final int WRITE_LOCK_STRIPES = 64;

  private final Path root;
  private final List<Path> paths;
  private final long[] lengths;
  private final boolean preallocate;
  private final FileHandlePool pool;
  private final Set<Integer> dirty = ConcurrentHashMap.newKeySet();
  // Writes to one file take turns here, not in the kernel: a buffered write holds the file's inode
  // lock, and a second writer to the same file spins on it while the first copies (on tmpfs a
  // quarter of the disk threads' CPU went to that spinning); here it parks instead. Writes to
  // different files use different stripes but for collisions, so they still run side by side.
  private final ReentrantLock[] writeLocks = new ReentrantLock[WRITE_LOCK_STRIPES];
  // Folders below the root already proven to be real folders with no symbolic link on the way:
  // each is checked once, not once per file in it (a torrent of 100,000 files has few folders).
  // Files themselves are opened with O_NOFOLLOW. Forgotten when the files are deleted.
  private final Set<Path> safeFolders = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private FileSystemStorage(Builder builder) throws StorageException {
    this.root = builder.layout.folder().toAbsolutePath().normalize();
    Torrent torrent = builder.torrent;
    boolean windows = root.getFileSystem().getSeparator().equals("\\");
    List<Path> resolved = new ArrayList<>();
    Set<Path> distinct = new HashSet<>();
    List<FileEntry> files = torrent.files();
    this.lengths = new long[files.size() + 1];
    for (int i = 0; i < files.size(); i++) {
      FileEntry f = files.get(i);
      List<String> components = builder.layout.components(torrent, i);
      if (windows) {
        components = components.stream().map(FileEntry::portableComponent).toList();
      }
      Path path = SafePaths.resolve(root, components);
      if (!f.isPadding() && !distinct.add(path)) {
        throw new StorageException(
            "resolve",
            String.join("/", components),
            "two files of the torrent would share it",
            null);
      }
      resolved.add(path);
      lengths[i] = f.length();
    }
    resolved.add(
        SafePaths.resolve(root, List.of("." + torrent.infoHashes().best().hex() + ".parts")));
    lengths[files.size()] = -1;
    this.paths = List.copyOf(resolved);
    this.preallocate = builder.preallocate;
    this.pool = new FileHandlePool(builder.maxOpenFiles, this::open, this::forceIfDirty);
    for (int i = 0; i < writeLocks.length; i++) {
      writeLocks[i] = new ReentrantLock();
    }
  }

  /**
   * Starts configuring storage for {@code torrent} in {@code downloadFolder}.
   *
   * @param downloadFolder the folder that holds a single file, or a multi-file torrent's folder
   * @param torrent the torrent whose files are stored
   * @return a builder with the default options
   */
  public static Builder builder(Path downloadFolder, Torrent torrent) {
    return new Builder(StorageLayout.downloadFolder(downloadFolder), torrent);
  }

  /**
   * Starts configuring storage for {@code torrent} placed as {@code layout} says.
   *
   * @param layout where each file of the torrent goes
   * @param torrent the torrent whose files are stored
   * @return a builder with the default options
   */
  public static Builder builder(StorageLayout layout, Torrent torrent) {
    return new Builder(layout, torrent);
  }

  /**
   * {@return storage for {@code torrent} in {@code downloadFolder} with the default options}
   *
   * @param downloadFolder the folder that holds a single file, or a multi-file torrent's folder
   * @param torrent the torrent whose files are stored
   * @throws StorageException if a file path would leave the download folder
   */
  public static FileSystemStorage open(Path downloadFolder, Torrent torrent)
      throws StorageException {
    return builder(downloadFolder, torrent).build();
  }

  /**
   * {@return storage for {@code torrent} placed as {@code layout} says, with the default options}
   *
   * @param layout where each file of the torrent goes
   * @param torrent the torrent whose files are stored
   * @throws StorageException if a file path would leave the folder, or two files would share one (a
   *     rename onto another file)
   */
  public static FileSystemStorage open(StorageLayout layout, Torrent torrent)
      throws StorageException {
    return builder(layout, torrent).build();
  }

  /**
   * {@return where file {@code file} (or the part file) is stored}
   *
   * @param file the file's index in {@code Torrent.files()}, or the part file's
   */
  public Path path(int file) {
    return paths.get(checkElementIndex(file, paths.size(), "file"));
  }

  /** {@return the number of files open now} */
  public int openFileCount() {
    return pool.openCount();
  }

  @Override
  public int read(int file, long position, ByteBuffer target) throws IOException {
    Path path = path(file);
    try (FileHandlePool.Lease lease = pool.acquire(file, false)) {
      int total = 0;
      while (target.hasRemaining()) {
        int n = lease.channel().read(target, position + total);
        if (n < 0) {
          break;
        }
        total += n;
      }
      return total;
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw failure("read", path, e);
    }
  }

  @Override
  public void write(int file, long position, ByteBuffer source) throws IOException {
    Path path = path(file);
    ReentrantLock writeLock = writeLocks[file % writeLocks.length];
    writeLock.lock();
    try (FileHandlePool.Lease lease = pool.acquire(file, true)) {
      long at = position;
      while (source.hasRemaining()) {
        at += lease.channel().write(source, at);
      }
      dirty.add(file);
    } catch (IOException e) {
      throw failure("write", path, e);
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public long transferTo(int file, long position, long count, WritableByteChannel target)
      throws IOException {
    Path path = path(file);
    try (FileHandlePool.Lease lease = pool.acquire(file, false)) {
      long done = 0;
      while (done < count) {
        long n = lease.channel().transferTo(position + done, count - done, target);
        if (n <= 0) {
          break;
        }
        done += n;
      }
      return done;
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw failure("read", path, e);
    }
  }

  @Override
  public Optional<FileState> state(int file) throws IOException {
    Path path = path(file);
    try {
      if (!isSafeFolder(folderOf(path))) {
        return Optional.empty();
      }
      return stateInSafeFolder(path);
    } catch (IOException e) {
      throw failure("stat", path, e);
    }
  }

  private static Optional<FileState> stateInSafeFolder(Path path) throws IOException {
    try {
      BasicFileAttributes a =
          Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (a.isSymbolicLink()) {
        throw new StorageException(
            "stat", path.toString(), "a symbolic link is in the way; refusing to follow it", null);
      }
      return Optional.of(new FileState(a.size(), a.lastModifiedTime().toMillis()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Looks at a missing folder once for all its files, not once for each. */
  @Override
  public List<Optional<FileState>> states(int count) throws IOException {
    List<Optional<FileState>> result = new ArrayList<>(count);
    Set<Path> missing = new HashSet<>();
    for (int f = 0; f < count; f++) {
      Path path = path(f);
      try {
        Path folder = folderOf(path);
        if (missing.contains(folder) || !isSafeFolder(folder)) {
          missing.add(folder);
          result.add(Optional.empty());
        } else {
          result.add(stateInSafeFolder(path));
        }
      } catch (IOException e) {
        throw failure("stat", path, e);
      }
    }
    return result;
  }

  /**
   * Returns whether {@code folder} (the root or below it) exists as a real folder reached through
   * no symbolic link; remembered once true.
   *
   * @throws StorageException if a symbolic link is in the way
   */
  private boolean isSafeFolder(Path folder) throws IOException {
    if (safeFolders.contains(folder)) {
      return true;
    }
    if (!folder.equals(root)) {
      SafePaths.checkNoSymbolicLinks(root, folder);
    }
    if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    safeFolders.add(folder);
    return true;
  }

  @Override
  public void flush() throws IOException {
    pool.forEachOpen(this::forceIfDirty);
  }

  private void forceIfDirty(int file, FileChannel channel) throws IOException {
    if (dirty.remove(file)) {
      try {
        channel.force(true);
      } catch (IOException e) {
        dirty.add(file);
        throw failure("flush", path(file), e);
      }
    }
  }

  @Override
  public void delete() throws IOException {
    pool.closeAll();
    dirty.clear();
    safeFolders.clear();
    StorageException first = null;
    for (Path path : paths) {
      try {
        SafePaths.checkNoSymbolicLinks(root, path);
        Files.deleteIfExists(path);
        for (Path dir = path.getParent(); dir != null && !dir.equals(root); dir = dir.getParent()) {
          if (!isEmptyFolder(dir)) {
            break;
          }
          Files.delete(dir);
        }
      } catch (IOException e) {
        // Every file is tried: one that cannot go must not keep the others on the disk.
        StorageException failure = failure("delete", path, e);
        if (first == null) {
          first = failure;
        } else {
          first.addSuppressed(failure);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private static boolean isEmptyFolder(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (var entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    pool.closeAll();
  }

  /** Returns the folder of a file's path, which lies under the root and so has one. */
  private static Path folderOf(Path path) {
    return checkNotNull(path.getParent(), "no folder: %s", path);
  }

  private FileChannel open(int file, boolean writable) throws IOException {
    Path path = paths.get(file);
    if (closed) {
      throw new StorageException("open", path.toString(), "the storage is closed", null);
    }
    Path folder = folderOf(path);
    if (!writable) {
      if (!isSafeFolder(folder)) {
        throw new NoSuchFileException(path.toString());
      }
      return FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }
    if (!isSafeFolder(folder)) {
      SafePaths.checkNoSymbolicLinks(root, folder);
      Files.createDirectories(folder);
      if (!isSafeFolder(folder)) {
        throw new NoSuchFileException(folder.toString());
      }
    }
    FileChannel channel =
        FileChannel.open(
            path,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE,
            StandardOpenOption.CREATE,
            LinkOption.NOFOLLOW_LINKS);
    if (preallocate && lengths[file] > 0) {
      try {
        fillWithZeros(channel, lengths[file]);
      } catch (IOException e) {
        channel.close();
        throw e;
      }
    }
    return channel;
  }

  /** Real allocation: zeros written up to {@code length}, so a full disk shows at once. */
  private static void fillWithZeros(FileChannel channel, long length) throws IOException {
    ByteBuffer zeros = ByteBuffer.allocateDirect(ZERO_CHUNK);
    for (long at = channel.size(); at < length; ) {
      zeros.clear().limit((int) Math.min(ZERO_CHUNK, length - at));
      at += channel.write(zeros, at);
    }
  }

  private static StorageException failure(String operation, Path path, IOException e) {
    if (e instanceof StorageException s) {
      return s;
    }
    String reason;
    if (e instanceof AccessDeniedException) {
      reason = "permission denied";
    } else if (e instanceof FileSystemException f && f.getReason() != null) {
      reason = f.getReason();
    } else {
      reason = String.valueOf(e.getMessage());
    }
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      reason = "a folder stands where the file should be (" + reason + ")";
    }
    return new StorageException(operation, path.toString(), reason, e);
  }

  /** Configures a {@link FileSystemStorage}. */
  public static final class Builder {
    private final StorageLayout layout;
    private final Torrent torrent;
    private boolean preallocate;
    private int maxOpenFiles = DEFAULT_MAX_OPEN_FILES;

    private Builder(StorageLayout layout, Torrent torrent) {
      this.layout = checkNotNull(layout);
      this.torrent = torrent;
    }

    /**
     * Sets whether files are allocated in full (zeros written) when first opened for writing,
     * instead of growing sparsely. Default: sparse.
     *
     * @param preallocate {@code true} to write every file in full on its first opening for writing
     * @return this builder
     */
    public Builder preallocate(boolean preallocate) {
      this.preallocate = preallocate;
      return this;
    }

    /**
     * Sets how many files may be open at once (at least 1).
     *
     * @param maxOpenFiles the most files kept open, at least 1; beyond that the least recently used
     *     is closed
     * @return this builder
     */
    public Builder maxOpenFiles(int maxOpenFiles) {
      checkArgument(maxOpenFiles >= 1, "maxOpenFiles must be at least 1: %s", maxOpenFiles);
      this.maxOpenFiles = maxOpenFiles;
      return this;
    }

    /**
     * {@return the storage} Nothing is created on disk until the first write.
     *
     * @throws StorageException if a file path would leave the download folder, or two files would
     *     share one (a rename onto another file)
     */
    public FileSystemStorage build() throws StorageException {
      return new FileSystemStorage(this);
    }
  }
}
