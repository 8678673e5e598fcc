package dev.bitwright.session.internal.peer;

import dev.bitwright.wire.PeerId;
import java.net.InetAddress;

/**
 * Who a peer is, for blame and bans: its address and the peer id it gave. Peers that share an
 * address (behind one NAT, a campus, a VPN exit) are told apart; one that reconnects under new peer
 * ids is caught by {@link PeerCandidates}' bound on bans per address.
 *
 * @param address the peer's IP address
 * @param peerId the peer id of its handshake
 */
public record PeerKey(InetAddress address, PeerId peerId) {}
