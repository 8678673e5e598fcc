package dev.bitwright.session.internal.portmap;

import com.google.common.hash.HashCode;
import java.net.InetAddress;
import org.jspecify.annotations.Nullable;

/**
 * A gateway's answer, PCP or NAT-PMP, as far as a client needs it. Immutable.
 *
 * <p>Result codes are the protocol's own: 0 is success in both.
 */
sealed interface GatewayResponse {
  /** {@return the result code: 0 for success} */
  int result();

  /** {@return the gateway's epoch: seconds since it started or lost its mappings} */
  long epoch();

  /** The answer to a NAT-PMP external address request. */
  record NatPmpAddress(int result, long epoch, InetAddress externalAddress)
      implements GatewayResponse {}

  /**
   * The answer to a mapping request, in either protocol: for NAT-PMP the nonce is empty and the
   * external address unknown (asked for separately).
   *
   * @param result the result code
   * @param epoch the gateway's epoch
   * @param protocol what was mapped
   * @param internalPort our port
   * @param externalPort the port the gateway forwards to it
   * @param lifetimeSeconds how long the mapping holds; for an error, how long the error holds
   * @param externalAddress the gateway's external address (PCP), or null (NAT-PMP)
   * @param nonce the PCP mapping nonce (12 bytes), or null (NAT-PMP)
   * @param pcp whether the answer is PCP
   */
  record Mapping(
      int result,
      long epoch,
      MappedProtocol protocol,
      int internalPort,
      int externalPort,
      long lifetimeSeconds,
      @Nullable InetAddress externalAddress,
      @Nullable HashCode nonce,
      boolean pcp)
      implements GatewayResponse {}

  /** A PCP gateway's ANNOUNCE (sent after it restarts): only its epoch matters. */
  record PcpAnnounce(int result, long epoch) implements GatewayResponse {}

  /**
   * A NAT-PMP gateway's answer to a PCP request: "unsupported version" in version 0 (RFC 6887,
   * section 9): the client falls back to NAT-PMP.
   */
  record VersionNotSupported(int result, long epoch) implements GatewayResponse {}
}
