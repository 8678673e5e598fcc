package dev.bitwright.session.internal;

import dev.bitwright.session.TorrentState;
import dev.bitwright.wire.AllowedFastSet;
import dev.bitwright.wire.DontHave;
import dev.bitwright.wire.ExtensionHandshake;
import dev.bitwright.wire.MetadataAssembler;
import dev.bitwright.wire.MetadataMessage;
import dev.bitwright.wire.PeerMessage;
import dev.bitwright.wire.PexMessage;
import dev.bitwright.wire.PexSender;
import dev.bitwright.wire.UploadOnly;
import dev.bitwright.wire.WireException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What peer messages mean for a torrent: availability and interest, choking, the request pipeline
 * (its depth follows each peer's rate, as libtorrent's {@code request_queue_time}), serving
 * requests, the Fast extension, and the extension protocol (ut_metadata, ut_pex, lt_donthave). Loop
 * thread only.
 */
final class PeerProtocol {
  static final int UT_PEX = 1;
  static final int UT_METADATA = 2;
  static final int LT_DONTHAVE = 3;
  static final int UPLOAD_ONLY = 4;
  private static final int MIN_PIPELINE = 16;
  private static final int MAX_PIPELINE = 500;
  private static final long QUEUE_TIME_NANOS = 3_000_000_000L;
  private static final int MAX_QUEUED_UPLOADS = 500;
  private static final long KEEP_ALIVE_NANOS = 120_000_000_000L;
  private static final long SILENCE_NANOS = 180_000_000_000L;
  private static final long SNUB_NANOS = 60_000_000_000L;

  /** The most pieces metadata of the largest size accepted can describe (20 bytes per piece). */
  private static final int MAX_PIECES = MetadataAssembler.MAX_METADATA_SIZE / 20;

  /** How many allowed fast pieces we take from one peer. */
  private static final int MAX_ALLOWED_FAST_FOR_US = 64;

  private static final int MAX_SUGGESTED = 16;

  /**
   * How many pieces of its allowed fast set a peer is offered, and how many pieces it may have
   * before we stop serving them (BEP 6: for starting peers only). BEP 6 suggests 10; 5, as
   * libtorrent, spends less of a lone seed's upload on pieces several new peers fetch at once.
   */
  private static final int ALLOWED_FAST = 5;

  private static final int METADATA_BACKLOG = 32 * 1024;
  private static final long METADATA_WINDOW_NANOS = 60_000_000_000L;

  private final TorrentRuntime torrent;
  private final Map<PeerConnection, PexSender> pex = new LinkedHashMap<>();
  private final Map<PeerConnection, Boolean> havesSent = new LinkedHashMap<>();

  PeerProtocol(TorrentRuntime torrent) {
    this.torrent = torrent;
  }

  private boolean dataKnown() {
    return torrent.data != null && torrent.data.checked();
  }

  void connected(PeerConnection p) {
    // The bitfield (or have-all/none) must come first (BEP 3, BEP 6).
    sendHaves(p);
    if (p.remoteHandshake.supportsExtensionProtocol()) {
      sendExtensionHandshake(p);
    }
    // BEP 5: tell a peer that runs a DHT node where ours is.
    if (p.remoteHandshake.supportsDht()
        && torrent.engine.dht().map(DhtService::isRunning).orElse(false)) {
      int port = torrent.engine.udpPort().port();
      if (port > 0) {
        p.send(new PeerMessage.Port(port));
      }
    }
  }

