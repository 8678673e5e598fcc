/**
 * Test support for Bitwright's own modules (not published): checks of module boundaries, real
 * trackers, DHT nodes and web servers in child processes, an HTTP server, JVM memory figures.
 */
module dev.bitwright.testsupport {
  requires org.assertj.core;
  requires jdk.httpserver;
  requires java.management;

  exports dev.bitwright.testsupport;
}
