package dev.bitwright.session;

import com.google.common.collect.ImmutableList;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A snapshot of a torrent, taken on the I/O thread and published a few times a second.
 *
 * @param name the torrent's name (the magnet's display name while metadata is missing)
 * @param state the state
 * @param progress the share of wanted bytes verified, 0 to 1
 * @param bytesDone wanted bytes verified
 * @param bytesWanted wanted bytes in all (0 while metadata is missing)
 * @param piecesDone verified pieces
 * @param pieceCount pieces in all
 * @param downloadRate payload bytes per second received
 * @param uploadRate payload bytes per second sent
 * @param downloaded payload bytes received since the torrent was added
 * @param uploaded payload bytes sent since the torrent was added
 * @param peers the connected peers
 * @param eta the estimated time to completion at the current rate, if downloading
 * @param error what stopped the torrent, in {@link TorrentState#ERROR}
 * @param webSeeds the torrent's web seeds (BEP 19); their bytes count in {@code downloaded} and
 *     {@code downloadRate} too
 */
public record TorrentStatus(
    String name,
    TorrentState state,
    double progress,
    long bytesDone,
    long bytesWanted,
    int piecesDone,
    int pieceCount,
    long downloadRate,
    long uploadRate,
    long downloaded,
    long uploaded,
    List<PeerInfo> peers,
    Optional<Duration> eta,
    Optional<String> error,
    List<WebSeedInfo> webSeeds) {

  /** Creates a snapshot; the lists are copied. */
  public TorrentStatus {
    peers = ImmutableList.copyOf(peers);
    webSeeds = ImmutableList.copyOf(webSeeds);
  }
}
