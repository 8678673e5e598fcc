package dev.bitwright.metainfo;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.Sets;
import dev.bitwright.metainfo.internal.PathRules;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One file of a torrent.
 *
 * <p>The {@link #path()} is relative to the torrent's root: for a single-file torrent it is the
 * torrent's name, for a multi-file torrent the components below the torrent's folder (use {@link
 * Torrent#downloadPath(FileEntry)} for the path below the download folder). Every component has
 * been checked when the torrent was read: it is never empty, {@code .} or {@code ..}, and holds no
 * {@code /}, {@code \} or NUL, so a path can never leave the download folder. Components are kept
 * as the torrent spells them; names that Windows cannot store (reserved characters such as {@code
 * :} or {@code ?}, trailing dots and spaces, device names such as {@code CON}) are mapped by {@link
 * #portablePath()}.
 *
 * @param path the path components, relative to the torrent's root; immutable
 * @param length the length in bytes
 * @param offset the offset of the file's first byte in the torrent's byte stream (for v2-only
 *     torrents, where every file starts on a piece boundary, the stream is aligned the same way)
 * @param attributes the BEP 47 attributes; immutable
 * @param symlinkTarget for a symbolic link, the target's path components; otherwise empty
 * @param piecesRoot for a non-empty file of a v2 or hybrid torrent, the root of its merkle tree
 */
public record FileEntry(
    List<String> path,
    long length,
    long offset,
    Set<FileAttribute> attributes,
    List<String> symlinkTarget,
    Optional<MerkleRoot> piecesRoot) {

  /**
   * Creates a file entry.
   *
   * @param path the path components, relative to the torrent's root; copied
   * @param length the length in bytes; not negative
   * @param offset the offset of the file's first byte in the torrent's byte stream; not negative
   * @param attributes the BEP 47 attributes; copied
   * @param symlinkTarget for a symbolic link, the target's path components, otherwise empty; copied
   * @param piecesRoot for a non-empty file of a v2 or hybrid torrent, the root of its merkle tree,
   *     otherwise empty
   * @throws IllegalArgumentException if the path is empty or the length or offset negative
   */
  public FileEntry {
    path = ImmutableList.copyOf(path);
    checkArgument(!path.isEmpty(), "a file path has at least one component");
    checkArgument(length >= 0, "negative length %s", length);
    checkArgument(offset >= 0, "negative offset %s", offset);
    attributes =
        attributes.isEmpty() ? Set.of() : Sets.immutableEnumSet(EnumSet.copyOf(attributes));
    symlinkTarget = ImmutableList.copyOf(symlinkTarget);
  }

  /** {@return whether this is a BEP 47 padding file, which is never written to disk} */
  public boolean isPadding() {
    return attributes.contains(FileAttribute.PADDING);
  }

  /** {@return the path components joined with {@code /}} */
  public String pathString() {
    return String.join("/", path);
  }

  /**
   * {@return the path with every component made storable on Windows: the characters {@code <>:"|?*}
   * and control characters become {@code _}, trailing dots and spaces become {@code _}, and a
   * reserved device name ({@code CON}, {@code PRN}, {@code AUX}, {@code NUL}, {@code COM1}-{@code
   * COM9}, {@code LPT1}-{@code LPT9}, with or without an extension, in any case) gets a {@code _}
   * prefix} Components that need none of this are unchanged.
   */
  public List<String> portablePath() {
    return path.stream().map(PathRules::portableComponent).collect(ImmutableList.toImmutableList());
  }

  /**
   * {@return one path component made storable on Windows, as {@link #portablePath()} does}
   *
   * @param component one path component, as the torrent spells it
   */
  public static String portableComponent(String component) {
    return PathRules.portableComponent(component);
  }
}
