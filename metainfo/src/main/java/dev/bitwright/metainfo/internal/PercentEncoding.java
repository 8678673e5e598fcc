package dev.bitwright.metainfo.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Percent-encoding of URI query values (RFC 3986), UTF-8 for text. */
public final class PercentEncoding {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PercentEncoding() {}

  /** Encodes {@code text} as UTF-8, leaving only unreserved characters as they are. */
  public static String encode(String text) {
    return encode(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Encodes raw bytes, leaving only unreserved characters as they are. */
  public static String encode(byte[] bytes) {
    StringBuilder out = new StringBuilder(bytes.length * 3);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (isUnreserved(c)) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }

  /**
   * Decodes {@code %XX} escapes (and {@code +} as a space, as magnet links written by hand use it)
   * into bytes.
   *
   * @throws IllegalArgumentException if an escape is malformed
   */
  public static byte[] decodeBytes(String value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
    for (int i = 0; i < value.length(); i++) {
      int c = value.codePointAt(i);
      if (c == '%') {
        if (i + 2 >= value.length()) {
          throw new IllegalArgumentException("truncated escape at " + i);
        }
        char hi = value.charAt(i + 1);
        char lo = value.charAt(i + 2);
        if (!isAsciiHexDigit(hi) || !isAsciiHexDigit(lo)) {
          throw new IllegalArgumentException("invalid escape at " + i);
        }
        out.write(Character.digit(hi, 16) << 4 | Character.digit(lo, 16));
        i += 2;
      } else if (c == '+') {
        out.write(' ');
      } else if (c < 0x80) {
        out.write(c);
      } else {
        out.writeBytes(Character.toString(c).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(c) - 1;
      }
    }
    return out.toByteArray();
  }

  /** Returns whether {@code c} is one of {@code 0-9}, {@code a-f}, {@code A-F}. */
  public static boolean isAsciiHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /**
   * Decodes escapes into UTF-8 text.
   *
   * @throws IllegalArgumentException if an escape is malformed or the bytes are not UTF-8
   */
  public static String decode(String value) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(decodeBytes(value)))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("not UTF-8 after decoding", e);
    }
  }
}
