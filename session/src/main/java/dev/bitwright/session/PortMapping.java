package dev.bitwright.session;

import static com.google.common.base.Preconditions.checkArgument;

import java.net.InetAddress;
import java.util.Optional;

/**
 * A port the session's gateway forwards to it (see {@link SessionSettings#portMapping()}), so that
 * peers outside a home router's network can dial us. Immutable.
 *
 * @param protocol what is forwarded
 * @param internalPort our port
 * @param externalPort the gateway's port forwarded to it (the one peers outside dial)
 * @param externalAddress the gateway's external address, when it told us
 * @param method the protocol the gateway granted it by
 * @param lifetimeSeconds how long the gateway granted it for (the session renews it at half that)
 */
public record PortMapping(
    Protocol protocol,
    int internalPort,
    int externalPort,
    Optional<InetAddress> externalAddress,
    Method method,
    long lifetimeSeconds) {
  /** What a mapping forwards. */
  public enum Protocol {
    /** TCP: the listening port of peer connections. */
    TCP,
    /** UDP: the port of uTP, the DHT and UDP tracker answers. */
    UDP
  }

  /** How the gateway was asked. */
  public enum Method {
    /** Port Control Protocol (RFC 6887). */
    PCP,
    /** NAT Port Mapping Protocol (RFC 6886), when the gateway does not speak PCP. */
    NAT_PMP,
    /** UPnP Internet Gateway Device (v1 or v2), when the gateway speaks neither. */
    UPNP
  }

  /**
   * A mapping; checks the ports and the lifetime.
   *
   * @param protocol what is forwarded
   * @param internalPort our port, 1 to 65535
   * @param externalPort the gateway's port forwarded to it, 1 to 65535
   * @param externalAddress the gateway's external address, when it told us
   * @param method the protocol the gateway granted it by
   * @param lifetimeSeconds how long the gateway granted it for, more than 0
   */
  public PortMapping {
    checkArgument(internalPort > 0 && internalPort <= 0xFFFF, "internal port %s", internalPort);
    checkArgument(externalPort > 0 && externalPort <= 0xFFFF, "external port %s", externalPort);
    checkArgument(lifetimeSeconds > 0, "lifetime %s", lifetimeSeconds);
  }
}