  private void sendExtensionHandshake(PeerConnection p) {
    Map<String, Integer> m = new HashMap<>();
    m.put(ExtensionHandshake.UT_METADATA, UT_METADATA);
    m.put(ExtensionHandshake.LT_DONTHAVE, LT_DONTHAVE);
    m.put(ExtensionHandshake.UPLOAD_ONLY, UPLOAD_ONLY);
    if (!isPrivate()) {
      m.put(ExtensionHandshake.UT_PEX, UT_PEX);
    }
    OptionalInt metadataSize =
        torrent.data == null ? OptionalInt.empty() : OptionalInt.of(torrent.data.infoBytes.length);
    ExtensionHandshake ours =
        new ExtensionHandshake(
            m,
            Optional.of(torrent.engine.config().userAgent()),
            OptionalInt.of(torrent.engine.listenPort()),
            OptionalInt.of(MAX_QUEUED_UPLOADS),
            Optional.of(p.address().getAddress()),
            metadataSize,
            torrent.isUploadOnly(),
            torrent.engine.config().encryption() != dev.bitwright.wire.EncryptionPolicy.DISABLED);
    p.send(new PeerMessage.Extended(0, ours.encode()));
  }

  /** Returns whether the torrent is known to be private (BEP 27: no PEX, no DHT). */
  private boolean isPrivate() {
    return torrent.data != null && torrent.data.torrent.isPrivate();
  }

  /**
   * Tells a peer that we stopped or restarted downloading (BEP 21 upload only), if it understands
   * the message; a peer that only uploads too is of no use to us any more and is closed.
   */
  void uploadOnlyChanged(PeerConnection p) {
    if (p.phase != PeerConnection.Phase.ACTIVE) {
      return;
    }
    p.sendExtended(ExtensionHandshake.UPLOAD_ONLY, new UploadOnly(torrent.isUploadOnly()).encode());
    closeIfBothUploadOnly(p);
  }

  /** Closes the connection when neither side downloads any more: it would only hold slots. */
  private void closeIfBothUploadOnly(PeerConnection p) {
    if (p.peerUploadOnly && torrent.isUploadOnly() && !p.peerInterested) {
      p.close("both only upload");
    }
  }

  /** Sends our pieces once the data is checked: have-all, have-none or a bitfield. */
  void sendHaves(PeerConnection p) {
    if (!dataKnown() || havesSent.containsKey(p) || p.phase != PeerConnection.Phase.ACTIVE) {
      return;
    }
    havesSent.put(p, true);
    BitSet have = torrent.data.picker.haveSet();
    int count = torrent.data.map.pieceCount();
    boolean fast = p.remoteHandshake.supportsFast();
    if (fast && have.cardinality() == count) {
      p.send(new PeerMessage.HaveAll());
    } else if (fast && have.isEmpty()) {
      p.send(new PeerMessage.HaveNone());
    } else if (!have.isEmpty()) {
      byte[] bits = new byte[(count + 7) / 8];
      have.stream().forEach(i -> bits[i >>> 3] |= (byte) (0x80 >>> (i & 7)));
      p.send(new PeerMessage.Bitfield(bits));
    }
    if (fast) {
      sendAllowedFast(p, have);
    }
  }

  /** Returns whether {@code p} still starts: it has no more pieces than its allowed fast set. */
  private static boolean startingPeer(PeerConnection p) {
    return !p.peerSeed && p.peerHave.cardinality() <= ALLOWED_FAST;
  }

  /**
   * Offers a Fast peer the pieces of its BEP 6 allowed fast set that we have, so that a new peer
   * gets something to trade before it is unchoked.
   */
  private void sendAllowedFast(PeerConnection p, BitSet have) {
    if (!(p.address().getAddress() instanceof Inet4Address ip)) {
      return; // BEP 6 defines the set for IPv4 peers only
    }
    int count = torrent.data.map.pieceCount();
    for (int piece : AllowedFastSet.generate(ALLOWED_FAST, count, torrent.wireHash(), ip)) {
      if (have.get(piece)) {
        p.allowedFastForThem.set(piece);
        p.send(new PeerMessage.AllowedFast(piece));
      }
    }
  }

