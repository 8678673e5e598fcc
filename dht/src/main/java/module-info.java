/**
 * Bitwright dht: a Mainline DHT node (BEP 5, 32, 42, 43, 51) as a state machine without sockets or
 * threads.
 */
module dev.bitwright.dht {
  requires static transitive org.jspecify;
  requires transitive dev.bitwright.metainfo;
  requires com.google.common;
  requires org.slf4j;

  exports dev.bitwright.dht;
}
