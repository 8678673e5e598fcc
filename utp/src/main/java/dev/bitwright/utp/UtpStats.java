package dev.bitwright.utp;

/**
 * Counters of a {@link UtpEndpoint}.
 *
 * @param datagramsReceived datagrams handed to {@code receive}
 * @param datagramsSent datagrams {@code poll} gave
 * @param malformed datagrams dropped as malformed
 * @param strays datagrams dropped because they belong to no known connection
 * @param resetsSent RESETs sent to refuse SYNs
 * @param refused incoming connections refused
 * @param connections connections open now
 */
public record UtpStats(
    long datagramsReceived,
    long datagramsSent,
    long malformed,
    long strays,
    long resetsSent,
    long refused,
    int connections) {}
