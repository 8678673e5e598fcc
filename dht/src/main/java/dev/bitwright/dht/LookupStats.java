package dev.bitwright.dht;

import java.time.Duration;

/**
 * What one iterative lookup did, so far or in all.
 *
 * @param target the id or info-hash looked up
 * @param hops the greatest depth of a node that answered: 1 for a node we knew when the lookup
 *     started, 2 for a node one of those told us about, and so on
 * @param queriesSent queries sent by the lookup, retransmissions not counted
 * @param responses valid responses received
 * @param timeouts queries that failed: never answered (after the retries), answered with an error,
 *     or answered with another node's id
 * @param nodesWithTokens nodes that answered a {@code get_peers} with a token
 * @param peersFound distinct peers reported to the listener
 * @param announcesSent {@code announce_peer} queries sent (announce lookups only)
 * @param duration the time from the start to the end, or to now while running
 */
public record LookupStats(
    NodeId target,
    int hops,
    int queriesSent,
    int responses,
    int timeouts,
    int nodesWithTokens,
    int peersFound,
    int announcesSent,
    Duration duration) {}