  void handle(PeerConnection p, PeerMessage m) {
    if (m instanceof PeerMessage.Piece piece) {
      piece(p, piece);
    } else if (m instanceof PeerMessage.Have have) {
      have(p, have.piece());
    } else if (m instanceof PeerMessage.Request r) {
      request(p, r);
    } else if (m instanceof PeerMessage.Unchoke) {
      p.peerChoking = false;
      fillRequests(p);
    } else if (m instanceof PeerMessage.Choke) {
      p.peerChoking = true;
      if (!p.remoteHandshake.supportsFast()) {
        dropRequests(p);
      }
    } else if (m instanceof PeerMessage.Interested) {
      p.peerInterested = true;
      unchokeIfSlotFree(p);
    } else if (m instanceof PeerMessage.NotInterested) {
      p.peerInterested = false;
    } else if (m instanceof PeerMessage.Bitfield b) {
      bitfield(p, b);
    } else if (m instanceof PeerMessage.HaveAll) {
      haveAll(p);
    } else if (m instanceof PeerMessage.HaveNone) {
      updateInterest(p);
    } else if (m instanceof PeerMessage.Cancel c) {
      Block block = new Block(c.piece(), c.offset(), c.length());
      if (p.cancelUpload(block) && p.remoteHandshake.supportsFast()) {
        p.send(new PeerMessage.Reject(c.piece(), c.offset(), c.length()));
      }
    } else if (m instanceof PeerMessage.Reject r) {
      Block block = new Block(r.piece(), r.offset(), r.length());
      if (p.requested.remove(block) && dataKnown()) {
        torrent.data.picker.requestDropped(block);
      }
    } else if (m instanceof PeerMessage.AllowedFast a) {
      // Bounded like have indexes before the piece count is known, and in number.
      if (a.piece() < MAX_PIECES && p.allowedFastForUs.cardinality() < MAX_ALLOWED_FAST_FOR_US) {
        p.allowedFastForUs.set(a.piece());
        fillRequests(p);
      }
    } else if (m instanceof PeerMessage.Suggest s) {
      suggest(p, s.piece());
    } else if (m instanceof PeerMessage.Extended e) {
      extended(p, e);
    } else if (m instanceof PeerMessage.Port port) {
      // One per connection: each one costs our DHT node a ping from its shared query budget.
      if (port.port() > 0 && !p.dhtPortReceived) {
        p.dhtPortReceived = true;
        torrent.engine.dht().ifPresent(d -> d.addNode(p.address().getAddress(), port.port()));
      }
    } else if (m instanceof PeerMessage.HashRequest h) {
      if (torrent.data != null) {
        torrent.data.hashes.request(p, h.request());
      } else {
        p.send(new PeerMessage.HashReject(h.request()));
      }
    } else if (m instanceof PeerMessage.Hashes h) {
      if (torrent.layers != null) {
        torrent.layers.received(p, h).ifPresent(torrent::pieceLayersReceived);
      }
    } else if (m instanceof PeerMessage.HashReject r) {
      if (torrent.layers != null) {
        torrent.layers.rejected(p, r);
      }
    }
  }

  /** Remembers a suggested piece: among the pieces of the best priority, it is started first. */
  private void suggest(PeerConnection p, int piece) {
    if (piece >= MAX_PIECES || p.suggested.get(piece)) {
      return;
    }
    if (p.suggestionOrder.size() >= MAX_SUGGESTED) {
      p.suggested.clear(p.suggestionOrder.poll());
    }
    p.suggested.set(piece);
    p.suggestionOrder.add(piece);
  }

  private void have(PeerConnection p, int piece) {
    if (p.peerSeed || p.peerHave.get(piece)) {
      return;
    }
    if (!dataKnown() && piece >= MAX_PIECES) {
      // The decoder checks indexes once the piece count is known; before, bound the bit set.
      p.close("have for piece " + piece + ": more pieces than any metadata can describe");
      return;
    }
    p.peerHave.set(piece);
    if (dataKnown()) {
      if (p.countedIn == torrent.data.picker) {
        torrent.data.picker.peerHas(piece);
      }
      if (count(p)) {
        updateInterest(p);
        fillRequests(p);
      }
    }
  }

