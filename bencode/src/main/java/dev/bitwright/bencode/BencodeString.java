package dev.bitwright.bencode;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.io.BaseEncoding;
import com.google.common.primitives.UnsignedBytes;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/**
 * A bencoded byte string. The bytes are kept as they are: text access is explicit and always UTF-8
 * ({@link #text()}, {@link #of(String)}).
 *
 * <p>Instances are immutable: the constructor and {@link #bytes()} copy the array. Use {@link
 * #length()}, {@link #byteAt(int)} or {@link #asReadOnlyBuffer()} to read without copying. Strings
 * order by unsigned lexicographic comparison of their bytes, the order of dictionary keys.
 *
 * @param bytes the raw bytes
 */
public record BencodeString(byte[] bytes) implements BencodeValue, Comparable<BencodeString> {
  private static final Comparator<byte[]> ORDER = UnsignedBytes.lexicographicalComparator();
  private static final int TO_STRING_LIMIT = 64;

  /**
   * Creates a byte string holding a copy of {@code bytes}.
   *
   * @param bytes the raw bytes of the string, not necessarily text; copied
   * @throws NullPointerException if {@code bytes} is null
   */
  public BencodeString {
    bytes = checkNotNull(bytes, "bytes").clone();
  }

  /**
   * {@return a byte string holding a copy of {@code bytes}}
   *
   * @param bytes the raw bytes of the string, not necessarily text; copied
   */
  public static BencodeString of(byte[] bytes) {
    return new BencodeString(bytes);
  }

  /**
   * {@return a byte string holding the UTF-8 encoding of {@code text}}
   *
   * @param text the text to encode
   */
  public static BencodeString of(String text) {
    return new BencodeString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** {@return a copy of the bytes} */
  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** {@return the number of bytes} */
  public int length() {
    return bytes.length;
  }

  /**
   * {@return the byte at {@code index}}
   *
   * @param index the position of the byte, from 0
   * @throws IndexOutOfBoundsException if {@code index} is out of range
   */
  public byte byteAt(int index) {
    return bytes[index];
  }

  /** {@return a read-only view of the bytes, positioned at 0} */
  public ByteBuffer asReadOnlyBuffer() {
    return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
  }

  /** {@return the bytes decoded as UTF-8; malformed sequences become U+FFFD} */
  public String text() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** {@return whether the bytes are well-formed UTF-8} */
  public boolean isValidUtf8() {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /**
   * {@return whether the bytes equal the UTF-8 encoding of {@code text}}
   *
   * @param text the text whose UTF-8 encoding is compared
   */
  public boolean contentEquals(String text) {
    return Arrays.equals(bytes, text.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int compareTo(BencodeString other) {
    return ORDER.compare(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BencodeString other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /**
   * Returns the text in quotes when the bytes are printable UTF-8, otherwise the length and the
   * first bytes in hex.
   */
  @Override
  public String toString() {
    if (isValidUtf8()) {
      String text = text();
      if (text.codePoints().noneMatch(Character::isISOControl)) {
        return text.length() <= TO_STRING_LIMIT
            ? '"' + text + '"'
            : '"' + text.substring(0, TO_STRING_LIMIT) + "\"…";
      }
    }
    int shown = Math.min(bytes.length, TO_STRING_LIMIT / 2);
    return bytes.length
        + ":0x"
        + BaseEncoding.base16().lowerCase().encode(bytes, 0, shown)
        + (shown < bytes.length ? "…" : "");
  }
}
