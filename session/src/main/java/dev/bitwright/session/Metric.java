package dev.bitwright.session;

/**
 * A figure the session counts or measures, read from a {@link SessionMetrics} snapshot.
 *
 * <p>Each metric has a stable dotted {@link #key() key} (the name to publish it under in a metrics
 * system), a {@link Scope scope} (kept for the session as a whole, or for each torrent), a {@link
 * Kind kind} (a counter only grows while the session or torrent lives; a gauge is a level now) and
 * a {@link Unit unit}. A torrent's counters start at zero when it is added to the session, also
 * when it is added from resume data.
 *
 * <p>Compatibility: this enum grows. A later release may add constants, never remove or rename one
 * nor change its key, scope, kind or unit; code that switches over it needs a default branch.
 */
public enum Metric {
  /** Payload bytes received from peers, counted as they arrive (before the hash check). */
  DOWNLOADED_FROM_PEERS(
      "bitwright.torrent.downloaded.peers", Scope.TORRENT, Kind.COUNTER, Unit.BYTES),
  /** Payload bytes received from web seeds (BEP 19), counted as they arrive. */
  DOWNLOADED_FROM_WEB_SEEDS(
      "bitwright.torrent.downloaded.webseeds", Scope.TORRENT, Kind.COUNTER, Unit.BYTES),
  /** Payload bytes sent to peers. */
  UPLOADED("bitwright.torrent.uploaded", Scope.TORRENT, Kind.COUNTER, Unit.BYTES),
  /** Bytes of pieces that failed their hash check and are fetched again. */
  WASTED("bitwright.torrent.wasted", Scope.TORRENT, Kind.COUNTER, Unit.BYTES),
  /**
   * Bytes of blocks received that were not needed: never requested, already received from another
   * peer (end game) or for a piece no longer wanted.
   */
  REDUNDANT("bitwright.torrent.redundant", Scope.TORRENT, Kind.COUNTER, Unit.BYTES),
  /** Pieces that failed their hash check. */
  HASH_FAILURES("bitwright.torrent.hash.failures", Scope.TORRENT, Kind.COUNTER, Unit.COUNT),
  /** Pieces downloaded that passed their hash check (not those found on disk by a check). */
  PIECES_VERIFIED("bitwright.torrent.pieces.verified", Scope.TORRENT, Kind.COUNTER, Unit.COUNT),
  /** Block requests sent to peers. */
  REQUESTS_SENT("bitwright.torrent.requests.sent", Scope.TORRENT, Kind.COUNTER, Unit.COUNT),
  /** Block requests withdrawn because another peer delivered the block first (end game). */
  REQUESTS_CANCELLED(
      "bitwright.torrent.requests.cancelled", Scope.TORRENT, Kind.COUNTER, Unit.COUNT),
  /** Block requests peers rejected (BEP 6). */
  REQUESTS_REJECTED("bitwright.torrent.requests.rejected", Scope.TORRENT, Kind.COUNTER, Unit.COUNT),
  /** Rounds of the choker, which picks the peers to upload to. */
  CHOKE_ROUNDS("bitwright.torrent.choke.rounds", Scope.TORRENT, Kind.COUNTER, Unit.COUNT),
  /** Times a peer was unchoked (may download from us now), in the choker's rounds or between. */
  UNCHOKES("bitwright.torrent.unchokes", Scope.TORRENT, Kind.COUNTER, Unit.COUNT),
  /**
   * Times a peer was choked (may no longer download from us), in the choker's rounds or between.
   */
  CHOKES("bitwright.torrent.chokes", Scope.TORRENT, Kind.COUNTER, Unit.COUNT),
  /** Peers connected with their handshake done. */
  PEERS("bitwright.torrent.peers", Scope.TORRENT, Kind.GAUGE, Unit.COUNT),
  /** Of {@link #PEERS}, those over uTP (the rest are over TCP). */
  PEERS_OVER_UTP("bitwright.torrent.peers.utp", Scope.TORRENT, Kind.GAUGE, Unit.COUNT),
  /** Peers we are interested in (they have pieces we want). */
  PEERS_INTERESTING("bitwright.torrent.peers.interesting", Scope.TORRENT, Kind.GAUGE, Unit.COUNT),
  /** Peers interested in us. */
  PEERS_INTERESTED("bitwright.torrent.peers.interested", Scope.TORRENT, Kind.GAUGE, Unit.COUNT),
  /** Peers we unchoke (may download from us). */
  PEERS_UNCHOKED("bitwright.torrent.peers.unchoked", Scope.TORRENT, Kind.GAUGE, Unit.COUNT),
  /** Peers that unchoke us (we may download from them). */
  PEERS_UNCHOKING_US("bitwright.torrent.peers.unchoking", Scope.TORRENT, Kind.GAUGE, Unit.COUNT),
  /** Block requests sent to peers and not answered yet. */
  REQUESTS_OUTSTANDING(
      "bitwright.torrent.requests.outstanding", Scope.TORRENT, Kind.GAUGE, Unit.COUNT),
  /** Block requests from peers waiting to be served. */
  UPLOADS_QUEUED("bitwright.torrent.uploads.queued", Scope.TORRENT, Kind.GAUGE, Unit.COUNT),
  /** Torrents in the session. */
  TORRENTS("bitwright.session.torrents", Scope.SESSION, Kind.GAUGE, Unit.COUNT),
  /**
   * Peer connections that count against the session's limit: handshaking or running, over either
   * transport.
   */
  CONNECTIONS("bitwright.session.connections", Scope.SESSION, Kind.GAUGE, Unit.COUNT),
  /** Of {@link #CONNECTIONS}, those still connecting or handshaking. */
  CONNECTIONS_HANDSHAKING(
      "bitwright.session.connections.handshaking", Scope.SESSION, Kind.GAUGE, Unit.COUNT),
  /** Peer connections the session opened or accepted, over its life. */
  CONNECTIONS_OPENED(
      "bitwright.session.connections.opened", Scope.SESSION, Kind.COUNTER, Unit.COUNT),
  /** Bytes waiting for the disk: received and not written yet (reading pauses when too many). */
  DISK_QUEUED("bitwright.session.disk.queued", Scope.SESSION, Kind.GAUGE, Unit.BYTES),
  /** Writes of downloaded data: single blocks, or whole pieces assembled in memory. */
  DISK_WRITES("bitwright.session.disk.writes", Scope.SESSION, Kind.COUNTER, Unit.COUNT),
  /** Bytes of downloaded data written. */
  DISK_WRITTEN("bitwright.session.disk.written", Scope.SESSION, Kind.COUNTER, Unit.BYTES),
  /** Time spent in the writes of {@link #DISK_WRITES} (hashing a whole piece included). */
  DISK_WRITE_TIME(
      "bitwright.session.disk.write.time", Scope.SESSION, Kind.COUNTER, Unit.NANOSECONDS),
  /** Time the writes of {@link #DISK_WRITES} waited in the queue before they started. */
  DISK_WRITE_QUEUE_TIME(
      "bitwright.session.disk.write.queue.time", Scope.SESSION, Kind.COUNTER, Unit.NANOSECONDS),
  /** Reads of stored data to upload (a zero-copy transfer to a socket counts as one). */
  DISK_READS("bitwright.session.disk.reads", Scope.SESSION, Kind.COUNTER, Unit.COUNT),
  /** Bytes of stored data read to upload. */
  DISK_READ("bitwright.session.disk.read", Scope.SESSION, Kind.COUNTER, Unit.BYTES),
  /** Time spent in the reads of {@link #DISK_READS}. */
  DISK_READ_TIME("bitwright.session.disk.read.time", Scope.SESSION, Kind.COUNTER, Unit.NANOSECONDS),
  /** Nodes in the DHT's routing tables, IPv4 and IPv6 (0 when the DHT is off). */
  DHT_NODES("bitwright.session.dht.nodes", Scope.SESSION, Kind.GAUGE, Unit.COUNT),
  /** DHT queries sent and not yet answered or timed out. */
  DHT_QUERIES_OUTSTANDING(
      "bitwright.session.dht.queries.outstanding", Scope.SESSION, Kind.GAUGE, Unit.COUNT),
  /** DHT lookups running. */
  DHT_LOOKUPS("bitwright.session.dht.lookups", Scope.SESSION, Kind.GAUGE, Unit.COUNT),
  /** Peers other nodes announced to our DHT node, over all info-hashes. */
  DHT_STORED_PEERS("bitwright.session.dht.stored.peers", Scope.SESSION, Kind.GAUGE, Unit.COUNT),
  /** DHT datagrams received. */
  DHT_MESSAGES_IN("bitwright.session.dht.messages.in", Scope.SESSION, Kind.COUNTER, Unit.COUNT),
  /** DHT datagrams sent. */
  DHT_MESSAGES_OUT("bitwright.session.dht.messages.out", Scope.SESSION, Kind.COUNTER, Unit.COUNT),
  /** DHT datagrams received and dropped: malformed, unsolicited, rate limited or invalid. */
  DHT_MESSAGES_DROPPED(
      "bitwright.session.dht.messages.dropped", Scope.SESSION, Kind.COUNTER, Unit.COUNT),
  /** Local Service Discovery announces sent: one datagram per interface and address family. */
  LSD_ANNOUNCES_SENT(
      "bitwright.session.lsd.announces.sent", Scope.SESSION, Kind.COUNTER, Unit.COUNT),
  /** Other peers' Local Service Discovery announces received and handled. */
  LSD_ANNOUNCES_RECEIVED(
      "bitwright.session.lsd.announces.received", Scope.SESSION, Kind.COUNTER, Unit.COUNT),
  /**
   * Datagrams on the Local Service Discovery port ignored: malformed, from outside the networks of
   * the interfaces it runs on, or over its rate limit.
   */
  LSD_DATAGRAMS_IGNORED(
      "bitwright.session.lsd.datagrams.ignored", Scope.SESSION, Kind.COUNTER, Unit.COUNT);

