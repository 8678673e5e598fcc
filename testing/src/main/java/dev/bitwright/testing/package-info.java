/**
 * A test kit for applications built on Bitwright: {@link dev.bitwright.testing.MockPeer}, a
 * scripted BitTorrent peer on a real TCP socket that a test drives message by message ("send a
 * bitfield, expect interested, unchoke, expect a request, answer with wrong bytes") to see how a
 * client under test behaves, including towards peers that break the protocol; and {@link
 * dev.bitwright.testing.UdpImpairmentRelay}, a UDP relay that delays, drops, reorders and
 * duplicates datagrams between two endpoints, for testing UDP protocols such as uTP over a bad
 * network where the kernel offers no {@code netem}; and {@link
 * dev.bitwright.testing.FakeNatGateway}, a router's PCP and NAT-PMP service that maps, refuses,
 * restarts or stays silent, for testing port mapping.
 *
 * <p>Use it as a test dependency: {@code dev.bitwright:bitwright-testing}, versioned by the BOM.
 *
 * <p>Null-marked (JSpecify): nothing in this package's API is null unless it is marked
 * {@code @Nullable}.
 */
@NullMarked
package dev.bitwright.testing;

import org.jspecify.annotations.NullMarked;
