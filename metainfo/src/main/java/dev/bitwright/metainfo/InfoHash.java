package dev.bitwright.metainfo;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.io.BaseEncoding;
import java.util.Arrays;
import java.util.Locale;

/**
 * The identity of a torrent: the SHA-1 (v1, 20 bytes) or SHA-256 (v2, 32 bytes) hash of its
 * bencoded info dictionary. A hybrid torrent has one of each; see {@link InfoHashes}.
 *
 * @param bytes the 20 or 32 hash bytes (copied)
 */
public record InfoHash(byte[] bytes) {
  /** Length of a v1 (SHA-1) info-hash. */
  public static final int V1_LENGTH = 20;

  /** Length of a v2 (SHA-256) info-hash. */
  public static final int V2_LENGTH = 32;

  private static final BaseEncoding HEX = BaseEncoding.base16().lowerCase();
  private static final BaseEncoding BASE32 = BaseEncoding.base32().omitPadding();

  /**
   * Creates an info-hash from a copy of {@code bytes}.
   *
   * @param bytes the hash: 20 bytes for v1 (SHA-1), 32 for v2 (SHA-256); copied
   * @throws IllegalArgumentException if the length is neither 20 nor 32
   */
  public InfoHash {
    checkNotNull(bytes, "bytes");
    checkArgument(
        bytes.length == V1_LENGTH || bytes.length == V2_LENGTH,
        "an info-hash has 20 or 32 bytes, not %s",
        bytes.length);
    bytes = bytes.clone();
  }

  /**
   * Parses 40 (v1) or 64 (v2) hex digits, in either case.
   *
   * @param hex the hash as 40 or 64 hexadecimal digits
   * @return the v1 hash for 40 digits, the v2 hash for 64
   * @throws IllegalArgumentException if {@code hex} is not such a string
   */
  public static InfoHash fromHex(String hex) {
    checkArgument(
        hex.length() == 2 * V1_LENGTH || hex.length() == 2 * V2_LENGTH,
        "an info-hash has 40 or 64 hex digits, not %s",
        hex.length());
    return new InfoHash(HEX.decode(hex.toLowerCase(Locale.ROOT)));
  }

  /**
   * Parses the 32-character base32 form of a v1 info-hash (RFC 4648 alphabet, either case), as
   * found in older magnet links.
   *
   * @param base32 the hash as 32 base32 characters
   * @return the v1 hash
   * @throws IllegalArgumentException if {@code base32} is not such a string
   */
  public static InfoHash fromBase32(String base32) {
    checkArgument(base32.length() == 32, "a base32 info-hash has 32 characters");
    return new InfoHash(BASE32.decode(base32.toUpperCase(Locale.ROOT)));
  }

  /** {@return a copy of the hash bytes} */
  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** {@return whether this is a v1 (SHA-1) info-hash} */
  public boolean isV1() {
    return bytes.length == V1_LENGTH;
  }

  /** {@return whether this is a v2 (SHA-256) info-hash} */
  public boolean isV2() {
    return bytes.length == V2_LENGTH;
  }

  /**
   * {@return the 20 bytes that identify the torrent on the wire, in tracker and DHT messages: the
   * hash itself for v1, its first 20 bytes for v2 (BEP 52)}
   */
  public byte[] truncated() {
    return Arrays.copyOf(bytes, V1_LENGTH);
  }

  /** {@return the hash in lower-case hex} */
  public String hex() {
    return HEX.encode(bytes);
  }

  /** {@return the hash in upper-case base32 without padding (32 characters for v1)} */
  public String base32() {
    return BASE32.encode(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InfoHash other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Returns the hash in lower-case hex. */
  @Override
  public String toString() {
    return hex();
  }
}
