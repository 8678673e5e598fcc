package dev.bitwright.session.internal.engine;

import dev.bitwright.session.SessionConfig;
import dev.bitwright.session.SessionSettings;
import dev.bitwright.session.internal.discovery.DiscoveryServices;
import dev.bitwright.session.internal.net.Connection;
import dev.bitwright.session.internal.net.ConnectionHandler;
import dev.bitwright.session.internal.net.EngineIo;
import dev.bitwright.session.internal.net.EngineLoop;
import dev.bitwright.session.internal.net.PeerDialer;
import dev.bitwright.session.internal.peer.OutputBuffers;
import dev.bitwright.session.internal.peer.PeerConnection;
import dev.bitwright.session.internal.peer.PeerEnvironment;
import dev.bitwright.session.internal.peer.PeerOwner;
import dev.bitwright.session.internal.telemetry.DiskCounters;
import dev.bitwright.session.internal.torrent.TorrentRuntime;
import dev.bitwright.wire.EncryptionPolicy;
import dev.bitwright.wire.PeerId;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session's side of its peer connections: the connections it dials and admits within the {@link
 * ConnectionSlots} its torrents share, and what every connection sees of the session (its {@link
 * PeerEnvironment}: identity, encryption, the torrents a handshake may name). Loop thread only.
 */
final class SessionConnections implements PeerEnvironment {
  // The engine's logger: these are its connections.
  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  private final SessionConfig config;
  private final Supplier<SessionSettings> settings;
  private final EngineIo transport;
  private final PeerDialer dialer;
  private final RandomGenerator secureRandom;
  private final PeerId peerId;
  private final TorrentRegistry torrents;
  private final DiscoveryServices discovery;
  private final ConnectionSlots slots;
  private final DiskCounters diskCounters;
  private final OutputBuffers outputBuffers = new OutputBuffers();

  SessionConnections(
      SessionConfig config,
      Supplier<SessionSettings> settings,
      EngineIo transport,
      PeerDialer dialer,
      RandomGenerator secureRandom,
      PeerId peerId,
      TorrentRegistry torrents,
      DiscoveryServices discovery,
      DiskCounters diskCounters) {
    this.config = config;
    this.settings = settings;
    this.transport = transport;
    this.dialer = dialer;
    this.secureRandom = secureRandom;
    this.peerId = peerId;
    this.torrents = torrents;
    this.discovery = discovery;
    this.slots = new ConnectionSlots(settings.get().maxConnections());
    this.diskCounters = diskCounters;
  }

  /** Changes the most connections: those above it close, the least useful first. */
  void limit(int max) {
    slots.limit(max, transport.nanoTime());
  }

  /** Returns how many more connections the session may open now. */
  int room() {
    return slots.room();
  }

  /** Opens a connection to {@code address} for {@code torrent}, if a slot is free. */
  void connect(TorrentRuntime torrent, InetSocketAddress address, boolean plaintextOnly) {
    if (room() <= 0) {
      torrent.peerSet().notDialled(address);
      return;
    }
    PeerConnection peer = new PeerConnection(this, torrent.peerSet(), true, plaintextOnly);
    log.debug("connecting to {} (plaintext only: {})", address, plaintextOnly);
    slots.opened(peer);
    dialer.connect(address, config.connectTimeout().toNanos(), peer);
  }

  /**
   * Returns the handler of an incoming connection, or null to refuse it (no slot free, or its
   * transport turned off).
   */
  ConnectionHandler accept(Connection connection) {
    if (!dialer.admits(connection)) {
      return null;
    }
    PeerConnection peer = new PeerConnection(this, null, false, false);
    return slots.admitIncoming(peer, connection.remoteAddress().getAddress()) ? peer : null;
  }

  /** An incoming connection finished its handshake. */
  void handshakeDone(PeerConnection peer) {
    slots.handshakeDone(peer);
  }

  /** A torrent's connection closed: its slot is free. */
  void closed(PeerConnection peer) {
    slots.closed(peer);
  }

  @Override
  public EngineLoop loop() {
    return transport;
  }

  @Override
  public EncryptionPolicy encryption() {
    return settings.get().encryption();
  }

  @Override
  public RandomGenerator secureRandom() {
    return secureRandom;
  }

  @Override
  public PeerId peerId() {
    return peerId;
  }

  @Override
  public boolean dhtRunning() {
    return discovery.dhtRunning();
  }

  @Override
  public OutputBuffers outputBuffers() {
    return outputBuffers;
  }

  @Override
  public DiskCounters diskCounters() {
    return diskCounters;
  }

  /** Returns how many connections hold a slot now. */
  int open() {
    return slots.open();
  }

  /** Returns how many connections took a slot over the session's life. */
  long openedTotal() {
    return slots.openedTotal();
  }

  @Override
  public Optional<byte[]> infoHashForReq2(byte[] req2) {
    return torrents.infoHashForReq2(req2);
  }

  @Override
  public PeerOwner ownerFor(byte[] infoHash) {
    TorrentRuntime torrent = torrents.byHash(infoHash);
    return torrent == null ? null : torrent.peerSet();
  }

  @Override
  public void closedUnowned(PeerConnection peer) {
    slots.closed(peer);
  }
}
