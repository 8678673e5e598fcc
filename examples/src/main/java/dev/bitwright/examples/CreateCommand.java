package dev.bitwright.examples;

import dev.bitwright.metainfo.InfoHash;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.metainfo.TorrentVersion;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** {@code bitwright create}: makes a .torrent of a file or folder. */
final class CreateCommand {
  static final String USAGE =
      "create <path> -o <out.torrent> [--v1|--v2|--hybrid] [--piece-size BYTES]"
          + " [--tracker URL[,URL...]]... [--web-seed URL]... [--private] [--comment TEXT]"
          + " [--name NAME] [--threads N] [--no-date]";

  private CreateCommand() {}

  static void run(Arguments args, PrintStream out, PrintStream err, Clock clock)
      throws UsageException, IOException {
    Path source = null;
    Path output = null;
    boolean date = true;
    TorrentVersion version = TorrentVersion.V1;
    Options options = new Options();
    while (!args.isEmpty()) {
      String word = args.next();
      switch (word) {
        case "-o", "--output" -> output = Path.of(args.value(word));
        case "--v1" -> version = TorrentVersion.V1;
        case "--v2" -> version = TorrentVersion.V2;
        case "--hybrid" -> version = TorrentVersion.HYBRID;
        case "--piece-size" -> options.pieceSize = Sizes.parse(args.value(word), word);
        case "--tracker" -> options.tiers.add(tier(args.value(word)));
        case "--web-seed" -> options.webSeeds.add(args.value(word));
        case "--private" -> options.isPrivate = true;
        case "--comment" -> options.comment = args.value(word);
        case "--name" -> options.name = args.value(word);
        case "--threads" -> options.threads = args.number(word, 1, 1024);
        case "--no-date" -> date = false;
        default -> {
          if (word.startsWith("-")) {
            throw new UsageException("unknown option for create: " + word);
          }
          if (source != null) {
            throw new UsageException("create takes one file or folder");
          }
          source = Path.of(word);
        }
      }
    }
    if (source == null) {
      throw new UsageException("create needs a file or folder");
    }
    if (output == null) {
      throw new UsageException("create needs -o <out.torrent>");
    }
    if (!Files.exists(source)) {
      throw new UsageException("no such file or folder: " + source);
    }
    TorrentBuilder builder = options.apply(TorrentBuilder.create(source).version(version));
    if (date) {
      builder.creationDate(clock.instant());
    }
    ProgressBar bar = ProgressBar.forTerminal(err);
    builder.progressListener(bar::update);
    Torrent torrent;
    try {
      torrent = builder.build();
    } finally {
      bar.finish();
    }
    write(torrent.toBytes(), output);
    out.println(
        "created " + output + " (" + torrent.version().name().toLowerCase(Locale.ROOT) + ")");
    torrent.infoHashes().v1().map(InfoHash::hex).ifPresent(h -> out.println("info-hash v1: " + h));
    torrent.infoHashes().v2().map(InfoHash::hex).ifPresent(h -> out.println("info-hash v2: " + h));
  }

  /** Writes through a temporary file so that a failure never leaves a torn .torrent behind. */
  private static void write(byte[] bytes, Path output) throws IOException {
    Path absolute = output.toAbsolutePath();
    Path temp = Files.createTempFile(absolute.getParent(), ".bitwright-", ".torrent.tmp");
    try {
      Files.write(temp, bytes);
      Files.move(
          temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static List<String> tier(String value) throws UsageException {
    List<String> urls =
        Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    if (urls.isEmpty()) {
      throw new UsageException("--tracker needs at least one URL");
    }
    return urls;
  }

  /** The options of one create command. */
  private static final class Options {
    int pieceSize;
    final List<List<String>> tiers = new ArrayList<>();
    final List<String> webSeeds = new ArrayList<>();
    boolean isPrivate;
    String comment;
    String name;
    int threads;

    TorrentBuilder apply(TorrentBuilder b) throws UsageException {
      if (pieceSize != 0) {
        try {
          b.pieceLength(pieceSize);
        } catch (IllegalArgumentException e) {
          throw new UsageException(
              "--piece-size must be a power of two from 16K to 256M: " + pieceSize);
        }
      }
      tiers.forEach(b::addTrackerTier);
      webSeeds.forEach(b::addWebSeed);
      if (threads > 0) {
        b.parallelism(threads);
      }
      if (name != null) {
        b.name(name);
      }
      return b.privateFlag(isPrivate).comment(comment).createdBy(Main.CREATED_BY);
    }
  }
}
