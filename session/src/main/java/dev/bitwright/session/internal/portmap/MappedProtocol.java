package dev.bitwright.session.internal.portmap;

/** The transport protocol of a port mapping, with its numbers in PCP and NAT-PMP. */
public enum MappedProtocol {
  /** TCP: the peer connections' listening port. */
  TCP(6, 2),
  /** UDP: the DHT, uTP and UDP trackers' port. */
  UDP(17, 1);

  private final int ipProtocol;
  private final int natPmpOpcode;

  MappedProtocol(int ipProtocol, int natPmpOpcode) {
    this.ipProtocol = ipProtocol;
    this.natPmpOpcode = natPmpOpcode;
  }

  /** {@return the IANA protocol number, as PCP names it} */
  int ipProtocol() {
    return ipProtocol;
  }

  /** {@return the NAT-PMP request opcode that maps this protocol} */
  int natPmpOpcode() {
    return natPmpOpcode;
  }
}
