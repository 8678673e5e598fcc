package dev.bitwright.session.internal.portmap;

import com.google.common.hash.HashCode;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * PCP (RFC 6887) MAP messages: the request a client sends (a 24-byte common header and the 36-byte
 * MAP opcode data) and the server's responses, and the version-0 answer of a NAT-PMP gateway that
 * does not speak PCP. Addresses go as 16 bytes, IPv4 ones IPv4-mapped. No I/O.
 */
final class PcpCodec {
  static final int VERSION = 2;
  static final int OP_ANNOUNCE = 0;
  static final int OP_MAP = 1;
  static final int NONCE_BYTES = 12;
  static final int MAP_MESSAGE = 60;
  // RFC 6887, section 7: no PCP message is longer than 1,100 bytes.
  static final int MAX_MESSAGE = 1100;

  private PcpCodec() {}

  /**
   * {@return a MAP request from {@code client} (our address as the gateway sees it): {@code
   * lifetimeSeconds} 0 deletes the mapping of {@code nonce}}
   */
  static byte[] mapRequest(
      HashCode nonce,
      MappedProtocol protocol,
      int internalPort,
      int suggestedExternalPort,
      long lifetimeSeconds,
      InetAddress client,
      @Nullable InetAddress suggestedExternal) {
    ByteBuffer b = ByteBuffer.allocate(MAP_MESSAGE);
    b.put((byte) VERSION).put((byte) OP_MAP).putShort((short) 0).putInt((int) lifetimeSeconds);
    b.put(sixteen(client));
    b.put(nonce.asBytes()).put((byte) protocol.ipProtocol()).put(new byte[3]);
    b.putShort((short) internalPort).putShort((short) suggestedExternalPort);
    // No preference is the all-zeros address of the family: ::ffff:0.0.0.0 for IPv4.
    b.put(suggestedExternal != null ? sixteen(suggestedExternal) : mapped(new byte[4]));
    return b.array();
  }

  /**
   * Decodes a gateway's datagram (the buffer's position is left alone): a PCP MAP or ANNOUNCE
   * response, or a NAT-PMP one (version 0) when the gateway speaks only that.
   *
   * @throws PortMapFormatException if it is neither, or not well-formed
   */
  static GatewayResponse decode(ByteBuffer datagram) throws PortMapFormatException {
    ByteBuffer d = datagram.duplicate();
    int length = d.remaining();
    if (length < 2) {
      throw new PortMapFormatException("a datagram of " + length + " bytes");
    }
    int start = d.position();
    int version = d.get(start) & 0xFF;
    if (version == NatPmpCodec.VERSION) {
      return NatPmpCodec.decode(d);
    }
    if (version != VERSION) {
      throw new PortMapFormatException("PCP version " + version);
    }
    if (length < 24 || length > MAX_MESSAGE || length % 4 != 0) {
      throw new PortMapFormatException("a PCP response of " + length + " bytes");
    }
    int op = d.get(start + 1) & 0xFF;
    if ((op & 0x80) == 0) {
      throw new PortMapFormatException("a PCP request, not a response");
    }
    int opcode = op & 0x7F;
    int result = d.get(start + 3) & 0xFF;
    long lifetime = d.getInt(start + 4) & 0xFFFFFFFFL;
    long epoch = d.getInt(start + 8) & 0xFFFFFFFFL;
    if (opcode == OP_ANNOUNCE) {
      return new GatewayResponse.PcpAnnounce(result, epoch);
    }
    if (opcode != OP_MAP) {
      throw new PortMapFormatException("PCP opcode " + opcode);
    }
    if (length < MAP_MESSAGE) {
      throw new PortMapFormatException("a PCP MAP response of " + length + " bytes");
    }
    byte[] nonce = new byte[NONCE_BYTES];
    d.position(start + 24);
    d.get(nonce);
    int ipProtocol = d.get(start + 36) & 0xFF;
    MappedProtocol protocol = null;
    for (MappedProtocol p : MappedProtocol.values()) {
      if (p.ipProtocol() == ipProtocol) {
        protocol = p;
      }
    }
    if (protocol == null) {
      throw new PortMapFormatException("PCP protocol " + ipProtocol);
    }
    int internalPort = d.getShort(start + 40) & 0xFFFF;
    int externalPort = d.getShort(start + 42) & 0xFFFF;
    byte[] external = new byte[16];
    d.position(start + 44);
    d.get(external);
    return new GatewayResponse.Mapping(
        result,
        epoch,
        protocol,
        internalPort,
        externalPort,
        lifetime,
        address(external),
        HashCode.fromBytes(nonce),
        true);
  }

  private static byte[] sixteen(InetAddress address) {
    byte[] raw = address.getAddress();
    return raw.length == 16 ? raw : mapped(raw);
  }

  private static byte[] mapped(byte[] ipv4) {
    byte[] b = new byte[16];
    b[10] = (byte) 0xFF;
    b[11] = (byte) 0xFF;
    System.arraycopy(ipv4, 0, b, 12, 4);
    return b;
  }

  /** Returns the address of 16 bytes: an {@link Inet4Address} when IPv4-mapped. */
  private static InetAddress address(byte[] sixteen) {
    try {
      // InetAddress turns an IPv4-mapped address into an Inet4Address by itself.
      return InetAddress.getByAddress(sixteen);
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
