package dev.bitwright.session.internal.engine;

import dev.bitwright.dht.DhtStats;
import dev.bitwright.session.Metric;
import dev.bitwright.session.SessionMetrics;
import dev.bitwright.session.internal.discovery.LsdCounters;
import dev.bitwright.session.internal.telemetry.DiskCounters;
import dev.bitwright.session.internal.torrent.TorrentRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Builds the session's metrics snapshot from its parts (loop thread). */
final class SessionMetricSnapshots {
  private SessionMetricSnapshots() {}

  static SessionMetrics of(
      Instant time,
      Duration uptime,
      List<TorrentRuntime> torrents,
      SessionConnections connections,
      long diskBacklog,
      DiskCounters disk,
      Optional<DhtStats> dht,
      LsdCounters lsd) {
    SessionMetrics.Builder m = SessionMetrics.builder(time, uptime);
    long peers = 0;
    for (TorrentRuntime t : torrents) {
      var metrics = t.metrics();
      peers += metrics.get(Metric.PEERS);
      m.torrent(metrics);
    }
    int open = connections.open();
    m.set(Metric.TORRENTS, torrents.size())
        .set(Metric.CONNECTIONS, open)
        .set(Metric.CONNECTIONS_HANDSHAKING, Math.max(0, open - peers))
        .set(Metric.CONNECTIONS_OPENED, connections.openedTotal())
        .set(Metric.DISK_QUEUED, Math.max(0, diskBacklog))
        .set(Metric.DISK_WRITES, disk.writes())
        .set(Metric.DISK_WRITTEN, disk.writtenBytes())
        .set(Metric.DISK_WRITE_TIME, disk.writeNanos())
        .set(Metric.DISK_WRITE_QUEUE_TIME, disk.writeQueueNanos())
        .set(Metric.DISK_READS, disk.reads())
        .set(Metric.DISK_READ, disk.readBytes())
        .set(Metric.DISK_READ_TIME, disk.readNanos())
        .set(Metric.LSD_ANNOUNCES_SENT, lsd.sent())
        .set(Metric.LSD_ANNOUNCES_RECEIVED, lsd.received())
        .set(Metric.LSD_DATAGRAMS_IGNORED, lsd.ignored());
    dht.ifPresent(
        d ->
            m.set(Metric.DHT_NODES, d.routingTableSizeV4() + d.routingTableSizeV6())
                .set(Metric.DHT_QUERIES_OUTSTANDING, d.outstandingQueries())
                .set(Metric.DHT_LOOKUPS, d.activeLookups())
                .set(Metric.DHT_STORED_PEERS, d.storedPeers())
                .set(Metric.DHT_MESSAGES_IN, d.messagesIn())
                .set(Metric.DHT_MESSAGES_OUT, d.messagesOut())
                .set(Metric.DHT_MESSAGES_DROPPED, d.messagesDropped()));
    return m.build();
  }
}