  private void bitfield(PeerConnection p, PeerMessage.Bitfield b) {
    BitSet bits = new BitSet();
    for (int i = 0; i < b.length() * 8; i++) {
      if (b.has(i)) {
        bits.set(i);
      }
    }
    uncount(p);
    p.peerSeed = false;
    p.peerHave = bits;
    if (dataKnown() && count(p)) {
      updateInterest(p);
    }
  }

  private void haveAll(PeerConnection p) {
    uncount(p);
    p.peerSeed = true;
    if (dataKnown() && count(p)) {
      updateInterest(p);
    }
  }

  /** A peer no longer has {@code piece} (lt_donthave): a seed becomes a peer with the rest. */
  private void dontHave(PeerConnection p, int piece) {
    if (p.peerSeed) {
      uncount(p);
      p.peerSeed = false;
      p.peerHave = new BitSet();
      p.peerHave.set(0, torrent.data.map.pieceCount());
    }
    for (Block b : List.copyOf(p.requested)) {
      if (b.piece() == piece) {
        p.requested.remove(b);
        torrent.data.picker.requestDropped(b);
      }
    }
    if (p.peerHave.get(piece)) {
      p.peerHave.clear(piece);
      if (p.countedIn == torrent.data.picker) {
        BitSet gone = new BitSet();
        gone.set(piece);
        torrent.data.picker.peerGone(gone);
      }
    }
    if (count(p)) {
      updateInterest(p);
    }
  }

  /**
   * Makes the picker count {@code p}'s pieces, unless it does already: peers that told us their
   * pieces before the data was checked (magnet links, checks at start, rechecks with a new picker)
   * are counted once it is. A peer found to have every piece counts as a seed. Returns false when
   * that closed the connection (both sides seeds).
   */
  boolean count(PeerConnection p) {
    PiecePicker picker = torrent.data.picker;
    if (p.countedIn != picker) {
      p.countedIn = picker;
      if (p.peerSeed) {
        picker.seedJoined();
      } else {
        if (p.peerHave.length() > torrent.data.map.pieceCount()) {
          p.peerHave.clear(torrent.data.map.pieceCount(), p.peerHave.length());
        }
        p.peerHave.stream().forEach(picker::peerHas);
      }
    }
    if (!p.peerSeed && p.peerHave.cardinality() == torrent.data.map.pieceCount()) {
      picker.peerGone(p.peerHave);
      picker.seedJoined();
      p.peerSeed = true;
    }
    return !(p.peerSeed && closedBetweenSeeds(p));
  }

  /** Takes {@code p}'s pieces out of the picker's counts, if they are in. */
  private void uncount(PeerConnection p) {
    if (dataKnown() && p.countedIn == torrent.data.picker) {
      if (p.peerSeed) {
        torrent.data.picker.seedLeft();
      } else {
        torrent.data.picker.peerGone(p.peerHave);
      }
    }
    p.countedIn = null;
  }

  /**
   * Closes the connection to a seed when we are seeding too, as {@link TorrentRuntime#finished()}
   * does: neither side wants anything, and the connection would hold one of the other's slots (a
   * finished torrent dials the seeds it knows again after their back-off). Returns whether it did.
   */
  private boolean closedBetweenSeeds(PeerConnection p) {
    if (torrent.isUploadOnly() && torrent.data.picker.isComplete()) {
      p.close("both seeds");
      return true;
    }
    return false;
  }

  /** Sends interested or not interested when that changes. */
  void updateInterest(PeerConnection p) {
    if (!dataKnown() || p.phase != PeerConnection.Phase.ACTIVE) {
      return;
    }
    boolean want = wantsFrom(p);
    if (want != p.amInterested) {
      p.amInterested = want;
      p.send(want ? new PeerMessage.Interested() : new PeerMessage.NotInterested());
    }
    if (want) {
      fillRequests(p);
    }
  }

