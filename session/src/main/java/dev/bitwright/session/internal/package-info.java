/**
 * The session engine, not part of the API. Its rooms, and the one way their dependencies run
 * (enforced by {@code InternalLayersTest} over the compiled classes):
 *
 * <pre>
 *   engine ──▶ torrent ──▶ data ──▶ peer ──▶ net
 *     │            │                  ▲
 *     │            ├────────▶─────────┤
 *     │            ├──▶ web ───▶──────┘
 *     │            └──▶ discovery ──▶ net
 *     └──▶ portmap ──▶ net
 * </pre>
 *
 * <p>Every room may record the flight recorder events of {@code jfr}, add to the counters of {@code
 * telemetry} and tag its log lines with it, which use no other room.
 *
 * <ul>
 *   <li>{@code net}: the loop ({@code EngineLoop}), byte-stream connections and their transport
 *       (NIO, or a simulated network in tests), UDP sockets and the session's one UDP port,
 *       multicast sockets, wake-up timers, and HTTP bodies read within a bound.
 *   <li>{@code peer}: one connection's bytes and state (MSE, handshake, framing, corking, uploads)
 *       and what it knows of its peer ({@code PeerState}); candidates, rate meters. It knows no
 *       torrent: it reports to a {@code PeerOwner}.
 *   <li>{@code data}: the disk path of one torrent: checking, resume, priorities, the picker, piece
 *       assembly, disk writes, verification, piece blame. It reports to a {@code DataHost}. It uses
 *       {@code peer} only for the values {@code Block} and {@code PeerKey}.
 *   <li>{@code discovery}: where peers come from: trackers (HTTP and UDP announces), the DHT
 *       service, Local Service Discovery, host name resolution.
 *   <li>{@code portmap}: asking the gateway to forward our ports (PCP, NAT-PMP, UPnP IGD): codecs
 *       and a client state machine without I/O, run on the loop by the session's service.
 *   <li>{@code web}: web seeds' HTTP (BEP 19): where a web seed serves each file, the ranged
 *       requests a run of blocks takes, and fetching them with the answer checked.
 *   <li>{@code jfr}: the JDK Flight Recorder events the other rooms record.
 *   <li>{@code telemetry}: counters of the metrics snapshot that several rooms add to (the disk's),
 *       and the key-values that tag log lines with their torrent.
 *   <li>{@code torrent}: the policy of one torrent: lifecycle, the peer set, message handling by
 *       concern, choking, transfer limits, metadata and piece-layer fetching, status snapshots and
 *       metrics. It reaches the session only through {@code TorrentHost}.
 *   <li>{@code engine}: the threads and the registry of torrents, connection slots across torrents,
 *       disk back-pressure, event delivery, the system time source.
 * </ul>
 *
 * <p>Every room runs on the loop thread unless a class says otherwise; time comes from the loop's
 * injected clock.
 */
package dev.bitwright.session.internal;
