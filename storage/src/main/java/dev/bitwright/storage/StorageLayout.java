package dev.bitwright.storage;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.bitwright.metainfo.Torrent;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a torrent's files go: a download folder (a multi-file torrent's files in a folder of its
 * name there, as every client does), or a content root (the files directly in it, as a launcher's
 * install folder holds a game's files); and files renamed, as libtorrent's {@code rename_file}.
 * Every path stays inside the folder: a storage refuses one that would not. Immutable.
 */
public final class StorageLayout {
  private final Path folder;
  private final boolean contentRoot;
  private final Map<Integer, List<String>> renames;

  private StorageLayout(Path folder, boolean contentRoot, Map<Integer, List<String>> renames) {
    this.folder = checkNotNull(folder);
    this.contentRoot = contentRoot;
    this.renames = Map.copyOf(renames);
  }

  /**
   * {@return the layout of a download folder: a multi-file torrent in a folder of its name}
   *
   * @param folder the download folder
   */
  public static StorageLayout downloadFolder(Path folder) {
    return new StorageLayout(folder, false, Map.of());
  }

  /**
   * {@return the layout of a content root: the torrent's files directly in {@code root}}
   *
   * @param root the folder the torrent's files go in
   */
  public static StorageLayout contentRoot(Path root) {
    return new StorageLayout(root, true, Map.of());
  }

  /**
   * {@return this layout with file {@code file} (its index in the torrent's files) stored at {@code
   * relativePath} below the folder instead ({@code /}-separated; {@code "data/level 1.pak"})}
   *
   * @param file the file's index in {@code Torrent.files()}
   * @param relativePath the file's new path below the folder, {@code /}-separated
   * @throws IllegalArgumentException if the index is negative, or the path is empty, absolute, or
   *     has an empty, {@code .} or {@code ..} component, a backslash or a NUL character
   */
  public StorageLayout withRename(int file, String relativePath) {
    checkArgument(file >= 0, "negative file index %s", file);
    checkArgument(
        !relativePath.isEmpty() && !relativePath.startsWith("/"),
        "not a relative path: \"%s\"",
        relativePath);
    List<String> components = List.of(relativePath.split("/", -1));
    for (String c : components) {
      checkArgument(
          !c.isEmpty()
              && !c.equals(".")
              && !c.equals("..")
              && c.indexOf('\\') < 0
              && c.indexOf('\0') < 0,
          "unsafe path component \"%s\" in \"%s\"",
          c,
          relativePath);
    }
    Map<Integer, List<String>> more = new HashMap<>(renames);
    more.put(file, components);
    return new StorageLayout(folder, contentRoot, more);
  }

  /** {@return the folder the files go below} */
  public Path folder() {
    return folder;
  }

  /** {@return whether the folder is a content root (no folder of the torrent's name)} */
  public boolean isContentRoot() {
    return contentRoot;
  }

  /** {@return the renamed files: index to path components below the folder} */
  public Map<Integer, List<String>> renames() {
    return renames;
  }

  /**
   * {@return the path components of file {@code file} of {@code torrent} below the folder: its
   * rename, or its path in the torrent (after the torrent's name in a download folder)}
   *
   * @param torrent the torrent the layout is used for
   * @param file the file's index in {@code Torrent.files()}
   */
  public List<String> components(Torrent torrent, int file) {
    List<String> renamed = renames.get(file);
    if (renamed != null) {
      return renamed;
    }
    return contentRoot
        ? torrent.files().get(file).path()
        : torrent.downloadPath(torrent.files().get(file));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StorageLayout l
        && folder.equals(l.folder)
        && contentRoot == l.contentRoot
        && renames.equals(l.renames);
  }

  @Override
  public int hashCode() {
    return folder.hashCode() * 31 + Boolean.hashCode(contentRoot) * 17 + renames.hashCode();
  }

  @Override
  public String toString() {
    return (contentRoot ? "content root " : "download folder ")
        + folder
        + (renames.isEmpty() ? "" : ", renamed " + renames);
  }
}
