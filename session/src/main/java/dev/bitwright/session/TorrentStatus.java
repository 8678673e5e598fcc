package dev.bitwright.session;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.base.MoreObjects;
import com.google.common.collect.ImmutableList;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of a torrent, taken on the I/O thread and published a few times a second. Immutable.
 *
 * <p>Compatibility: this class grows. A later release may add accessors (a new figure of the
 * torrent), never remove or change one; it has no public constructor, so that adding one breaks no
 * caller. Code that makes snapshots of its own (a fake in a test, a UI preview) uses {@link
 * #builder()}, whose methods likewise only grow, and every field a builder is not given has the
 * value of a torrent that has done nothing yet (empty name, {@link TorrentState#CHECKING}, zeros,
 * empty lists and optionals).
 */
public final class TorrentStatus {
  private final String name;
  private final TorrentState state;
  private final double progress;
  private final long bytesDone;
  private final long bytesWanted;
  private final int piecesDone;
  private final int pieceCount;
  private final long downloadRate;
  private final long uploadRate;
  private final long downloaded;
  private final long uploaded;
  private final List<PeerInfo> peers;
  private final Optional<Duration> eta;
  private final Optional<String> error;
  private final List<WebSeedInfo> webSeeds;
  private final int piecesAssumed;
  private final Optional<TrackerCounts> trackerCounts;

  private TorrentStatus(Builder b) {
    this.name = b.name;
    this.state = b.state;
    this.progress = b.progress;
    this.bytesDone = b.bytesDone;
    this.bytesWanted = b.bytesWanted;
    this.piecesDone = b.piecesDone;
    this.pieceCount = b.pieceCount;
    this.downloadRate = b.downloadRate;
    this.uploadRate = b.uploadRate;
    this.downloaded = b.downloaded;
    this.uploaded = b.uploaded;
    this.peers = ImmutableList.copyOf(b.peers);
    this.eta = b.eta;
    this.error = b.error;
    this.webSeeds = ImmutableList.copyOf(b.webSeeds);
    this.piecesAssumed = b.piecesAssumed;
    this.trackerCounts = b.trackerCounts;
  }

  /**
   * {@return a builder of snapshots, every field at the value of a torrent that did nothing yet}
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder that starts from this snapshot} */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.name = name;
    b.state = state;
    b.progress = progress;
    b.bytesDone = bytesDone;
    b.bytesWanted = bytesWanted;
    b.piecesDone = piecesDone;
    b.pieceCount = pieceCount;
    b.downloadRate = downloadRate;
    b.uploadRate = uploadRate;
    b.downloaded = downloaded;
    b.uploaded = uploaded;
    b.peers = peers;
    b.eta = eta;
    b.error = error;
    b.webSeeds = webSeeds;
    b.piecesAssumed = piecesAssumed;
    b.trackerCounts = trackerCounts;
    return b;
  }

  /** {@return the torrent's name (the magnet's display name while metadata is missing)} */
  public String name() {
    return name;
  }

  /** {@return the state} */
  public TorrentState state() {
    return state;
  }

  /** {@return the share of wanted bytes verified, 0 to 1} */
  public double progress() {
    return progress;
  }

  /** {@return wanted bytes verified} */
  public long bytesDone() {
    return bytesDone;
  }

  /** {@return wanted bytes in all (0 while metadata is missing)} */
  public long bytesWanted() {
    return bytesWanted;
  }

  /** {@return verified pieces (in seed mode, trusted ones too)} */
  public int piecesDone() {
    return piecesDone;
  }

  /** {@return pieces in all} */
  public int pieceCount() {
    return pieceCount;
  }

  /** {@return payload bytes per second received} */
  public long downloadRate() {
    return downloadRate;
  }

  /** {@return payload bytes per second sent} */
  public long uploadRate() {
    return uploadRate;
  }

  /** {@return payload bytes received since the torrent was added} */
  public long downloaded() {
    return downloaded;
  }

  /** {@return payload bytes sent since the torrent was added} */
  public long uploaded() {
    return uploaded;
  }

  /** {@return the connected peers} */
  public List<PeerInfo> peers() {
    return peers;
  }

  /** {@return the estimated time to completion at the current rate, if downloading} */
  public Optional<Duration> eta() {
    return eta;
  }

  /** {@return what stopped the torrent, in {@link TorrentState#ERROR}} */
  public Optional<String> error() {
    return error;
  }

  /**
   * {@return the torrent's web seeds (BEP 19); their bytes count in {@code downloaded} and {@code
   * downloadRate} too}
   */
  public List<WebSeedInfo> webSeeds() {
    return webSeeds;
  }

  /**
   * {@return pieces seed mode trusts and has not verified yet (0 out of seed mode); they count in
   * {@code piecesDone}}
   */
  public int piecesAssumed() {
    return piecesAssumed;
  }

  /**
   * {@return what the trackers last said of the swarm (seeders, leechers, downloads), if one did}
   */
  public Optional<TrackerCounts> trackerCounts() {
    return trackerCounts;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TorrentStatus s
        && name.equals(s.name)
        && state == s.state
        && Double.compare(progress, s.progress) == 0
        && bytesDone == s.bytesDone
        && bytesWanted == s.bytesWanted
        && piecesDone == s.piecesDone
        && pieceCount == s.pieceCount
        && downloadRate == s.downloadRate
        && uploadRate == s.uploadRate
        && downloaded == s.downloaded
        && uploaded == s.uploaded
        && peers.equals(s.peers)
        && eta.equals(s.eta)
        && error.equals(s.error)
        && webSeeds.equals(s.webSeeds)
        && piecesAssumed == s.piecesAssumed
        && trackerCounts.equals(s.trackerCounts);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        name,
        state,
        progress,
        bytesDone,
        bytesWanted,
        piecesDone,
        pieceCount,
        downloadRate,
        uploadRate,
        downloaded,
        uploaded,
        peers,
        eta,
        error,
        webSeeds,
        piecesAssumed,
        trackerCounts);
  }

  @Override
  public String toString() {
    return MoreObjects.toStringHelper(this)
        .add("name", name)
        .add("state", state)
        .add("progress", progress)
        .add("bytesDone", bytesDone)
        .add("bytesWanted", bytesWanted)
        .add("piecesDone", piecesDone)
        .add("pieceCount", pieceCount)
        .add("downloadRate", downloadRate)
        .add("uploadRate", uploadRate)
        .add("downloaded", downloaded)
        .add("uploaded", uploaded)
        .add("peers", peers)
        .add("eta", eta)
        .add("error", error)
        .add("webSeeds", webSeeds)
        .add("piecesAssumed", piecesAssumed)
        .add("trackerCounts", trackerCounts)
        .toString();
  }

  /** Makes {@link TorrentStatus} snapshots; its methods only grow (see the class's comment). */
  public static final class Builder {
    private String name = "";
    private TorrentState state = TorrentState.CHECKING;
    private double progress = 0;
    private long bytesDone = 0;
    private long bytesWanted = 0;
    private int piecesDone = 0;
    private int pieceCount = 0;
    private long downloadRate = 0;
    private long uploadRate = 0;
    private long downloaded = 0;
    private long uploaded = 0;
    private List<PeerInfo> peers = List.of();
    private Optional<Duration> eta = Optional.empty();
    private Optional<String> error = Optional.empty();
    private List<WebSeedInfo> webSeeds = List.of();
    private int piecesAssumed = 0;
    private Optional<TrackerCounts> trackerCounts = Optional.empty();

    private Builder() {}

    /**
     * Sets the torrent's name (the magnet's display name while metadata is missing).
     *
     * @param name the torrent's name
     * @return this builder
     */
    public Builder name(String name) {
      this.name = checkNotNull(name);
      return this;
    }

    /**
     * Sets the state.
     *
     * @param state the torrent's state
     * @return this builder
     */
    public Builder state(TorrentState state) {
      this.state = checkNotNull(state);
      return this;
    }

    /**
     * Sets the share of wanted bytes verified, 0 to 1.
     *
     * @param progress the share of wanted bytes verified, 0 to 1
     * @return this builder
     */
    public Builder progress(double progress) {
      this.progress = progress;
      return this;
    }

    /**
     * Sets wanted bytes verified.
     *
     * @param bytesDone wanted bytes verified
     * @return this builder
     */
    public Builder bytesDone(long bytesDone) {
      this.bytesDone = bytesDone;
      return this;
    }

    /**
     * Sets wanted bytes in all (0 while metadata is missing).
     *
     * @param bytesWanted the bytes of the wanted files, 0 while the metadata is missing
     * @return this builder
     */
    public Builder bytesWanted(long bytesWanted) {
      this.bytesWanted = bytesWanted;
      return this;
    }

    /**
     * Sets verified pieces (in seed mode, trusted ones too).
     *
     * @param piecesDone verified pieces, trusted ones in seed mode included
     * @return this builder
     */
    public Builder piecesDone(int piecesDone) {
      this.piecesDone = piecesDone;
      return this;
    }

    /**
     * Sets pieces in all.
     *
     * @param pieceCount the torrent's number of pieces
     * @return this builder
     */
    public Builder pieceCount(int pieceCount) {
      this.pieceCount = pieceCount;
      return this;
    }

    /**
     * Sets payload bytes per second received.
     *
     * @param downloadRate payload bytes per second received, from peers and web seeds
     * @return this builder
     */
    public Builder downloadRate(long downloadRate) {
      this.downloadRate = downloadRate;
      return this;
    }

    /**
     * Sets payload bytes per second sent.
     *
     * @param uploadRate payload bytes per second sent
     * @return this builder
     */
    public Builder uploadRate(long uploadRate) {
      this.uploadRate = uploadRate;
      return this;
    }

    /**
     * Sets payload bytes received since the torrent was added.
     *
     * @param downloaded payload bytes received since the torrent was added
     * @return this builder
     */
    public Builder downloaded(long downloaded) {
      this.downloaded = downloaded;
      return this;
    }

    /**
     * Sets payload bytes sent since the torrent was added.
     *
     * @param uploaded payload bytes sent since the torrent was added
     * @return this builder
     */
    public Builder uploaded(long uploaded) {
      this.uploaded = uploaded;
      return this;
    }

    /**
     * Sets the connected peers.
     *
     * @param peers the connected peers; copied
     * @return this builder
     */
    public Builder peers(List<PeerInfo> peers) {
      this.peers = checkNotNull(peers);
      return this;
    }

    /**
     * Sets the estimated time to completion at the current rate, if downloading.
     *
     * @param eta the estimated time to completion, or empty when not downloading
     * @return this builder
     */
    public Builder eta(Optional<Duration> eta) {
      this.eta = checkNotNull(eta);
      return this;
    }

    /**
     * Sets what stopped the torrent, in {@link TorrentState#ERROR}.
     *
     * @param error what stopped the torrent, or empty when it is not in {@link TorrentState#ERROR}
     * @return this builder
     */
    public Builder error(Optional<String> error) {
      this.error = checkNotNull(error);
      return this;
    }

    /**
     * Sets the torrent's web seeds (BEP 19); their bytes count in {@code downloaded} and {@code
     * downloadRate} too.
     *
     * @param webSeeds the torrent's web seeds; copied
     * @return this builder
     */
    public Builder webSeeds(List<WebSeedInfo> webSeeds) {
      this.webSeeds = checkNotNull(webSeeds);
      return this;
    }

    /**
     * Sets pieces seed mode trusts and has not verified yet (0 out of seed mode); they count in
     * {@code piecesDone}.
     *
     * @param piecesAssumed pieces trusted in seed mode and not yet verified
     * @return this builder
     */
    public Builder piecesAssumed(int piecesAssumed) {
      this.piecesAssumed = piecesAssumed;
      return this;
    }

    /**
     * Sets what the trackers last said of the swarm.
     *
     * @param trackerCounts the seeders, leechers and downloads the trackers last reported, or empty
     *     if none did
     * @return this builder
     */
    public Builder trackerCounts(Optional<TrackerCounts> trackerCounts) {
      this.trackerCounts = checkNotNull(trackerCounts);
      return this;
    }

    /** {@return the snapshot} */
    public TorrentStatus build() {
      return new TorrentStatus(this);
    }
  }
}
