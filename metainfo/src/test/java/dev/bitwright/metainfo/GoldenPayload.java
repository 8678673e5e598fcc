package dev.bitwright.metainfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes the payload of the golden torrents; the same bytes as golden/payload.py. */
final class GoldenPayload {
  /** Relative path to {length, seed}. */
  static final Map<String, long[]> FILES = new LinkedHashMap<>();

  static {
    FILES.put("single.bin", new long[] {100_000, 1});
    FILES.put("multi/a.txt", new long[] {1, 2});
    FILES.put("multi/empty.dat", new long[] {0, 3});
    FILES.put("multi/sub/b.bin", new long[] {40_000, 4});
    FILES.put("multi/sub/c.bin", new long[] {70_001, 5});
    FILES.put("multi/z.bin", new long[] {16_384, 6});
  }

  private GoldenPayload() {}

  static void write(Path root) throws IOException {
    for (Map.Entry<String, long[]> e : FILES.entrySet()) {
      Path file = root.resolve(e.getKey());
      Files.createDirectories(file.getParent());
      Files.write(file, bytes((int) e.getValue()[0], e.getValue()[1]));
    }
  }

  static byte[] bytes(int length, long seed) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) ((i * 2654435761L + seed) >>> 13);
    }
    return bytes;
  }
}
