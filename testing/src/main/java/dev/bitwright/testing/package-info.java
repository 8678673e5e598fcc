/**
 * A test kit for applications built on Bitwright: {@link dev.bitwright.testing.MockPeer}, a
 * scripted BitTorrent peer on a real TCP socket that a test drives message by message ("send a
 * bitfield, expect interested, unchoke, expect a request, answer with wrong bytes") to see how a
 * client under test behaves, including towards peers that break the protocol.
 *
 * <p>Use it as a test dependency: {@code dev.bitwright:bitwright-testing}, versioned by the BOM.
 */
package dev.bitwright.testing;
