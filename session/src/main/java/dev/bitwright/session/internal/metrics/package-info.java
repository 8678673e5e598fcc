/**
 * Counters the session keeps for its metrics snapshot that more than one room adds to, safe to add
 * to from any thread. This room depends on none of the others; every room may use it.
 */
package dev.bitwright.session.internal.metrics;
