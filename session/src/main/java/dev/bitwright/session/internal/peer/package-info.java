/**
 * One peer connection: its wire mechanics ({@link
 * dev.bitwright.session.internal.peer.PeerConnection}: MSE, handshake, framing; {@code PeerOutput}:
 * corking, encryption, zero-copy uploads) and what it knows of its peer ({@link
 * dev.bitwright.session.internal.peer.PeerState}), plus the candidates to dial and rate meters.
 * Knows no torrent: a connection reports to its {@link
 * dev.bitwright.session.internal.peer.PeerOwner}. Uses {@code net} only.
 */
package dev.bitwright.session.internal.peer;
