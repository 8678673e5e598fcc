package dev.bitwright.metainfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The golden torrents of src/test/resources/golden and their expected info-hashes. */
record Golden(String file, String creator, String v1, String v2, int pieceLength) {

  static List<Golden> all() {
    List<Golden> rows = new ArrayList<>();
    String tsv = new String(resource("expected.tsv"), StandardCharsets.UTF_8);
    for (String line : tsv.split("\n")) {
      if (line.isBlank() || line.startsWith("file\t")) {
        continue;
      }
      String[] f = line.split("\t");
      rows.add(new Golden(f[0], f[1], f[2], f[3], Integer.parseInt(f[4])));
    }
    return rows;
  }

  static Golden named(String file) {
    return all().stream().filter(g -> g.file.equals(file)).findFirst().orElseThrow();
  }

  byte[] bytes() {
    return resource(file);
  }

  static byte[] resource(String name) {
    try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no golden resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return file;
  }
}
