package dev.bitwright.session.internal.discovery;

import dev.bitwright.session.internal.telemetry.TorrentLog;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * A torrent whose peers the session looks for on the DHT and by Local Service Discovery, from its
 * first announce until it stops. Loop thread only.
 */
public interface DiscoveryTarget {
  /** Returns the torrent's name, for the logs. */
  String name();

  /** Returns the info-hash that tags the torrent's log lines ({@link TorrentLog}). */
  String logKey();

  /** Returns whether the torrent is private (BEP 27: found by its trackers alone). */
  boolean isPrivate();

  /** Returns the 20-byte hashes peers look the torrent up by. */
  List<byte[]> allWireHashes();

  /** Adds a peer the DHT found. */
  void addDhtPeer(InetSocketAddress peer);

  /** Adds a peer that announced the torrent on the local network (BEP 14). */
  void addLocalPeer(InetSocketAddress peer);
}
