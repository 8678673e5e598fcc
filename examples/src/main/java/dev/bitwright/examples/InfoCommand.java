package dev.bitwright.examples;

import dev.bitwright.metainfo.FileEntry;
import dev.bitwright.metainfo.InfoHash;
import dev.bitwright.metainfo.MagnetLink;
import dev.bitwright.metainfo.Torrent;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code bitwright info [--json] <file.torrent|magnet>}: what a torrent or magnet link holds. */
final class InfoCommand {
  static final String USAGE = "info [--json] <file.torrent|magnet>";

  private InfoCommand() {}

  static void run(Arguments args, PrintStream out) throws UsageException, IOException {
    boolean json = false;
    String target = null;
    while (!args.isEmpty()) {
      String word = args.next();
      if (word.equals("--json")) {
        json = true;
      } else if (word.startsWith("--")) {
        throw new UsageException("unknown option for info: " + word);
      } else if (target == null) {
        target = word;
      } else {
        throw new UsageException("info takes one torrent or magnet link");
      }
    }
    if (target == null) {
      throw new UsageException("info needs a .torrent file or a magnet link");
    }
    Map<String, Object> summary =
        target.regionMatches(true, 0, "magnet:", 0, 7)
            ? describe(MagnetLink.parse(target))
            : describe(Torrent.read(Path.of(target)));
    if (json) {
      out.println(Json.write(summary));
    } else {
      printHuman(summary, out);
    }
  }

  static Map<String, Object> describe(Torrent t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", t.name());
    m.put("infoHashV1", t.infoHashes().v1().map(InfoHash::hex).orElse(null));
    m.put("infoHashV2", t.infoHashes().v2().map(InfoHash::hex).orElse(null));
    m.put("pieceLength", t.pieceLength());
    m.put("totalLength", t.totalLength());
    m.put("private", t.isPrivate());
    List<Object> files = new ArrayList<>();
    for (FileEntry f : t.files()) {
      Map<String, Object> file = new LinkedHashMap<>();
      file.put("path", f.pathString());
      file.put("length", f.length());
      file.put("padding", f.isPadding());
      files.add(file);
    }
    m.put("files", files);
    m.put("trackers", t.trackers());
    m.put("webSeeds", t.webSeeds());
    m.put("version", t.version().name().toLowerCase(Locale.ROOT));
    m.put("pieceCount", t.pieceCount());
    m.put("comment", t.comment().orElse(null));
    m.put("createdBy", t.createdBy().orElse(null));
    m.put("creationDate", t.creationDate().map(Object::toString).orElse(null));
    m.put("magnet", t.toMagnetLink().toUri());
    return m;
  }

  /** A magnet link knows no sizes or files until the metadata is fetched: those are null. */
  static Map<String, Object> describe(MagnetLink link) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", link.displayName().orElse(null));
    m.put("infoHashV1", link.infoHashes().v1().map(InfoHash::hex).orElse(null));
    m.put("infoHashV2", link.infoHashes().v2().map(InfoHash::hex).orElse(null));
    m.put("pieceLength", null);
    m.put("totalLength", null);
    m.put("private", null);
    m.put("files", List.of());
    m.put("trackers", link.trackers().stream().map(List::of).toList());
    m.put("webSeeds", link.webSeeds());
    m.put("peers", link.peers().stream().map(p -> p.getHostString() + ":" + p.getPort()).toList());
    m.put("selectOnly", link.selectOnly().stream().map(MagnetLink.FileRange::toString).toList());
    m.put("magnet", link.toUri());
    return m;
  }

  private static void printHuman(Map<String, Object> m, PrintStream out) {
    line(out, "name", m.get("name"));
    line(out, "info-hash v1", m.get("infoHashV1"));
    line(out, "info-hash v2", m.get("infoHashV2"));
    if (m.get("pieceLength") instanceof Integer pieceLength) {
      line(out, "version", m.get("version"));
      line(out, "piece length", pieceLength + " (" + Sizes.human(pieceLength) + ")");
      line(out, "pieces", m.get("pieceCount"));
      long total = (Long) m.get("totalLength");
      line(out, "total size", total + " bytes (" + Sizes.human(total) + ")");
      line(out, "private", Boolean.TRUE.equals(m.get("private")) ? "yes" : "no");
      line(out, "created by", m.get("createdBy"));
      line(out, "creation date", m.get("creationDate"));
      line(out, "comment", m.get("comment"));
    }
    List<?> tiers = (List<?>) m.get("trackers");
    out.println("trackers:" + (tiers.isEmpty() ? " none" : ""));
    for (int i = 0; i < tiers.size(); i++) {
      out.println("  tier " + (i + 1) + ": " + String.join(", ", strings(tiers.get(i))));
    }
    List<String> seeds = strings(m.get("webSeeds"));
    out.println("web seeds:" + (seeds.isEmpty() ? " none" : ""));
    seeds.forEach(s -> out.println("  " + s));
    if (m.containsKey("peers")) {
      strings(m.get("peers")).forEach(p -> out.println("peer: " + p));
    }
    if (m.get("selectOnly") instanceof List<?> selection && !selection.isEmpty()) {
      line(out, "select only", String.join(", ", strings(selection)) + " (file indices)");
    }
    List<?> files = (List<?>) m.get("files");
    if (!files.isEmpty()) {
      out.println("files (" + files.size() + "):");
      for (Object o : files) {
        Map<?, ?> f = (Map<?, ?>) o;
        String pad = Boolean.TRUE.equals(f.get("padding")) ? "  [padding]" : "";
        out.printf(Locale.ROOT, "  %14d  %s%s%n", (Long) f.get("length"), f.get("path"), pad);
      }
    }
    line(out, "magnet", m.get("magnet"));
  }

  private static void line(PrintStream out, String label, Object value) {
    out.printf(Locale.ROOT, "%-14s %s%n", label + ":", value == null ? "-" : value);
  }

  private static List<String> strings(Object list) {
    return ((List<?>) list).stream().map(String::valueOf).toList();
  }
}
