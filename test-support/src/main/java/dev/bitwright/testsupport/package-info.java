/**
 * Test support for Bitwright's own modules, not published: checks of module boundaries, real
 * trackers, DHT nodes and web servers in child processes, an HTTP server and JVM memory figures.
 * Applications' tests use {@code bitwright-testing} instead.
 */
package dev.bitwright.testsupport;
