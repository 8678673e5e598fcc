package dev.bitwright.session.internal.portmap;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * NAT-PMP (RFC 6886) messages: the requests a client sends and the gateway's responses. Version 0;
 * all numbers big-endian. No I/O.
 */
final class NatPmpCodec {
  static final int VERSION = 0;
  static final int OP_EXTERNAL_ADDRESS = 0;
  static final int RESULT_UNSUPPORTED_VERSION = 1;

  private NatPmpCodec() {}

  /** {@return the request for the gateway's external IPv4 address} */
  static byte[] externalAddressRequest() {
    return new byte[] {VERSION, OP_EXTERNAL_ADDRESS};
  }

  /**
   * {@return a mapping request: {@code lifetimeSeconds} 0 with {@code suggestedExternalPort} 0
   * deletes the mapping}
   */
  static byte[] mapRequest(
      MappedProtocol protocol, int internalPort, int suggestedExternalPort, long lifetimeSeconds) {
    return ByteBuffer.allocate(12)
        .put((byte) VERSION)
        .put((byte) protocol.natPmpOpcode())
        .putShort((short) 0)
        .putShort((short) internalPort)
        .putShort((short) suggestedExternalPort)
        .putInt((int) lifetimeSeconds)
        .array();
  }

  /**
   * Decodes a version-0 response (the buffer's position is left alone).
   *
   * @throws PortMapFormatException if it is not a well-formed NAT-PMP response
   */
  static GatewayResponse decode(ByteBuffer datagram) throws PortMapFormatException {
    ByteBuffer d = datagram.duplicate();
    int length = d.remaining();
    if (length < 8) {
      throw new PortMapFormatException("a NAT-PMP response of " + length + " bytes");
    }
    int start = d.position();
    if (d.get(start) != VERSION) {
      throw new PortMapFormatException("NAT-PMP version " + (d.get(start) & 0xFF));
    }
    int op = d.get(start + 1) & 0xFF;
    if (op < 128) {
      throw new PortMapFormatException("a NAT-PMP request, not a response: opcode " + op);
    }
    int result = d.getShort(start + 2) & 0xFFFF;
    long epoch = d.getInt(start + 4) & 0xFFFFFFFFL;
    if (result == RESULT_UNSUPPORTED_VERSION) {
      return new GatewayResponse.VersionNotSupported(result, epoch);
    }
    int request = op - 128;
    if (request == OP_EXTERNAL_ADDRESS) {
      if (length < 12) {
        throw new PortMapFormatException("an address response of " + length + " bytes");
      }
      byte[] address = new byte[4];
      d.position(start + 8);
      d.get(address);
      return new GatewayResponse.NatPmpAddress(result, epoch, ipv4(address));
    }
    MappedProtocol protocol = protocol(request);
    if (length < 16) {
      if (result == 0) {
        throw new PortMapFormatException("a mapping response of " + length + " bytes");
      }
      return new GatewayResponse.Mapping(result, epoch, protocol, 0, 0, 0, null, null, false);
    }
    int internalPort = d.getShort(start + 8) & 0xFFFF;
    int externalPort = d.getShort(start + 10) & 0xFFFF;
    long lifetime = d.getInt(start + 12) & 0xFFFFFFFFL;
    return new GatewayResponse.Mapping(
        result, epoch, protocol, internalPort, externalPort, lifetime, null, null, false);
  }

  private static MappedProtocol protocol(int opcode) throws PortMapFormatException {
    for (MappedProtocol p : MappedProtocol.values()) {
      if (p.natPmpOpcode() == opcode) {
        return p;
      }
    }
    throw new PortMapFormatException("NAT-PMP opcode " + opcode);
  }

  private static InetAddress ipv4(byte[] address) {
    try {
      return (Inet4Address) InetAddress.getByAddress(address);
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
