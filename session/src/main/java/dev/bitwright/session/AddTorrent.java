package dev.bitwright.session;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import dev.bitwright.metainfo.MagnetLink;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.storage.FilePriority;
import dev.bitwright.storage.StorageLayout;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * What to add to a session: a torrent (from a {@code .torrent}) or a magnet link, where its files
 * go, and how to start. Made with {@link #torrent(Torrent, Path)} or {@link #magnet(MagnetLink,
 * Path)} and the builder's options.
 */
public final class AddTorrent {
  private final @Nullable Torrent torrent;
  private final @Nullable MagnetLink magnet;
  private final Path downloadFolder;
  private final StorageFactory storage;
  private final @Nullable Path resumeFile;
  private final @Nullable Path wireTrace;
  private final boolean paused;
  private final List<InetSocketAddress> peers;
  private final List<FilePriority> priorities;
  private final boolean sequential;
  private final long downloadRateLimit;
  private final long uploadRateLimit;
  private final List<URI> webSeeds;
  private final boolean linkedWebSeeds;
  private final boolean seedMode;
  private final StorageLayout layout;
  private final @Nullable Double shareRatioLimit;
  private final @Nullable Duration seedTimeLimit;

  private AddTorrent(Builder b) {
    this.torrent = b.torrent;
    this.magnet = b.magnet;
    this.downloadFolder = b.downloadFolder;
    this.storage = b.storage;
    this.resumeFile = b.resumeFile;
    this.wireTrace = b.wireTrace;
    this.paused = b.paused;
    this.peers = ImmutableList.copyOf(b.peers);
    this.priorities = ImmutableList.copyOf(b.priorities);
    this.sequential = b.sequential;
    this.downloadRateLimit = b.downloadRateLimit;
    this.uploadRateLimit = b.uploadRateLimit;
    this.webSeeds = ImmutableList.copyOf(b.webSeeds);
    this.linkedWebSeeds = b.linkedWebSeeds;
    this.seedMode = b.seedMode;
    this.layout = b.layout();
    this.shareRatioLimit = b.shareRatioLimit;
    this.seedTimeLimit = b.seedTimeLimit;
  }

  /**
   * Starts a request to add {@code torrent}, its files going to {@code downloadFolder}.
   *
   * @param torrent the torrent to download or seed
   * @param downloadFolder the folder that holds a single file, or a multi-file torrent's folder
   * @return a builder with the defaults: started at once, every file wanted, no limits of its own
   */
  public static Builder torrent(Torrent torrent, Path downloadFolder) {
    return new Builder(checkNotNull(torrent), null, downloadFolder);
  }

  /**
   * Starts a request to add a magnet link: the info dictionary is fetched from peers (from its
   * trackers, its {@code x.pe} peers, host names resolved off the I/O thread, and {@link
   * Builder#peer}) before the download starts; its {@code so} selection (BEP 53, file indices in
   * the order of {@code Torrent.files()}) is downloaded and the other files skipped.
   *
   * @param magnet the magnet link; its info-hash names the torrent
   * @param downloadFolder the folder that holds a single file, or a multi-file torrent's folder
   * @return a builder with the defaults: started at once, no limits of its own
   */
  public static Builder magnet(MagnetLink magnet, Path downloadFolder) {
    return new Builder(null, checkNotNull(magnet), downloadFolder);
  }

  /** {@return the torrent, for a {@code .torrent}} */
  public Optional<Torrent> torrent() {
    return Optional.ofNullable(torrent);
  }

  /** {@return the magnet link, for a magnet} */
  public Optional<MagnetLink> magnet() {
    return Optional.ofNullable(magnet);
  }

  /** {@return the download folder} */
  public Path downloadFolder() {
    return downloadFolder;
  }

  /** {@return the storage factory} */
  public StorageFactory storage() {
    return storage;
  }

  /** {@return the resume file, if resume data is kept} */
  public Optional<Path> resumeFile() {
    return Optional.ofNullable(resumeFile);
  }

  /** {@return the file the torrent's wire trace is appended to, if one was asked for} */
  public Optional<Path> wireTrace() {
    return Optional.ofNullable(wireTrace);
  }

