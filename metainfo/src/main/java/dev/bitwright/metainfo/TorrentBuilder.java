package dev.bitwright.metainfo;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeEncoder;
import dev.bitwright.bencode.BencodeList;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.bencode.BencodeValue;
import dev.bitwright.metainfo.internal.PathRules;
import dev.bitwright.metainfo.internal.PieceHasher;
import dev.bitwright.metainfo.internal.SourceFile;
import dev.bitwright.metainfo.internal.SourceScanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Creates a torrent from a file or a folder: v1 (the default), v2 or hybrid.
 *
 * <p>Files of a folder are taken in torrent order (path components compared as unsigned UTF-8
 * bytes); empty files are included. A hybrid multi-file torrent pads every file that does not end
 * on a piece boundary with a BEP 47 padding file named {@code .pad/<length>}, as libtorrent does,
 * so that v1 and v2 pieces cover the same bytes. For the same files, piece length and options, the
 * info dictionary, and so the info-hash, equals what libtorrent and mktorrent produce.
 *
 * <p>Hashing runs on {@link #parallelism(int)} lanes (by default one per processor): the calling
 * thread and tasks on {@link #executor(Executor)} (by default the common fork-join pool). {@link
 * #build()} blocks until all pieces are hashed.
 *
 * <pre>{@code
 * Torrent torrent = TorrentBuilder.create(Path.of("payload"))
 *     .version(TorrentVersion.HYBRID)
 *     .addTrackerTier("udp://tracker.example:6969/announce")
 *     .comment("release 1.2")
 *     .build();
 * Files.write(Path.of("payload.torrent"), torrent.toBytes());
 * }</pre>
 */
public final class TorrentBuilder {
  /** Receives hashing progress. */
  @FunctionalInterface
  public interface ProgressListener {
    /**
     * Called after each hashed piece, from a hashing thread, one call at a time, with growing
     * values. Must return quickly.
     *
     * @param hashedBytes bytes hashed so far
     * @param totalBytes bytes to hash in all
     */
    void onProgress(long hashedBytes, long totalBytes);
  }

  private final Path source;
  private TorrentVersion version = TorrentVersion.V1;
  private int pieceLength;
  private @Nullable String name;
  private final List<List<String>> trackerTiers = new ArrayList<>();
  private final List<String> webSeeds = new ArrayList<>();
  private boolean isPrivate;
  private @Nullable String comment;
  private @Nullable String createdBy;
  private @Nullable Instant creationDate;
  private Executor executor = ForkJoinPool.commonPool();
  private int parallelism = Runtime.getRuntime().availableProcessors();
  private ProgressListener progress = (done, total) -> {};

  private TorrentBuilder(Path source) {
    this.source = checkNotNull(source, "source");
  }

  /**
   * Starts a torrent of {@code source}, a file or a folder.
   *
   * @param source the file, or the folder whose files (all of them, recursively) the torrent holds
   * @return a builder with the defaults
   */
  public static TorrentBuilder create(Path source) {
    return new TorrentBuilder(source);
  }

  /**
   * Sets the metadata version to write (default {@link TorrentVersion#V1}).
   *
   * @param version v1, v2 or hybrid metadata
   * @return this builder
   */
  public TorrentBuilder version(TorrentVersion version) {
    this.version = checkNotNull(version);
    return this;
  }

  /**
   * Sets the piece length: a power of two from 16 KiB to 256 MiB, or 0 (the default) to choose one:
   * the smallest power of two from 16 KiB up that gives at most 2048 pieces, at most 16 MiB.
   *
   * @param bytes the piece length in bytes, or 0 to choose one
   * @return this builder
   */
  public TorrentBuilder pieceLength(int bytes) {
    checkArgument(
        bytes == 0
            || (Integer.bitCount(bytes) == 1
                && bytes >= InfoReader.MIN_PIECE_LENGTH
                && bytes <= InfoReader.MAX_PIECE_LENGTH),
        "piece length must be 0 or a power of two from 16 KiB to 256 MiB: %s",
        bytes);
    this.pieceLength = bytes;
    return this;
  }

  /**
   * Sets the torrent's name (default: the source's file name).
   *
   * @param name the name, a single path component
   * @return this builder
   */
  public TorrentBuilder name(String name) {
    this.name = name;
    return this;
  }

  /**
   * Adds a tier of trackers (BEP 12), tried in the order given.
   *
   * @param urls the tier's tracker URLs; at least one, none blank
   * @return this builder
   */
  public TorrentBuilder addTrackerTier(List<String> urls) {
    checkArgument(!urls.isEmpty(), "a tier needs at least one tracker");
    urls.forEach(u -> checkArgument(!u.isBlank(), "empty tracker URL"));
    trackerTiers.add(urls.stream().map(String::strip).collect(ImmutableList.toImmutableList()));
    return this;
  }

  /**
   * Adds a tier of trackers (BEP 12), tried in the order given.
   *
   * @param urls the tier's tracker URLs; at least one, none blank
   * @return this builder
   */
  public TorrentBuilder addTrackerTier(String... urls) {
    return addTrackerTier(List.of(urls));
  }

  /**
   * Adds a web seed URL (BEP 19).
   *
   * @param url the URL of the file, or of the folder holding the torrent's folder; not blank
   * @return this builder
   */
  public TorrentBuilder addWebSeed(String url) {
    checkArgument(!url.isBlank(), "empty web seed URL");
    webSeeds.add(url.strip());
    return this;
  }

  /**
   * Sets the private flag (BEP 27).
   *
   * @param isPrivate {@code true} to keep the torrent's peers to its trackers (no DHT, PEX or local
   *     discovery)
   * @return this builder
   */
  public TorrentBuilder privateFlag(boolean isPrivate) {
    this.isPrivate = isPrivate;
    return this;
  }

  /**
   * Sets the comment.
   *
   * @param comment free text stored in the torrent's {@code comment} field
   * @return this builder
   */
  public TorrentBuilder comment(String comment) {
    this.comment = comment;
    return this;
  }

  /**
   * Sets the {@code created by} text.
   *
   * @param createdBy the name and version of the program that made the torrent
   * @return this builder
   */
  public TorrentBuilder createdBy(String createdBy) {
    this.createdBy = createdBy;
    return this;
  }

  /**
   * Sets the creation date (default: none; pass the time from your own clock).
   *
   * @param creationDate the time to store, in whole seconds
   * @return this builder
   */
  public TorrentBuilder creationDate(Instant creationDate) {
    this.creationDate = creationDate;
    return this;
  }

  /**
   * Sets the executor for the hashing lanes other than the calling thread.
   *
   * @param executor runs the hashing lanes beyond the first (default: the common fork-join pool)
   * @return this builder
   */
  public TorrentBuilder executor(Executor executor) {
    this.executor = checkNotNull(executor);
    return this;
  }

  /**
   * Sets how many lanes hash at once, the calling thread included (default: processors).
   *
   * @param lanes the number of pieces hashed at once; at least 1
   * @return this builder
   */
  public TorrentBuilder parallelism(int lanes) {
    checkArgument(lanes >= 1, "parallelism must be at least 1: %s", lanes);
    this.parallelism = lanes;
    return this;
  }

  /**
   * Sets the progress listener.
   *
   * @param listener called as pieces are hashed (default: none)
   * @return this builder
   */
  public TorrentBuilder progressListener(ProgressListener listener) {
    this.progress = checkNotNull(listener);
    return this;
  }

  /**
   * Hashes the files and returns the torrent.
   *
   * @return the torrent of the source's files, ready for {@link Torrent#toBytes()}
   * @throws MetainfoException if the source holds no data or a file name cannot be stored in a
   *     torrent
   * @throws IOException if a file cannot be read or changes while hashing
   */
  public Torrent build() throws IOException {
    Path fileName = source.toAbsolutePath().normalize().getFileName();
    String torrentName = name != null ? name : fileName == null ? "" : fileName.toString();
    PathRules.checkComponent(torrentName, "name");
    List<SourceFile> files = SourceScanner.scan(source, torrentName);
    long total = files.stream().mapToLong(SourceFile::length).sum();
    if (total == 0) {
      throw new MetainfoException(null, "no data to share in " + source);
    }
    int chosen = pieceLength != 0 ? pieceLength : automaticPieceLength(total);
    boolean singleFile = files.size() == 1 && files.get(0).path().size() == 1 && isFile();
    boolean padFiles = version == TorrentVersion.HYBRID && !singleFile;
    AtomicLong hashed = new AtomicLong();
    PieceHasher hasher =
        new PieceHasher(
            files,
            chosen,
            version.hasV1(),
            version.hasV2(),
            padFiles,
            bytes -> progress.onProgress(hashed.addAndGet(bytes), total));
    PieceHasher.Result result = hasher.hash(parallelism, executor);
    BencodeDictionary info =
        InfoWriter.info(torrentName, chosen, version, singleFile, isPrivate, files, result);
    return Torrent.parse(BencodeEncoder.encode(root(info, files, result)));
  }

  private boolean isFile() {
    return Files.isRegularFile(source);
  }

  static int automaticPieceLength(long total) {
    int length = InfoReader.MIN_PIECE_LENGTH;
    while (length < 16 * 1024 * 1024 && (total + length - 1) / length > 2048) {
      length *= 2;
    }
    return length;
  }

  private BencodeDictionary root(
      BencodeDictionary info, List<SourceFile> files, PieceHasher.Result result) {
    BencodeDictionary.Builder root = BencodeDictionary.builder().put("info", info);
    List<String> all = trackerTiers.stream().flatMap(List::stream).toList();
    if (!all.isEmpty()) {
      root.put("announce", all.get(0));
    }
    if (all.size() > 1) {
      List<BencodeValue> tiers = new ArrayList<>();
      for (List<String> tier : trackerTiers) {
        tiers.add(strings(tier));
      }
      root.put("announce-list", new BencodeList(tiers));
    }
    if (!webSeeds.isEmpty()) {
      root.put("url-list", strings(webSeeds));
    }
    Optional.ofNullable(comment).ifPresent(c -> root.put("comment", c));
    Optional.ofNullable(createdBy).ifPresent(c -> root.put("created by", c));
    Optional.ofNullable(creationDate).ifPresent(d -> root.put("creation date", d.getEpochSecond()));
    if (version.hasV2()) {
      BencodeDictionary.Builder layers = BencodeDictionary.builder();
      for (int f = 0; f < files.size(); f++) {
        byte[] layer = result.layers().get(f);
        if (layer != null) {
          layers.put(BencodeString.of(result.roots().get(f)), BencodeString.of(layer));
        }
      }
      root.put("piece layers", layers.build());
    }
    return root.build();
  }

  static BencodeList strings(List<String> values) {
    return new BencodeList(values.stream().map(v -> (BencodeValue) BencodeString.of(v)).toList());
  }
}
