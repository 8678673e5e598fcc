package dev.bitwright.session.internal.portmap;

import java.nio.ByteBuffer;

/** A gateway's answers written byte by byte from RFC 6887 and RFC 6886, for the client's tests. */
final class GatewayAnswers {
  private GatewayAnswers() {}

  /** A PCP MAP success answering {@code request} (the 60-byte MAP request we sent). */
  static ByteBuffer pcpMapped(
      byte[] request, int result, long lifetime, long epoch, int externalPort, byte[] external4) {
    ByteBuffer b = ByteBuffer.allocate(60);
    b.put((byte) 2).put((byte) 0x81).put((byte) 0).put((byte) result);
    b.putInt((int) lifetime).putInt((int) epoch).put(new byte[12]);
    b.put(request, 24, 36);
    b.putShort(42, (short) externalPort);
    b.position(44);
    b.put(new byte[10]).put((byte) 0xFF).put((byte) 0xFF).put(external4);
    return b.flip();
  }

  /** A PCP ANNOUNCE (a gateway that restarted). */
  static ByteBuffer pcpAnnounce(long epoch) {
    ByteBuffer b = ByteBuffer.allocate(24);
    b.put((byte) 2).put((byte) 0x80).put((byte) 0).put((byte) 0).putInt(0).putInt((int) epoch);
    return b.position(24).flip();
  }

  /** A NAT-PMP gateway's "unsupported version" in version 0, answering a PCP MAP. */
  static ByteBuffer unsupportedVersion(long epoch) {
    return ByteBuffer.allocate(8)
        .put((byte) 0)
        .put((byte) 129)
        .putShort((short) 1)
        .putInt((int) epoch)
        .flip();
  }

  /** A NAT-PMP mapping answer. */
  static ByteBuffer natPmpMapped(
      int op, int result, long epoch, int internal, int external, long lifetime) {
    return ByteBuffer.allocate(16)
        .put((byte) 0)
        .put((byte) (128 + op))
        .putShort((short) result)
        .putInt((int) epoch)
        .putShort((short) internal)
        .putShort((short) external)
        .putInt((int) lifetime)
        .flip();
  }

  /** A NAT-PMP external address answer. */
  static ByteBuffer natPmpAddress(long epoch, byte[] external4) {
    return ByteBuffer.allocate(12)
        .put((byte) 0)
        .put((byte) 128)
        .putShort((short) 0)
        .putInt((int) epoch)
        .put(external4)
        .flip();
  }
}
