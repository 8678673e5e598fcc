package dev.bitwright.session.internal.torrent;

import dev.bitwright.session.AddTorrent;
import dev.bitwright.session.SessionSettings;
import dev.bitwright.session.TorrentState;
import dev.bitwright.session.internal.telemetry.TorrentLog;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Pauses a seeding torrent at its share ratio or seed time limit (the torrent's own, or else the
 * session's), as qBittorrent and Transmission do. Seed time counts while the torrent seeds. Loop
 * thread only; checked once a second.
 */
final class ShareLimits {
  private static final Logger log = LoggerFactory.getLogger(ShareLimits.class);

  private final TorrentRuntime torrent;
  private long seedingNanos;
  private long lastTick = -1;

  ShareLimits(TorrentRuntime torrent) {
    this.torrent = torrent;
  }

  void tick(long now) {
    TorrentState state = torrent.state();
    if (state != TorrentState.SEEDING && state != TorrentState.FINISHED) {
      lastTick = -1;
      return;
    }
    if (lastTick >= 0) {
      seedingNanos += now - lastTick;
    }
    lastTick = now;
    AddTorrent request = torrent.request();
    SessionSettings settings = torrent.host().settings();
    double ratioLimit = request.shareRatioLimit().orElse(settings.shareRatioLimit());
    Duration timeLimit = request.seedTimeLimit().orElse(settings.seedTimeLimit());
    TransferLimits transfer = torrent.transfer();
    long base =
        Math.max(transfer.downloaded(), torrent.dataKnown() ? torrent.data().bytesWanted() : 0);
    double ratio = base == 0 ? 0 : (double) transfer.uploaded() / base;
    if (ratioLimit > 0 && ratio >= ratioLimit) {
      TorrentLog.at(log, Level.INFO, torrent.logKey()).log(
          "{}: share ratio {} reached its limit {}: paused", torrent.name(), ratio, ratioLimit);
      torrent.pause();
    } else if (!timeLimit.isZero() && seedingNanos >= timeLimit.toNanos()) {
      TorrentLog.at(log, Level.INFO, torrent.logKey()).log(
          "{}: seeded for {}, its limit: paused", torrent.name(), timeLimit);
      torrent.pause();
    }
  }
}
