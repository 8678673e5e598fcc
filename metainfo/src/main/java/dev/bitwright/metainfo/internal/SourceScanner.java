package dev.bitwright.metainfo.internal;

import com.google.common.primitives.UnsignedBytes;
import dev.bitwright.metainfo.MetainfoException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Lists the regular files under a folder in torrent order: path components compared one by one as
 * unsigned UTF-8 bytes, which is the order of a v2 file tree (a bencoded dictionary) and, for
 * ordinary names, the order mktorrent uses. Symbolic links to files are read as files; symbolic
 * links to folders are not followed.
 */
public final class SourceScanner {
  private static final Comparator<List<String>> TORRENT_ORDER = SourceScanner::compare;

  private SourceScanner() {}

  /**
   * Returns the files of {@code source}: the file itself (with the path {@code [name]}) or every
   * regular file below the folder (with paths relative to it).
   *
   * @throws MetainfoException if a file name cannot be a torrent path component
   * @throws IOException if the folder cannot be read
   */
  public static List<SourceFile> scan(Path source, String name) throws IOException {
    if (Files.isRegularFile(source)) {
      return List.of(new SourceFile(source, List.of(name), Files.size(source)));
    }
    if (!Files.isDirectory(source)) {
      throw new IOException("neither a file nor a folder: " + source);
    }
    List<SourceFile> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(source)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(p)) {
          files.add(new SourceFile(p, components(source.relativize(p)), Files.size(p)));
        }
      }
    }
    files.sort(Comparator.comparing(SourceFile::path, TORRENT_ORDER));
    return files;
  }

  private static List<String> components(Path relative) throws MetainfoException {
    List<String> components = new ArrayList<>(relative.getNameCount());
    for (Path part : relative) {
      components.add(PathRules.checkComponent(part.toString(), relative.toString()));
    }
    return components;
  }

  private static int compare(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c =
          UnsignedBytes.lexicographicalComparator()
              .compare(
                  a.get(i).getBytes(StandardCharsets.UTF_8),
                  b.get(i).getBytes(StandardCharsets.UTF_8));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }
}
