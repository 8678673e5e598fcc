package dev.bitwright.wire;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The 68-byte BitTorrent handshake (BEP 3): {@code 19 "BitTorrent protocol"}, eight reserved bytes
 * announcing extensions, the 20-byte info-hash (for v2, the truncated SHA-256) and the peer id.
 *
 * @param reserved the eight reserved bytes (copied); see the {@code supports...} methods
 * @param infoHash the 20-byte info-hash (copied)
 * @param peerId the sender's peer id
 */
public record Handshake(byte[] reserved, byte[] infoHash, PeerId peerId) {
  /** Length of a handshake. */
  public static final int LENGTH = 68;

  /** The protocol string, after its length byte. */
  public static final String PROTOCOL = "BitTorrent protocol";

  private static final byte[] PREFIX = ("\u0013" + PROTOCOL).getBytes(StandardCharsets.US_ASCII);

  /**
   * Creates a handshake from copies of the arrays.
   *
   * @param reserved the eight reserved bytes (copied); see the {@code supports...} methods
   * @param infoHash the 20-byte info-hash (copied)
   * @param peerId the sender's peer id
   */
  public Handshake {
    checkArgument(reserved.length == 8, "8 reserved bytes");
    checkArgument(infoHash.length == 20, "a 20-byte info-hash");
    checkNotNull(peerId);
    reserved = reserved.clone();
    infoHash = infoHash.clone();
  }

  /**
   * {@return a handshake announcing the given extensions}
   *
   * @param infoHash the torrent's 20-byte info-hash (for a v2-only torrent, the truncated v2 hash)
   * @param peerId our peer id
   * @param dht BEP 5 (reserved byte 7, bit 0x01)
   * @param fast BEP 6 Fast extension (byte 7, 0x04)
   * @param extensionProtocol BEP 10 extension protocol (byte 5, 0x10)
   * @param v2Upgrade BEP 52: the sender also speaks v2 for this hybrid torrent (byte 7, 0x10)
   */
  public static Handshake of(
      byte[] infoHash,
      PeerId peerId,
      boolean dht,
      boolean fast,
      boolean extensionProtocol,
      boolean v2Upgrade) {
    byte[] reserved = new byte[8];
    reserved[7] |= (byte) ((dht ? 0x01 : 0) | (fast ? 0x04 : 0) | (v2Upgrade ? 0x10 : 0));
    reserved[5] |= (byte) (extensionProtocol ? 0x10 : 0);
    return new Handshake(reserved, infoHash, peerId);
  }

  /** {@return whether the sender supports the DHT (BEP 5)} */
  public boolean supportsDht() {
    return (reserved[7] & 0x01) != 0;
  }

  /** {@return whether the sender supports the Fast extension (BEP 6)} */
  public boolean supportsFast() {
    return (reserved[7] & 0x04) != 0;
  }

  /** {@return whether the sender supports the extension protocol (BEP 10)} */
  public boolean supportsExtensionProtocol() {
    return (reserved[5] & 0x10) != 0;
  }

  /** {@return whether the sender offers to upgrade a hybrid torrent's connection to v2 (BEP 52)} */
  public boolean supportsV2Upgrade() {
    return (reserved[7] & 0x10) != 0;
  }

  /** {@return a copy of the reserved bytes} */
  @Override
  public byte[] reserved() {
    return reserved.clone();
  }

  /** {@return a copy of the info-hash} */
  @Override
  public byte[] infoHash() {
    return infoHash.clone();
  }

  /**
   * Writes the 68 bytes at the buffer's position.
   *
   * @param out the buffer to write into, in write mode
   * @throws BufferOverflowException if fewer than 68 bytes remain
   */
  public void encode(ByteBuffer out) {
    if (out.remaining() < LENGTH) {
      throw new BufferOverflowException();
    }
    out.put(PREFIX).put(reserved).put(infoHash).put(peerId.bytes());
  }

  /** {@return the 68 bytes} */
  public byte[] toBytes() {
    ByteBuffer out = ByteBuffer.allocate(LENGTH);
    encode(out);
    return out.array();
  }

  /**
   * Decodes a handshake if 68 bytes are available; otherwise returns {@code null} and leaves the
   * position unchanged.
   *
   * @param in the received bytes, in read mode; the position moves past the handshake when one is
   *     decoded
   * @return the handshake, or {@code null} if fewer than 68 bytes remain
   * @throws WireException if the bytes are not a BitTorrent handshake (position unchanged)
   */
  public static @Nullable Handshake decode(ByteBuffer in) throws WireException {
    int start = in.position();
    int prefixAvailable = Math.min(in.remaining(), PREFIX.length);
    for (int i = 0; i < prefixAvailable; i++) {
      if (in.get(start + i) != PREFIX[i]) {
        throw new WireException("not a BitTorrent handshake", i);
      }
    }
    if (in.remaining() < LENGTH) {
      return null;
    }
    byte[] reserved = new byte[8];
    byte[] infoHash = new byte[20];
    byte[] peerId = new byte[20];
    in.get(start + 20, reserved).get(start + 28, infoHash).get(start + 48, peerId);
    in.position(start + LENGTH);
    return new Handshake(reserved, infoHash, new PeerId(peerId));
  }

  /**
   * {@return whether {@code bytes} start like a plain (unencrypted) BitTorrent handshake}
   *
   * @param bytes the first bytes received on a connection, in read mode; the position does not move
   */
  public static boolean looksLikeHandshake(ByteBuffer bytes) {
    int n = Math.min(bytes.remaining(), PREFIX.length);
    for (int i = 0; i < n; i++) {
      if (bytes.get(bytes.position() + i) != PREFIX[i]) {
        return false;
      }
    }
    return n > 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Handshake h
        && Arrays.equals(reserved, h.reserved)
        && Arrays.equals(infoHash, h.infoHash)
        && peerId.equals(h.peerId);
  }

  @Override
  public int hashCode() {
    return (Arrays.hashCode(reserved) * 31 + Arrays.hashCode(infoHash)) * 31 + peerId.hashCode();
  }

  @Override
  public String toString() {
    return "Handshake[peer="
        + peerId
        + ", dht="
        + supportsDht()
        + ", fast="
        + supportsFast()
        + ", ext="
        + supportsExtensionProtocol()
        + ", v2="
        + supportsV2Upgrade()
        + "]";
  }
}