  private boolean wantsFrom(PeerConnection p) {
    if (torrent.data.picker.isComplete()) {
      return false;
    }
    if (p.peerSeed) {
      return true;
    }
    BitSet missing = torrent.data.picker.haveSet();
    missing.flip(0, torrent.data.map.pieceCount());
    missing.and(p.peerHave);
    for (int i = missing.nextSetBit(0); i >= 0; i = missing.nextSetBit(i + 1)) {
      if (torrent.data.wanted(i)) {
        return true;
      }
    }
    return false;
  }

  /** Keeps the peer's request pipeline full. */
  void fillRequests(PeerConnection p) {
    if (!dataKnown() || !p.amInterested || torrent.state != TorrentState.DOWNLOADING) {
      return;
    }
    boolean choked = p.peerChoking;
    // Choked, only allowed fast pieces may come; in order (sequential or deadline) they would
    // only delay the pieces wanted first, so wait for the unchoke.
    if (choked && (p.allowedFastForUs.isEmpty() || torrent.data.picker.inOrder())) {
      return;
    }
    int depth = pipelineDepth(p);
    int need = depth - p.requested.size();
    if (need <= 0) {
      return;
    }
    List<Block> blocks =
        torrent.data.picker.pick(
            p.peerSeed ? null : p.peerHave,
            need,
            p.requested::contains,
            choked ? p.allowedFastForUs : null,
            p.suggested);
    for (Block b : blocks) {
      p.requested.add(b);
      p.send(new PeerMessage.Request(b.piece(), b.offset(), b.length()));
    }
  }

  private int pipelineDepth(PeerConnection p) {
    long rate = p.downloadRate.rate(torrent.engine.loop().nanoTime());
    long depth = rate * QUEUE_TIME_NANOS / 1_000_000_000L / Block.SIZE;
    int limit = MAX_PIPELINE;
    if (p.extensions != null && p.extensions.requestQueue().isPresent()) {
      limit = Math.min(limit, Math.max(MIN_PIPELINE, p.extensions.requestQueue().getAsInt()));
    }
    return (int) Math.max(MIN_PIPELINE, Math.min(limit, depth));
  }

  private void dropRequests(PeerConnection p) {
    if (dataKnown()) {
      p.requested.forEach(torrent.data.picker::requestDropped);
    }
    p.requested.clear();
  }

  private void piece(PeerConnection p, PeerMessage.Piece m) {
    Block block = new Block(m.piece(), m.offset(), m.length());
    long now = torrent.engine.loop().nanoTime();
    p.lastPieceReceived = now;
    p.snubbed = false;
    torrent.downloaded(p, m.length());
    if (!p.requested.remove(block) || !dataKnown()) {
      return;
    }
    if (torrent.data.picker.received(block)) {
      torrent.data.write(p, block, m.data());
      cancelElsewhere(p, block);
    }
    // Once per read rather than per block (see afterMessages): one pick for all that arrived.
    p.requestsWanted = true;
  }

  /** Called after the messages of one read were handled: refills the peer's pipeline if asked. */
  void afterMessages(PeerConnection p) {
    if (p.requestsWanted) {
      p.requestsWanted = false;
      fillRequests(p);
    }
  }

  /** Endgame: the block arrived; withdraw the same request from other peers. */
  private void cancelElsewhere(PeerConnection from, Block block) {
    for (PeerConnection other : torrent.peers) {
      if (other != from && other.requested.remove(block)) {
        other.send(new PeerMessage.Cancel(block.piece(), block.offset(), block.length()));
        torrent.data.picker.requestDropped(block);
      }
    }
  }

