/**
 * What several rooms share to report on the session: the disk counters of the metrics snapshot,
 * safe to add to from any thread, and the SLF4J key-value that tags a log line with its torrent.
 * This room depends on none of the others; every room may use it.
 */
package dev.bitwright.session.internal.telemetry;
