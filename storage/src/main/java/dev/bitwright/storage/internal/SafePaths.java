package dev.bitwright.storage.internal;

import dev.bitwright.storage.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Resolves a torrent's file paths below a download folder and proves that they stay there:
 * components are resolved one by one, the result is normalised and checked against the folder, and
 * no component that already exists on disk may be a symbolic link (which could lead anywhere).
 */
public final class SafePaths {
  private SafePaths() {}

  /**
   * Returns {@code root} joined with {@code components}, checked lexically.
   *
   * @throws StorageException if the result would not be strictly inside {@code root}
   */
  public static Path resolve(Path root, List<String> components) throws StorageException {
    Path path = root;
    for (String component : components) {
      path = path.resolve(component);
    }
    Path normal = path.normalize();
    if (!normal.startsWith(root) || normal.equals(root) || !normal.equals(path)) {
      throw new StorageException(
          "resolve", String.join("/", components), "path leaves the download folder", null);
    }
    return normal;
  }

  /**
   * Checks that no existing component of {@code path} below {@code root} is a symbolic link.
   *
   * @throws StorageException if one is
   */
  public static void checkNoSymbolicLinks(Path root, Path path) throws IOException {
    Path relative = root.relativize(path);
    Path current = root;
    for (Path part : relative) {
      current = current.resolve(part);
      if (Files.isSymbolicLink(current)) {
        throw new StorageException(
            "open",
            current.toString(),
            "a symbolic link is in the way; refusing to follow it",
            null);
      }
      if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
    }
  }
}
