/**
 * The peer wire protocol as codecs and state machines, without sockets or threads: the handshake,
 * BEP 3 and Fast-extension messages, the extension protocol with ut_metadata and ut_pex, BEP 52
 * hash messages, and Message Stream Encryption.
 */
module dev.bitwright.wire {
  requires static transitive org.jspecify;
  requires transitive dev.bitwright.metainfo;
  requires com.google.common;

  exports dev.bitwright.wire;
}
