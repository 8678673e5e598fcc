package dev.bitwright.session.internal.torrent;

import dev.bitwright.session.CloseReason;
import dev.bitwright.session.FailureReason;
import dev.bitwright.session.PeerSource;
import dev.bitwright.session.SessionEvent;
import dev.bitwright.session.internal.jfr.PeerConnectedEvent;
import dev.bitwright.session.internal.jfr.PeerDisconnectedEvent;
import dev.bitwright.session.internal.peer.PeerCandidates;
import dev.bitwright.session.internal.peer.PeerConnection;
import dev.bitwright.session.internal.peer.PeerKey;
import dev.bitwright.session.internal.peer.PeerOwner;
import dev.bitwright.session.internal.peer.WireTrace;
import dev.bitwright.session.internal.telemetry.TorrentLog;
import dev.bitwright.storage.PieceStore;
import dev.bitwright.wire.EncryptionPolicy;
import dev.bitwright.wire.PeerId;
import dev.bitwright.wire.PeerMessage;
import dev.bitwright.wire.WireLimits;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * One torrent's peers: the connected ones, the candidates to dial (with their back-offs and bans),
 * who is admitted after the handshake, and how many more connections to open. It owns the torrent's
 * connections: they report to it, and it passes their news to the torrent's parts. Loop thread
 * only.
 */
public final class PeerSet implements PeerOwner {
  private static final Logger log = LoggerFactory.getLogger(PeerSet.class);
  private static final long RETRY_PLAINTEXT_NANOS = 500_000_000L;

  private final TorrentRuntime torrent;
  private final TorrentHost host;
  private final List<PeerConnection> peers = new ArrayList<>();
  private final List<PeerConnection> view = Collections.unmodifiableList(peers);
  private final PeerCandidates candidates = new PeerCandidates();

  PeerSet(TorrentRuntime torrent, TorrentHost host) {
    this.torrent = torrent;
    this.host = host;
  }

  /** Returns the connected peers (a live, unmodifiable view). */
  List<PeerConnection> connected() {
    return view;
  }

  /** Closes every connected peer for {@code reason}. */
  void closeAll(CloseReason reason) {
    for (PeerConnection p : List.copyOf(peers)) {
      p.close(reason);
    }
  }

  void addCandidate(InetSocketAddress address, PeerSource source) {
    candidates.add(address, source);
  }

  /** Returns where the torrent learnt of {@code peer}. */
  PeerSource sourceOf(PeerConnection peer) {
    return peer.isOutgoing()
        ? candidates.sourceOf(peer.address()).orElse(PeerSource.MANUAL)
        : PeerSource.INCOMING;
  }

  /**
   * Adds peers given by the user (the request, the magnet's {@code x.pe}, by hand): host names are
   * resolved off the loop first, each to every address it has.
   *
   * @param now whether to dial them at once, even if they were tried a moment ago
   */
  void addGiven(List<InetSocketAddress> given, boolean now, PeerSource source) {
    host.resolver()
        .resolve(given)
        .thenAccept(resolved -> host.loop().execute(() -> addResolved(resolved, now, source)));
  }

  private void addResolved(List<InetSocketAddress> resolved, boolean now, PeerSource source) {
    for (InetSocketAddress a : resolved) {
      candidates.add(a, source);
      if (now) {
        candidates.retryNow(a, host.loop().nanoTime());
      }
    }
    connectMore();
  }

  /** Lets every candidate be dialled again at once (the torrent started or wants pieces again). */
  void restarted() {
    candidates.restarted(host.loop().nanoTime());
  }

  /** Returns whether a candidate may be dialled now. */
  boolean candidateReady(long now) {
    return candidates.anyReady(now);
  }

  /** A connection attempt could not even start: the candidate may be tried again later. */
  public void notDialled(InetSocketAddress address) {
    candidates.released(address, false, host.loop().nanoTime());
  }

  /** Opens connections up to the torrent's and the session's limits. */
  void connectMore() {
    if (!torrent.isActive()) {
      return;
    }
    int room = connectionRoom();
    for (InetSocketAddress address : candidates.take(Math.max(0, room), host.loop().nanoTime())) {
      host.connect(torrent, address, false);
    }
  }

  /** Closes the peers above {@code max}, those that moved the fewest bytes lately first. */
  public void trim(int max) {
    int surplus = peers.size() - max;
    if (surplus <= 0) {
      return;
    }
    List<PeerConnection> order = new ArrayList<>(peers);
    order.sort(PeerConnection.byRecentBytes(host.loop().nanoTime()));
    for (PeerConnection p : order.subList(0, surplus)) {
      p.close(CloseReason.TOO_MANY_CONNECTIONS);
    }
  }

  /** Returns how many more connections this torrent may open now. */
  int connectionRoom() {
    return Math.min(
        host.settings().maxConnectionsPerTorrent() - peers.size(), host.connectionRoom());
  }

