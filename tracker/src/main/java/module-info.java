/**
 * Tracker protocols: HTTP(S) announce and scrape (BEP 3, 7, 23, 24, 48), the UDP tracker protocol
 * (BEP 15, 41) as a state machine without sockets, multitracker tiers (BEP 12) and announce
 * scheduling.
 */
module dev.bitwright.tracker {
  requires static transitive org.jspecify;
  requires transitive dev.bitwright.metainfo;
  requires transitive java.net.http;
  requires com.google.common;
  requires org.slf4j;

  exports dev.bitwright.tracker;
}
