/**
 * The session's engine ({@link dev.bitwright.session.internal.engine.Engine}): its threads, the
 * registry of torrents, connection slots shared across torrents, disk back-pressure, event delivery
 * and the system time source. The only room that may use every other.
 */
package dev.bitwright.session.internal.engine;