  private void request(PeerConnection p, PeerMessage.Request r) {
    boolean fast = p.remoteHandshake.supportsFast();
    boolean serve =
        dataKnown()
            && (!p.amChoking || (fast && startingPeer(p) && p.allowedFastForThem.get(r.piece())))
            && torrent.data.picker.have(r.piece())
            && p.queuedUploads() < MAX_QUEUED_UPLOADS;
    if (!serve) {
      if (fast) {
        p.send(new PeerMessage.Reject(r.piece(), r.offset(), r.length()));
      }
      return;
    }
    p.queueUpload(new Block(r.piece(), r.offset(), r.length()));
  }

  /**
   * Unchokes a peer that became interested if a slot is free, or held by a peer that wastes it (see
   * {@link Choker}).
   */
  private void unchokeIfSlotFree(PeerConnection p) {
    long now = torrent.engine.loop().nanoTime();
    if (!p.amChoking || !dataKnown() || !Choker.mayBeUnchoked(p, now)) {
      return;
    }
    int unchoked = 0;
    PeerConnection wasting = null;
    Map<InetAddress, List<PeerConnection>> byAddress = new HashMap<>();
    for (PeerConnection other : torrent.peers) {
      if (!other.amChoking) {
        unchoked++;
        if (wasting == null && Choker.wastesSlot(other, now)) {
          wasting = other;
        }
        byAddress.computeIfAbsent(other.address().getAddress(), a -> new ArrayList<>()).add(other);
      }
    }
    if (unchoked >= Choker.REGULAR_SLOTS + 1) {
      if (wasting != null) {
        Choker.penalizeIfNotReading(wasting, now);
        setChoke(wasting, true);
      } else if (!byAddress.containsKey(p.address().getAddress())) {
        // Slots are shared between addresses first: one that holds several gives one up to a
        // peer of an address that holds none (many connections from one address cannot keep
        // everyone else waiting).
        PeerConnection crowded = mostRecentOfCrowdedAddress(byAddress);
        if (crowded == null) {
          return;
        }
        setChoke(crowded, true);
      } else {
        return;
      }
    }
    setChoke(p, false);
  }

  /** Returns the peer unchoked last among those of the address holding the most slots (2+). */
  private static PeerConnection mostRecentOfCrowdedAddress(
      Map<InetAddress, List<PeerConnection>> byAddress) {
    List<PeerConnection> crowded = null;
    for (List<PeerConnection> peers : byAddress.values()) {
      if (peers.size() >= 2 && (crowded == null || peers.size() > crowded.size())) {
        crowded = peers;
      }
    }
    return crowded == null
        ? null
        : crowded.stream().max((a, b) -> Long.signum(a.unchokedAt - b.unchokedAt)).orElseThrow();
  }

  /**
   * Every second: slots wasted while peers wait for one go to those peers, first to peers of
   * addresses that hold the fewest slots (twenty connections from one address must not take turns
   * in front of a peer from another), then to the one unchoked longest ago.
   */
  private void reassignWastedSlots(long now) {
    Map<InetAddress, Integer> slotsByAddress = new HashMap<>();
    List<PeerConnection> waiting = new ArrayList<>();
    for (PeerConnection p : torrent.peers) {
      if (!p.amChoking) {
        slotsByAddress.merge(p.address().getAddress(), 1, Integer::sum);
      } else if (Choker.mayBeUnchoked(p, now)) {
        waiting.add(p);
      }
    }
    waiting.sort(
        Comparator.comparingInt(
                (PeerConnection p) -> slotsByAddress.getOrDefault(p.address().getAddress(), 0))
            .thenComparingLong(p -> p.unchokedAt - now));
    for (PeerConnection p : waiting) {
      unchokeIfSlotFree(p);
      if (!p.amChoking) {
        slotsByAddress.merge(p.address().getAddress(), 1, Integer::sum);
      }
    }
  }

