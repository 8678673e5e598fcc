package dev.bitwright.session;

import com.google.common.collect.Sets;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * A snapshot of one connected peer.
 *
 * @param address the peer's address
 * @param client the client name its peer id announces, if known
 * @param downloadRate bytes per second received from it
 * @param uploadRate bytes per second sent to it
 * @param downloaded payload bytes received from it in all
 * @param uploaded payload bytes sent to it in all
 * @param progress the share of the torrent it has, 0 to 1
 * @param flags the connection's state
 */
public record PeerInfo(
    InetSocketAddress address,
    Optional<String> client,
    long downloadRate,
    long uploadRate,
    long downloaded,
    long uploaded,
    double progress,
    Set<Flag> flags) {

  /** Creates a snapshot; the flags are copied. */
  public PeerInfo {
    flags = flags.isEmpty() ? Set.of() : Sets.immutableEnumSet(EnumSet.copyOf(flags));
  }

  /** The state of a connection. */
  public enum Flag {
    /** We opened the connection. */
    OUTGOING,
    /** The connection is encrypted (MSE with RC4). */
    ENCRYPTED,
    /** We want pieces from the peer. */
    INTERESTED,
    /** The peer chokes us: it serves no requests. */
    CHOKED,
    /** The peer wants pieces from us. */
    PEER_INTERESTED,
    /** We choke the peer. */
    PEER_CHOKED,
    /** The peer has every piece. */
    SEED,
    /** The peer supports the Fast extension (BEP 6). */
    FAST,
    /** The peer supports the extension protocol (BEP 10). */
    EXTENSIONS
  }
}