  /** Whom a metric is kept for. */
  public enum Scope {
    /** The session as a whole. */
    SESSION,
    /**
     * Each torrent; the session's figure is the sum over the torrents in it now (a removed
     * torrent's counts leave the sum).
     */
    TORRENT
  }

  /** How a metric moves. */
  public enum Kind {
    /** Only grows while its session or torrent lives; rates come from differences. */
    COUNTER,
    /** A level now, which goes up and down. */
    GAUGE
  }

  /** What a metric's value counts. */
  public enum Unit {
    /** Things: pieces, peers, messages. */
    COUNT,
    /** Bytes. */
    BYTES,
    /** Nanoseconds. */
    NANOSECONDS
  }

  private final String key;
  private final Scope scope;
  private final Kind kind;
  private final Unit unit;

  Metric(String key, Scope scope, Kind kind, Unit unit) {
    this.key = key;
    this.scope = scope;
    this.kind = kind;
    this.unit = unit;
  }

  /** {@return the metric's stable dotted name, such as {@code bitwright.torrent.uploaded}} */
  public String key() {
    return key;
  }

  /** {@return whom the metric is kept for} */
  public Scope scope() {
    return scope;
  }

  /** {@return whether the metric is a counter or a gauge} */
  public Kind kind() {
    return kind;
  }

  /** {@return what the metric's value counts} */
  public Unit unit() {
    return unit;
  }
}
