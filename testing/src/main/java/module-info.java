/**
 * A test kit for applications built on Bitwright (and for Bitwright's own tests): {@code MockPeer},
 * a scripted BitTorrent peer on a real socket.
 */
module dev.bitwright.testing {
  requires transitive dev.bitwright.wire;
  requires com.google.common;

  exports dev.bitwright.testing;
}