  /** {@return whether the torrent starts paused} */
  public boolean paused() {
    return paused;
  }

  /** {@return peers to connect to from the start} */
  public List<InetSocketAddress> peers() {
    return peers;
  }

  /** {@return the file priorities (empty: all normal)} */
  public List<FilePriority> priorities() {
    return priorities;
  }

  /** {@return whether pieces are downloaded in order} */
  public boolean sequential() {
    return sequential;
  }

  /** {@return the torrent's download limit in bytes per second; 0 for none} */
  public long downloadRateLimit() {
    return downloadRateLimit;
  }

  /** {@return the web seeds added to the torrent's own (BEP 19), in order} */
  public List<URI> webSeeds() {
    return webSeeds;
  }

  /**
   * {@return whether the web seeds the torrent names (its {@code url-list}, a magnet's {@code ws})
   * are used; those of {@link #webSeeds()} always are}
   */
  public boolean linkedWebSeeds() {
    return linkedWebSeeds;
  }

  /** {@return this torrent's share ratio limit, if it has one of its own (0: none)} */
  public OptionalDouble shareRatioLimit() {
    return shareRatioLimit == null ? OptionalDouble.empty() : OptionalDouble.of(shareRatioLimit);
  }

  /** {@return this torrent's seed time limit, if it has one of its own (zero: none)} */
  public Optional<Duration> seedTimeLimit() {
    return Optional.ofNullable(seedTimeLimit);
  }

  /**
   * {@return where the files go: {@link #downloadFolder()} as a download folder or a content root,
   * and the files renamed}
   */
  public StorageLayout layout() {
    return layout;
  }

  /**
   * {@return whether the torrent is added in seed mode: its files are trusted to be complete and
   * each piece is verified before its first upload, not at start}
   */
  public boolean seedMode() {
    return seedMode;
  }

  /** {@return the torrent's upload limit in bytes per second; 0 for none} */
  public long uploadRateLimit() {
    return uploadRateLimit;
  }

  /**
   * Returns {@code url} if it can be a web seed: an {@code http} or {@code https} URL.
   *
   * @throws IllegalArgumentException if it cannot
   */
  static URI checkWebSeed(URI url) {
    checkArgument(
        "http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme()),
        "a web seed is an http or https URL: %s",
        url);
    return url;
  }

  /** Configures an {@link AddTorrent}. */
  public static final class Builder {
    private final @Nullable Torrent torrent;
    private final @Nullable MagnetLink magnet;
    private Path downloadFolder;
    private StorageFactory storage = StorageFactory.FILE_SYSTEM;
    private @Nullable Path resumeFile;
    private @Nullable Path wireTrace;
    private boolean paused;
    private final List<InetSocketAddress> peers = new ArrayList<>();
    private List<FilePriority> priorities = List.of();
    private boolean sequential;
    private long downloadRateLimit;
    private long uploadRateLimit;
    private final List<URI> webSeeds = new ArrayList<>();
    private boolean linkedWebSeeds = true;
    private boolean seedMode;
    private boolean contentRoot;
    private final Map<Integer, String> renames = new LinkedHashMap<>();
    private @Nullable Double shareRatioLimit;
    private @Nullable Duration seedTimeLimit;

    private Builder(@Nullable Torrent torrent, @Nullable MagnetLink magnet, Path downloadFolder) {
      this.torrent = torrent;
      this.magnet = magnet;
      this.downloadFolder = checkNotNull(downloadFolder);
    }

    /**
     * Sets the storage back end (default: the file system).
     *
     * @param storage opens the torrent's storage once its metadata is known
     * @return this builder
     */
    public Builder storage(StorageFactory storage) {
      this.storage = checkNotNull(storage);
      return this;
    }

    /**
     * Keeps resume data in {@code file}: read on start (so unchanged files need no recheck) and
     * written as pieces complete, on pause and on close.
     *
     * @param file the resume data file; created if missing
     * @return this builder
     */
    public Builder resumeFile(Path file) {
      this.resumeFile = checkNotNull(file);
      return this;
    }

