/**
 * Peer wire protocol codecs: {@link dev.bitwright.wire.Handshake}, {@link
 * dev.bitwright.wire.PeerMessage} read by {@link dev.bitwright.wire.MessageDecoder}, written by
 * {@link dev.bitwright.wire.MessageEncoder} and handled by type through {@link
 * dev.bitwright.wire.PeerMessage.Handler}, the allowed fast set of BEP 6, and the extension
 * protocol. Malformed input from a peer raises {@link dev.bitwright.wire.WireException}.
 */
package dev.bitwright.wire;
