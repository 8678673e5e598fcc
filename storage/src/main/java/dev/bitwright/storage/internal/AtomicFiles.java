package dev.bitwright.storage.internal;

import dev.bitwright.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Crash-safe replacement of a small file. */
public final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * Replaces {@code file} with {@code bytes} so that a crash at any moment leaves either the old
   * content or the new one: the bytes go to a temporary file in the same folder, which is forced to
   * disk and renamed over {@code file}; then the folder itself is forced, so the rename is durable
   * too.
   *
   * @throws StorageException if any step fails; the old file is then untouched
   */
  public static void write(Path file, byte[] bytes) throws StorageException {
    Path target = file.toAbsolutePath();
    Path folder = target.getParent();
    Path temp = null;
    try {
      Files.createDirectories(folder);
      // One fixed temporary name: a crash before the rename leaves at most this one file, which
      // the next write replaces.
      temp = folder.resolve("." + target.getFileName() + ".tmp");
      try (FileChannel channel =
          FileChannel.open(
              temp,
              StandardOpenOption.WRITE,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      temp = null;
      forceFolder(folder);
    } catch (IOException e) {
      throw new StorageException("write", target.toString(), String.valueOf(e.getMessage()), e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // The failure being reported matters more than a leftover temporary file.
        }
      }
    }
  }

  /** Makes a rename durable; where folders cannot be opened (Windows) the rename is already. */
  private static void forceFolder(Path folder) {
    try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Not supported on this platform: nothing more can be done.
    }
  }
}
