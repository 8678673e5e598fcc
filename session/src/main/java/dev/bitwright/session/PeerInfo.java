package dev.bitwright.session;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.base.MoreObjects;
import com.google.common.collect.Sets;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one connected peer. Immutable.
 *
 * <p>Compatibility: as {@link TorrentStatus}, this class grows — accessors are added, never
 * removed; there is no public constructor; {@link #builder()} makes snapshots for tests and
 * previews, every field it is not given at the value of a new connection.
 */
public final class PeerInfo {
  private final InetSocketAddress address;
  private final Optional<String> client;
  private final long downloadRate;
  private final long uploadRate;
  private final long downloaded;
  private final long uploaded;
  private final double progress;
  private final Set<Flag> flags;
  private final int pieceCount;
  private final int requestsToPeer;
  private final int requestsFromPeer;
  private final PeerSource source;
  private final PeerTransport transport;
  private final Optional<Duration> requestLatency;

  private PeerInfo(Builder b) {
    this.address = checkNotNull(b.address, "address");
    this.client = b.client;
    this.downloadRate = b.downloadRate;
    this.uploadRate = b.uploadRate;
    this.downloaded = b.downloaded;
    this.uploaded = b.uploaded;
    this.progress = b.progress;
    this.flags = b.flags.isEmpty() ? Set.of() : Sets.immutableEnumSet(EnumSet.copyOf(b.flags));
    this.pieceCount = b.pieceCount;
    this.requestsToPeer = b.requestsToPeer;
    this.requestsFromPeer = b.requestsFromPeer;
    this.source = b.source;
    this.transport = b.transport;
    this.requestLatency = b.requestLatency;
  }

  /** {@return a builder of snapshots; the address must be given} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder that starts from this snapshot} */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.address = address;
    b.client = client;
    b.downloadRate = downloadRate;
    b.uploadRate = uploadRate;
    b.downloaded = downloaded;
    b.uploaded = uploaded;
    b.progress = progress;
    b.flags = flags;
    b.pieceCount = pieceCount;
    b.requestsToPeer = requestsToPeer;
    b.requestsFromPeer = requestsFromPeer;
    b.source = source;
    b.transport = transport;
    b.requestLatency = requestLatency;
    return b;
  }

  /** {@return the peer's address} */
  public InetSocketAddress address() {
    return address;
  }

  /** {@return the client name its peer id announces, if known} */
  public Optional<String> client() {
    return client;
  }

  /** {@return bytes per second received from it} */
  public long downloadRate() {
    return downloadRate;
  }

  /** {@return bytes per second sent to it} */
  public long uploadRate() {
    return uploadRate;
  }

  /** {@return payload bytes received from it in all} */
  public long downloaded() {
    return downloaded;
  }

  /** {@return payload bytes sent to it in all} */
  public long uploaded() {
    return uploaded;
  }

  /** {@return the share of the torrent it has, 0 to 1} */
  public double progress() {
    return progress;
  }

  /** {@return the connection's state} */
  public Set<Flag> flags() {
    return flags;
  }

  /** {@return how many pieces it has (all of them for a seed)} */
  public int pieceCount() {
    return pieceCount;
  }

  /** {@return how many blocks we asked it for and wait for} */
  public int requestsToPeer() {
    return requestsToPeer;
  }

  /** {@return how many blocks it asked us for that wait to be sent} */
  public int requestsFromPeer() {
    return requestsFromPeer;
  }

  /** {@return where the torrent learnt of it} */
  public PeerSource source() {
    return source;
  }

  /** {@return what the connection runs over} */
  public PeerTransport transport() {
    return transport;
  }

  /**
   * {@return how long the peer takes to answer a block request, from sending it to the block's
   * arrival — a round trip plus the peer's own queue, a mean over timed requests — once one was
   * timed}
   */
  public Optional<Duration> requestLatency() {
    return requestLatency;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerInfo s
        && address.equals(s.address)
        && client.equals(s.client)
        && downloadRate == s.downloadRate
        && uploadRate == s.uploadRate
        && downloaded == s.downloaded
        && uploaded == s.uploaded
        && Double.compare(progress, s.progress) == 0
        && flags.equals(s.flags)
        && pieceCount == s.pieceCount
        && requestsToPeer == s.requestsToPeer
        && requestsFromPeer == s.requestsFromPeer
        && source == s.source
        && transport == s.transport
        && requestLatency.equals(s.requestLatency);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        address,
        client,
        downloadRate,
        uploadRate,
        downloaded,
        uploaded,
        progress,
        flags,
        pieceCount,
        requestsToPeer,
        requestsFromPeer,
        source,
        transport,
        requestLatency);
  }

  @Override
  public String toString() {
    return MoreObjects.toStringHelper(this)
        .add("address", address)
        .add("client", client)
        .add("downloadRate", downloadRate)
        .add("uploadRate", uploadRate)
        .add("downloaded", downloaded)
        .add("uploaded", uploaded)
        .add("progress", progress)
        .add("flags", flags)
        .add("pieceCount", pieceCount)
        .add("requestsToPeer", requestsToPeer)
        .add("requestsFromPeer", requestsFromPeer)
        .add("source", source)
        .add("transport", transport)
        .add("requestLatency", requestLatency)
        .toString();
  }

  /** The state of a connection. */
  public enum Flag {
    /** We opened the connection. */
    OUTGOING,
    /** The connection is encrypted (MSE with RC4). */
    ENCRYPTED,
    /** We want pieces from the peer. */
    INTERESTED,
    /** The peer chokes us: it serves no requests. */
    CHOKED,
    /** The peer wants pieces from us. */
    PEER_INTERESTED,
    /** We choke the peer. */
    PEER_CHOKED,
    /** The peer has every piece. */
    SEED,
    /** The peer supports the Fast extension (BEP 6). */
    FAST,
    /** The peer supports the extension protocol (BEP 10). */
    EXTENSIONS,
    /** The peer sent no block for a while though we asked: its requests go elsewhere. */
    SNUBBED
  }

  /** Makes {@link PeerInfo} snapshots; its methods only grow. */
  public static final class Builder {
    private @Nullable InetSocketAddress address;
    private Optional<String> client = Optional.empty();
    private long downloadRate = 0;
    private long uploadRate = 0;
    private long downloaded = 0;
    private long uploaded = 0;
    private double progress = 0;
    private Set<Flag> flags = Set.of();
    private int pieceCount = 0;
    private int requestsToPeer = 0;
    private int requestsFromPeer = 0;
    private PeerSource source = PeerSource.MANUAL;
    private PeerTransport transport = PeerTransport.TCP;
    private Optional<Duration> requestLatency = Optional.empty();

    private Builder() {}

    /**
     * Sets the peer's address.
     *
     * @param address the peer's address
     * @return this builder
     */
    public Builder address(InetSocketAddress address) {
      this.address = checkNotNull(address);
      return this;
    }

    /**
     * Sets the client name its peer id announces, if known.
     *
     * @param client the client name, or empty if unknown
     * @return this builder
     */
    public Builder client(Optional<String> client) {
      this.client = checkNotNull(client);
      return this;
    }

    /**
     * Sets bytes per second received from it.
     *
     * @param downloadRate bytes per second received from the peer
     * @return this builder
     */
    public Builder downloadRate(long downloadRate) {
      this.downloadRate = downloadRate;
      return this;
    }

    /**
     * Sets bytes per second sent to it.
     *
     * @param uploadRate bytes per second sent to the peer
     * @return this builder
     */
    public Builder uploadRate(long uploadRate) {
      this.uploadRate = uploadRate;
      return this;
    }

    /**
     * Sets payload bytes received from it in all.
     *
     * @param downloaded payload bytes received from the peer in all
     * @return this builder
     */
    public Builder downloaded(long downloaded) {
      this.downloaded = downloaded;
      return this;
    }

    /**
     * Sets payload bytes sent to it in all.
     *
     * @param uploaded payload bytes sent to the peer in all
     * @return this builder
     */
    public Builder uploaded(long uploaded) {
      this.uploaded = uploaded;
      return this;
    }

    /**
     * Sets the share of the torrent it has, 0 to 1.
     *
     * @param progress the share of the torrent the peer has, 0 to 1
     * @return this builder
     */
    public Builder progress(double progress) {
      this.progress = progress;
      return this;
    }

    /**
     * Sets the connection's state.
     *
     * @param flags the choke, interest and other flags of the connection
     * @return this builder
     */
    public Builder flags(Set<Flag> flags) {
      this.flags = checkNotNull(flags);
      return this;
    }

    /**
     * Sets how many pieces it has (all of them for a seed).
     *
     * @param pieceCount the number of pieces the peer has
     * @return this builder
     */
    public Builder pieceCount(int pieceCount) {
      this.pieceCount = pieceCount;
      return this;
    }

    /**
     * Sets how many blocks we asked it for and wait for.
     *
     * @param requestsToPeer blocks requested from the peer and not yet received
     * @return this builder
     */
    public Builder requestsToPeer(int requestsToPeer) {
      this.requestsToPeer = requestsToPeer;
      return this;
    }

    /**
     * Sets how many blocks it asked us for that wait to be sent.
     *
     * @param requestsFromPeer blocks the peer requested and we have not sent yet
     * @return this builder
     */
    public Builder requestsFromPeer(int requestsFromPeer) {
      this.requestsFromPeer = requestsFromPeer;
      return this;
    }

    /**
     * Sets where the torrent learnt of it.
     *
     * @param source how the torrent learnt of the peer
     * @return this builder
     */
    public Builder source(PeerSource source) {
      this.source = checkNotNull(source);
      return this;
    }

    /**
     * Sets what the connection runs over.
     *
     * @param transport TCP or uTP
     * @return this builder
     */
    public Builder transport(PeerTransport transport) {
      this.transport = checkNotNull(transport);
      return this;
    }

    /**
     * Sets how long the peer takes to answer a block request, if known.
     *
     * @param requestLatency the peer's typical time to answer a block request, or empty if not
     *     measured yet
     * @return this builder
     */
    public Builder requestLatency(Optional<Duration> requestLatency) {
      this.requestLatency = checkNotNull(requestLatency);
      return this;
    }

    /**
     * {@return the snapshot}
     *
     * @throws NullPointerException if no address was given
     */
    public PeerInfo build() {
      return new PeerInfo(this);
    }
  }
}
