package dev.bitwright.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Payload files for the benchmarks: random bytes, the same for the same size. */
final class RandomFiles {
  private RandomFiles() {}

  /** Writes {@code sizeMiB} MiB of random bytes (seeded, so reproducible) to {@code file}. */
  static void write(Path file, int sizeMiB) throws IOException {
    byte[] chunk = new byte[1 << 20];
    Random random = new Random(7);
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < sizeMiB; i++) {
        random.nextBytes(chunk);
        out.write(chunk);
      }
    }
  }
}
