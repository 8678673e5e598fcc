package dev.bitwright.session.internal.torrent;

import dev.bitwright.metainfo.InfoHashes;
import dev.bitwright.session.SessionConfig;
import dev.bitwright.session.SessionEvent;
import dev.bitwright.session.SessionSettings;
import dev.bitwright.session.internal.data.DiskAccess;
import dev.bitwright.session.internal.discovery.DiscoveryTarget;
import dev.bitwright.session.internal.discovery.HostResolver;
import dev.bitwright.session.internal.peer.PeerConnection;
import dev.bitwright.session.internal.web.WebSeedClient;
import dev.bitwright.tracker.AnnounceRequest;
import dev.bitwright.tracker.AnnounceResponse;
import dev.bitwright.tracker.ScrapeStats;
import dev.bitwright.wire.PeerId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * What a torrent needs from the session that runs it: the loop, shared settings and identity,
 * connection slots, the shared rate limits and disk resources, trackers, the DHT, and event
 * delivery. The engine implements it; a torrent never sees the engine itself.
 */
public interface TorrentHost extends DiskAccess {
  /** Returns the session's configuration. */
  SessionConfig config();

  /** Returns the settings in force now (they may change while the session runs). */
  SessionSettings settings();

  /** Scrapes one torrent at a tracker (any thread; the future completes on any thread). */
  CompletableFuture<ScrapeStats> scrape(String url, byte[] infoHash);

  /** Returns our peer id. */
  PeerId peerId();

  /** Returns the TCP port we listen on. */
  int listenPort();

  /** Returns the key sent in announces (BEP 7's {@code key}). */
  int announceKey();

  /** Delivers an event to the session's listeners. */
  void emit(SessionEvent event);

  /** Registers the hashes {@code torrent} is also known by (a hybrid's, learnt with metadata). */
  void alsoKnownAs(TorrentRuntime torrent, InfoHashes hashes);

  /** Resolves host names off the loop. */
  HostResolver resolver();

  /** Returns how many more connections the session may open now. */
  int connectionRoom();

  /** Opens a connection to {@code address} for {@code torrent}. */
  void connect(TorrentRuntime torrent, InetSocketAddress address, boolean plaintextOnly);

  /** A peer said (BEP 11's uTP flag) that {@code address} speaks uTP: dial it over uTP first. */
  void speaksUtp(InetSocketAddress address);

  /** An incoming connection finished its handshake and joined a torrent. */
  void adoptIncoming(PeerConnection peer);

  /** A torrent's connection closed. */
  void connectionClosed(PeerConnection peer);

  /** Returns the session-wide download limit. */
  TokenBucket downloadLimit();

  /** Returns the session-wide upload limit. */
  TokenBucket uploadLimit();

  /** Stops reading from {@code peer} while the disk is behind; returns whether it did. */
  boolean holdIfDiskBehind(PeerConnection peer);

  /** Announces to a tracker (HTTP or UDP). */
  CompletableFuture<AnnounceResponse> announce(String url, AnnounceRequest request);

  /** Starts announcing {@code torrent} on the DHT and the local network, where they are on. */
  void startDiscovering(DiscoveryTarget torrent);

  /** Stops announcing {@code torrent} on the DHT and the local network. */
  void stopDiscovering(DiscoveryTarget torrent);

  /** Returns our DHT node's UDP port, or 0 when it does not run. */
  int dhtPort();

  /** Returns the client that fetches from web seeds. */
  WebSeedClient webSeedClient();

  /** Adds a DHT node a peer told us of (BEP 5 {@code port}). */
  void addDhtNode(InetAddress address, int port);
}
