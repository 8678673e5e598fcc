package dev.bitwright.dht;

import java.net.InetAddress;
import java.util.Optional;

/**
 * A snapshot of a node's state and counters.
 *
 * @param nodeId the node's id at the time of the snapshot
 * @param routingTableSizeV4 nodes in the IPv4 routing table
 * @param routingTableSizeV6 nodes in the IPv6 routing table
 * @param replacementsV4 nodes waiting in the IPv4 replacement caches
 * @param replacementsV6 nodes waiting in the IPv6 replacement caches
 * @param outstandingQueries queries sent and not yet answered or timed out
 * @param activeLookups lookups still running
 * @param storedInfoHashes info-hashes with stored peers (from incoming announces)
 * @param storedPeers stored peers over all info-hashes
 * @param messagesIn datagrams received
 * @param messagesOut datagrams handed to the host
 * @param messagesDropped datagrams received and dropped: malformed, unsolicited, rate limited,
 *     invalid, or ignored in read-only mode
 * @param errorsSent error replies sent
 * @param externalAddress our external address, once learnt by voting from the {@code ip} fields of
 *     responses
 */
public record DhtStats(
    NodeId nodeId,
    int routingTableSizeV4,
    int routingTableSizeV6,
    int replacementsV4,
    int replacementsV6,
    int outstandingQueries,
    int activeLookups,
    int storedInfoHashes,
    int storedPeers,
    long messagesIn,
    long messagesOut,
    long messagesDropped,
    long errorsSent,
    Optional<InetAddress> externalAddress) {}