  @Override
  public CloseReason refusal(PeerConnection peer) {
    PeerId id = peer.state().peerId();
    if (!torrent.isActive()) {
      return CloseReason.TORRENT_NOT_RUNNING;
    }
    if (id.equals(host.peerId())) {
      return CloseReason.SELF_CONNECTION;
    }
    if (candidates.isBanned(peer.key())) {
      return CloseReason.BANNED;
    }
    for (PeerConnection other : peers) {
      if (id.equals(other.state().peerId())) {
        return CloseReason.DUPLICATE_PEER;
      }
    }
    if (!peer.isOutgoing() && peers.size() >= host.settings().maxConnectionsPerTorrent()) {
      return CloseReason.TOO_MANY_CONNECTIONS;
    }
    return null;
  }

  /** A peer finished its handshake and was admitted. */
  void joined(PeerConnection peer) {
    if (!peer.isOutgoing()) {
      host.adoptIncoming(peer);
    }
    peers.add(peer);
    candidates.inUse(peer.address());
  }

  /** A connection closed; returns whether it was one of the connected peers. */
  boolean left(PeerConnection peer, boolean wasActive, boolean refusedMse) {
    host.connectionClosed(peer);
    boolean removed = peers.remove(peer);
    InetSocketAddress address = peer.address();
    if (refusedMse
        && peer.isOutgoing()
        && !peer.isPlaintextOnly()
        && torrent.isActive()
        && host.settings().encryption() == EncryptionPolicy.ENABLED) {
      // The peer refused MSE: try plaintext, after a pause (libtorrent drops a connection that
      // follows a failed one from the same address too closely).
      host.loop().schedule(RETRY_PLAINTEXT_NANOS, () -> retryPlaintext(address));
      return removed;
    }
    candidates.released(address, !wasActive, host.loop().nanoTime());
    connectMore();
    return removed;
  }

  private void retryPlaintext(InetSocketAddress address) {
    if (torrent.isActive()) {
      host.connect(torrent, address, true);
    }
  }

  /** Bans {@code peer} (by address and peer id) and closes it. */
  void ban(PeerConnection peer) {
    candidates.ban(peer.key(), peer.listenEndpoint());
    peer.close(CloseReason.BANNED);
  }

  /** Returns whether {@code key} is banned. */
  boolean isBanned(PeerKey key) {
    return candidates.isBanned(key);
  }

  /** Bans a peer that is no longer connected. */
  void ban(PeerKey key) {
    candidates.ban(key, null);
  }

  // ---------------------------------------------------------------- the owner of the connections

  @Override
  public byte[] wireHash() {
    return torrent.wireHash();
  }

  @Override
  public WireLimits wireLimits() {
    return torrent.wireLimits();
  }

  @Override
  public void ready(PeerConnection peer) {
    joined(peer);
    torrent.emit(
        new SessionEvent.PeerConnected(
            torrent.time(), torrent.infoHashes(), peer.address(), peer.clientName().orElse("")));
    PeerConnectedEvent.record(
        torrent.infoHashes(),
        peer.address(),
        peer.clientName().orElse(""),
        peer.overUtp(),
        peer.isOutgoing(),
        peer.isEncrypted());
    torrent.protocol().connected(peer);
    torrent.metadata().peerReady();
    // Between the once-a-second snapshots, a new peer shows at once: a short-lived one would
    // otherwise never appear in the status.
    torrent.publishStatus();
  }

  @Override
  public PeerMessage.Handler messageHandler(PeerConnection peer) {
    return torrent.protocol().handlerFor(peer);
  }

  @Override
  public void afterMessages(PeerConnection peer) {
    torrent.protocol().afterMessages(peer);
  }

  @Override
  public void closed(
      PeerConnection peer,
      CloseReason reason,
      String detail,
      boolean wasActive,
      boolean refusedMse) {
    TorrentLog.at(log, Level.DEBUG, torrent.logKey()).log(
        "{}: {} closed: {} ({})", torrent.name(), peer, reason.description(), detail);
    if (left(peer, wasActive, refusedMse)) {
      torrent.protocol().disconnected(peer);
      torrent.metadata().peerGone(peer);
      torrent.emit(
          new SessionEvent.PeerDisconnected(
              torrent.time(),
              torrent.infoHashes(),
              peer.address(),
              reason,
              Optional.ofNullable(detail)));
      PeerDisconnectedEvent.record(
          torrent.infoHashes(),
          peer.address(),
          reason.name(),
          detail,
          peer.activity().connectedFor(torrent.nanoTime()),
          peer.activity().downloaded(),
          peer.activity().uploaded());
    }
  }

  @Override
  public boolean mayUpload(PeerConnection peer, int bytes) {
    return torrent.transfer().mayUpload(peer, bytes);
  }

  @Override
  public void uploaded(PeerConnection peer, int bytes) {
    torrent.transfer().uploaded(bytes);
  }

  @Override
  public WireTrace wireTrace() {
    return torrent.wireTrace();
  }

  @Override
  public PieceStore store() {
    return torrent.data().store();
  }

  @Override
  public void dataMissing(int piece) {
    torrent.fail(
        FailureReason.DATA_MISSING,
        "piece " + piece + " is missing from the files (changed on disk?); recheck",
        null);
  }
}