    /**
     * Appends a trace of every message in and out of the torrent's peer connections to {@code
     * file}, one line each — the tool for a client that will not interoperate. Lines are {@code
     * TIME PEER DIRECTION EVENT [KEY=VALUE]...}: the session clock's instant (ISO-8601, UTC), the
     * peer's address, {@code in}, {@code out} or {@code --} (an event of the connection), and the
     * event with its decoded fields, such as {@code 2026-12-03T21:50:01.123456Z 127.0.0.1:6881 out
     * request piece=3 offset=16384 length=16384}. Events: {@code connected} (once the peer's
     * handshake arrives: transport, direction, encryption), {@code handshake} (info-hash, peer id,
     * reserved bits, in hex), every message by its BEP name in lower case with dashes ({@code
     * keep-alive}, {@code have-all}, {@code bitfield bytes= set=}, {@code piece piece= offset=
     * length=}, {@code extended id= length=}, {@code hash-request root= base= index= length=
     * proof=} ...), and {@code closed reason= [detail=]}. Written off the I/O loop; if the disk
     * falls behind by 100,000 lines, further lines are dropped and a {@code dropped lines=N} line
     * says so. The file is closed when the torrent is removed or the session closes.
     *
     * @param file the trace file; appended to if it exists
     * @return this builder
     */
    public Builder wireTrace(Path file) {
      this.wireTrace = checkNotNull(file);
      return this;
    }

    /**
     * Sets whether the torrent starts paused.
     *
     * @param paused {@code true} to add the torrent paused, to be resumed by {@link
     *     TorrentHandle#resume()}
     * @return this builder
     */
    public Builder paused(boolean paused) {
      this.paused = paused;
      return this;
    }

    /**
     * Adds a peer to connect to.
     *
     * @param peer the peer's address, possibly unresolved
     * @return this builder
     */
    public Builder peer(InetSocketAddress peer) {
      peers.add(checkNotNull(peer));
      return this;
    }

    /**
     * Sets the priority of each file, in torrent order (files beyond the list are normal). For a
     * magnet link, priorities given here replace the link's BEP 53 {@code so} selection; without
     * them, files outside the selection are skipped.
     *
     * @param priorities the priority of each file, by index; copied
     * @return this builder
     */
    public Builder priorities(List<FilePriority> priorities) {
      this.priorities = List.copyOf(priorities);
      return this;
    }

    /**
     * Sets whether pieces are downloaded in order (for streaming).
     *
     * @param sequential {@code true} to fetch pieces in index order rather than rarest first
     * @return this builder
     */
    public Builder sequential(boolean sequential) {
      this.sequential = sequential;
      return this;
    }

    /**
     * Sets the torrent's download and upload limits in bytes per second (0 for none).
     *
     * @param download the download limit in bytes per second, 0 for none; not negative
     * @param upload the upload limit in bytes per second, 0 for none; not negative
     * @return this builder
     */
    public Builder rateLimits(long download, long upload) {
      checkArgument(download >= 0 && upload >= 0, "negative limit");
      this.downloadRateLimit = download;
      this.uploadRateLimit = upload;
      return this;
    }

    /**
     * Adds a web seed (BEP 19, an {@code http} or {@code https} URL): for a single-file torrent the
     * file itself, for a multi-file torrent the folder holding the torrent's folder.
     *
     * @param url the web seed's {@code http} or {@code https} URL
     * @return this builder
     */
    public Builder webSeed(URI url) {
      webSeeds.add(checkWebSeed(url));
      return this;
    }

    /**
     * Sets whether the web seeds the torrent names (its {@code url-list}, a magnet's {@code ws})
     * are used (the default); web seeds added with {@link #webSeed} always are.
     *
     * @param use {@code false} to ignore the torrent's own web seeds
     * @return this builder
     */
    public Builder linkedWebSeeds(boolean use) {
      this.linkedWebSeeds = use;
      return this;
    }