  /** The choker's round: unchoke the chosen, choke the rest. */
  void rechoke(long now) {
    if (!dataKnown()) {
      return;
    }
    List<PeerConnection> chosen =
        torrent.choker.unchoked(torrent.peers, torrent.isUploadOnly(), now);
    for (PeerConnection p : List.copyOf(torrent.peers)) {
      setChoke(p, !chosen.contains(p));
    }
  }

  private void setChoke(PeerConnection p, boolean choke) {
    if (p.amChoking == choke || p.phase != PeerConnection.Phase.ACTIVE) {
      return;
    }
    p.amChoking = choke;
    if (!choke) {
      p.unchokedAt = torrent.engine.loop().nanoTime();
    }
    p.send(choke ? new PeerMessage.Choke() : new PeerMessage.Unchoke());
    if (choke) {
      // BEP 6: a Fast peer keeps its requests through a choke until they are rejected; its
      // allowed fast pieces are still served.
      boolean fast = p.remoteHandshake.supportsFast();
      for (Block b : p.dropUploads(fast ? p.allowedFastForThem : new BitSet())) {
        if (fast) {
          p.send(new PeerMessage.Reject(b.piece(), b.offset(), b.length()));
        }
      }
    }
  }

  /** A piece verified: tell everyone, reconsider interest. */
  void broadcastHave(int piece) {
    for (PeerConnection p : List.copyOf(torrent.peers)) {
      if (p.phase == PeerConnection.Phase.ACTIVE) {
        p.send(new PeerMessage.Have(piece));
        if (p.amInterested && !wantsFrom(p)) {
          p.amInterested = false;
          p.send(new PeerMessage.NotInterested());
        }
      }
    }
  }

  void disconnected(PeerConnection p) {
    pex.remove(p);
    havesSent.remove(p);
    if (torrent.layers != null) {
      torrent.layers.peerGone(p);
    }
    if (torrent.metadata != null) {
      torrent.metadata.peerGone(p);
    }
    if (torrent.data != null) {
      torrent.data.hashes.peerGone(p);
    }
    if (!dataKnown()) {
      return;
    }
    dropRequests(p);
    uncount(p);
  }

  /** Every second: keep-alives, silent and snubbing peers, PEX, requests. */
  void tick(long now) {
    dropASnubberIfBetterWait(now);
    if (dataKnown()) {
      reassignWastedSlots(now);
    }
    // Only peers whose listening port is known: a connection's own port reaches nobody.
    Map<InetSocketAddress, Integer> connected = new HashMap<>();
    for (PeerConnection p : torrent.peers) {
      InetSocketAddress endpoint = p.listenEndpoint();
      if (endpoint != null) {
        connected.put(endpoint, flags(p));
      }
    }
    for (PeerConnection p : List.copyOf(torrent.peers)) {
      if (now - p.lastReceived > SILENCE_NANOS) {
        p.close("silent for 3 minutes");
        continue;
      }
      if (now - p.lastSent > KEEP_ALIVE_NANOS) {
        p.send(new PeerMessage.KeepAlive());
      }
      if (!p.requested.isEmpty()
          && now - Math.max(p.lastPieceReceived, p.connectedAt) > SNUB_NANOS) {
        p.snubbed = true;
        dropRequests(p);
      }
      PexSender sender = pex.computeIfAbsent(p, k -> new PexSender());
      Map<InetSocketAddress, Integer> others = new HashMap<>(connected);
      others.remove(p.listenEndpoint());
      // BEP 27: peers of a private torrent come from its trackers only, never from PEX.
      if (!isPrivate()
          && p.extensions != null
          && p.extensions.idOf(ExtensionHandshake.UT_PEX).isPresent()) {
        sender
            .poll(others, now)
            .ifPresent(msg -> p.sendExtended(ExtensionHandshake.UT_PEX, msg.encode()));
      }
      fillRequests(p);
    }
  }

