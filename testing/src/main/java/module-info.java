/**
 * A test kit for applications built on Bitwright (and for Bitwright's own tests): {@code MockPeer},
 * a scripted BitTorrent peer on a real socket, {@code UdpImpairmentRelay}, a UDP relay that delays,
 * drops, duplicates and reorders datagrams where the kernel has no {@code netem}, and {@code
 * FakeNatGateway}, a router's PCP and NAT-PMP service.
 */
module dev.bitwright.testing {
  requires static transitive org.jspecify;
  requires transitive dev.bitwright.wire;
  requires com.google.common;

  exports dev.bitwright.testing;
}
