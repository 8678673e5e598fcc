package dev.bitwright.simulation;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.metainfo.TorrentVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * What a simulated swarm shares: a torrent and the bytes of its files, in the torrent's file order.
 * Immutable (the byte arrays are not copied: leave them alone).
 *
 * @param torrent the torrent
 * @param files the bytes of each of its files, in order
 */
public record SimulatedPayload(Torrent torrent, List<byte[]> files) {
  /**
   * Checks that there is one byte array per file, of the file's length.
   *
   * @param torrent the torrent
   * @param files the bytes of each of the torrent's files, in its file order
   * @throws IllegalArgumentException if the bytes do not match the torrent's files
   */
  public SimulatedPayload {
    files = ImmutableList.copyOf(files);
    checkArgument(
        files.size() == torrent.files().size(),
        "%s byte arrays for %s files",
        files.size(),
        torrent.files().size());
    for (int i = 0; i < files.size(); i++) {
      checkArgument(
          files.get(i).length == torrent.files().get(i).length(),
          "file %s has %s bytes, not %s",
          i,
          files.get(i).length,
          torrent.files().get(i).length());
    }
  }

  /**
   * Returns a v1 torrent of files of random bytes (from {@code seed}), made in a temporary folder
   * that is deleted before this returns.
   *
   * @param seed the seed of the bytes
   * @param pieceLength the piece length, a power of two of at least 16 KiB
   * @param fileSizes the size of each file in bytes (one or more)
   * @return the payload
   * @throws IOException if the temporary files cannot be written
   */
  public static SimulatedPayload random(long seed, int pieceLength, int... fileSizes)
      throws IOException {
    checkArgument(fileSizes.length > 0, "no files");
    SplittableRandom random = new SplittableRandom(seed);
    List<byte[]> contents = new ArrayList<>();
    Path folder = Files.createTempDirectory("bitwright-simulation");
    try {
      Path payload = Files.createDirectories(folder.resolve("payload"));
      for (int i = 0; i < fileSizes.length; i++) {
        byte[] bytes = new byte[fileSizes[i]];
        random.nextBytes(bytes);
        contents.add(bytes);
        Files.write(payload.resolve(String.format(Locale.ROOT, "file%03d", i)), bytes);
      }
      Torrent torrent =
          TorrentBuilder.create(fileSizes.length == 1 ? payload.resolve("file000") : payload)
              .version(TorrentVersion.V1)
              .pieceLength(pieceLength)
              .build();
      return new SimulatedPayload(torrent, contents);
    } finally {
      try (Stream<Path> paths = Files.walk(folder)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