  /**
   * With no room for more connections and a candidate ready to be tried, closes one peer that snubs
   * us (sent no block for a minute), so that the candidate can take its place.
   */
  private void dropASnubberIfBetterWait(long now) {
    if (!dataKnown()
        || torrent.data.picker.isComplete()
        || torrent.connectionRoom() > 0
        || !torrent.candidates.anyReady(now)) {
      return;
    }
    for (PeerConnection p : torrent.peers) {
      if (p.snubbed) {
        p.close("snubbed us while another peer waits");
        torrent.connectMore();
        return;
      }
    }
  }

  private int flags(PeerConnection p) {
    int f = 0;
    if (p.encrypted) {
      f |= PexMessage.PREFERS_ENCRYPTION;
    }
    if (p.peerSeed) {
      f |= PexMessage.SEED;
    }
    if (p.outgoing) {
      f |= PexMessage.REACHABLE;
    }
    return f;
  }

  private void extended(PeerConnection p, PeerMessage.Extended e) {
    try {
      switch (e.id()) {
        case 0 -> {
          p.extensions = ExtensionHandshake.decode(e.payload());
          p.peerUploadOnly = p.extensions.uploadOnly();
          if (torrent.metadata != null) {
            torrent.metadata.peerReady(p);
          }
          closeIfBothUploadOnly(p);
        }
        case UPLOAD_ONLY -> {
          p.peerUploadOnly = UploadOnly.decode(e.payload()).uploadOnly();
          closeIfBothUploadOnly(p);
        }
        case UT_METADATA -> metadata(p, MetadataMessage.decode(e.payload()));
        case UT_PEX -> pex(PexMessage.decode(e.payload()));
        case LT_DONTHAVE -> {
          if (dataKnown()) {
            dontHave(p, DontHave.decode(e.payload(), torrent.data.map.pieceCount()).piece());
          }
        }
        default -> {
          // an extension we did not announce: ignore
        }
      }
    } catch (WireException ex) {
      p.close("bad extension message: " + ex.getMessage());
    }
  }

  private void metadata(PeerConnection p, MetadataMessage m) throws WireException {
    if (m instanceof MetadataMessage.Request r) {
      MetadataMessage answer =
          torrent.data == null || !mayServeMetadata(p)
              ? new MetadataMessage.Reject(r.piece())
              : MetadataAssembler.serve(torrent.data.infoBytes, r.piece());
      p.sendExtended(ExtensionHandshake.UT_METADATA, answer.encode());
    } else if (torrent.metadata != null) {
      torrent.metadata.received(p, m);
    }
  }

  /**
   * Returns whether a metadata piece may go to {@code p} now: each request costs it 40 bytes and us
   * 16 KiB, so a peer gets the whole metadata twice a minute at most, and nothing while a reply is
   * still waiting for it to read.
   */
  private boolean mayServeMetadata(PeerConnection p) {
    long now = torrent.engine.loop().nanoTime();
    if (now - p.metadataWindowStart > METADATA_WINDOW_NANOS) {
      p.metadataWindowStart = now;
      p.metadataServed = 0;
      p.metadataAsked = 0;
    }
    int pieces =
        (torrent.data.infoBytes.length + MetadataMessage.PIECE_SIZE - 1)
            / MetadataMessage.PIECE_SIZE;
    if (++p.metadataAsked > 8 * pieces + 32) {
      // Asking for it again and again is not fetching it: every request costs us a reply.
      p.close("asks for the metadata over and over");
      return false;
    }
    if (p.pendingOutput() > METADATA_BACKLOG || p.metadataServed >= 2 * pieces + 2) {
      return false;
    }
    p.metadataServed++;
    return true;
  }

  private void pex(PexMessage m) {
    if (isPrivate()) {
      return;
    }
    List<InetSocketAddress> added = new ArrayList<>();
    m.added().forEach(peer -> added.add(peer.address()));
    added.stream().limit(PexMessage.MAX_RECEIVED_ENTRIES).forEach(torrent::addCandidate);
  }
}