    /**
     * Gives this torrent limits of its own, in place of the session's ({@link
     * SessionSettings.Builder#shareRatioLimit}, {@link SessionSettings.Builder#seedTimeLimit}): it
     * is paused when it has uploaded {@code ratio} times its size (0: never) or seeded for {@code
     * seedTime} (zero: no limit).
     *
     * @param ratio the share ratio at which the torrent is paused, 0 for none
     * @param seedTime the seeding time after which the torrent is paused, zero for none
     * @return this builder
     * @throws IllegalArgumentException if either is negative
     */
    public Builder shareLimits(double ratio, Duration seedTime) {
      checkArgument(ratio >= 0 && !Double.isInfinite(ratio), "invalid ratio %s", ratio);
      checkArgument(!seedTime.isNegative(), "negative seed time limit");
      this.shareRatioLimit = ratio;
      this.seedTimeLimit = seedTime;
      return this;
    }

    /**
     * Places the files directly in {@code root}, as libtorrent's {@code save_path} does when the
     * torrent's own folder is left out: a launcher's install folder holds the game's files, not a
     * folder of the torrent's name (a multi-file torrent named {@code game} has {@code
     * root/data/level1.pak}, not {@code root/game/data/level1.pak}). A single-file torrent's file
     * lies in {@code root} as it would in a download folder. It replaces the download folder given
     * at first; the paths are as safe as ever (none leaves {@code root}, none goes through a
     * symbolic link).
     *
     * @param root the folder the torrent's files go in
     * @return this builder
     */
    public Builder contentRoot(Path root) {
      this.downloadFolder = checkNotNull(root);
      this.contentRoot = true;
      return this;
    }

    /**
     * Stores file {@code file} (its index in the torrent's files) at {@code relativePath} below the
     * download folder or content root instead of its path in the torrent ({@code /}-separated), as
     * libtorrent's {@code rename_file} — a launcher that keeps its executable elsewhere than the
     * torrent says. The path is as safe as any (it cannot leave the folder; a rename onto another
     * file of the torrent fails the torrent when its storage opens).
     *
     * @param file the file's index in the torrent's files
     * @param relativePath the file's path below the folder, {@code /}-separated
     * @return this builder
     * @throws IllegalArgumentException if the index is negative, or the path is empty, absolute, or
     *     has an empty, {@code .} or {@code ..} component, a backslash or a NUL character
     */
    public Builder renameFile(int file, String relativePath) {
      StorageLayout.downloadFolder(downloadFolder).withRename(file, relativePath); // checks it
      renames.put(file, relativePath);
      return this;
    }

    private StorageLayout layout() {
      StorageLayout layout =
          contentRoot
              ? StorageLayout.contentRoot(downloadFolder)
              : StorageLayout.downloadFolder(downloadFolder);
      for (Map.Entry<Integer, String> rename : renames.entrySet()) {
        layout = layout.withRename(rename.getKey(), rename.getValue());
      }
      return layout;
    }

    /**
     * Sets seed mode, as libtorrent's {@code seed_mode}: the files are known to be complete (a
     * launcher's own install, say), so the torrent seeds at once instead of hashing every piece
     * first. Every piece whose files hold all its bytes (one look at each file's size) is trusted
     * and verified on the disk executor before its first upload; pieces whose files are missing or
     * short are downloaded. A piece that fails its check takes the torrent out of seed mode: a
     * {@link SessionEvent.HashFailed} event, a warning in the log, and a check of every piece,
     * after which the torrent downloads what is wrong. Resume data records only verified pieces.
     * Resume data is not read in seed mode. Default: off.
     *
     * @param seedMode {@code true} to trust complete files and seed at once; needs a torrent, not a
     *     magnet link
     * @return this builder
     */
    public Builder seedMode(boolean seedMode) {
      this.seedMode = seedMode;
      return this;
    }

    /**
     * {@return the request}
     *
     * @throws IllegalArgumentException if seed mode is asked of a magnet link (there are no files
     *     to trust before the metadata is known)
     */
    public AddTorrent build() {
      checkArgument(!seedMode || torrent != null, "seed mode needs the torrent, not a magnet link");
      return new AddTorrent(this);
    }
  }
}
