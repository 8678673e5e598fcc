package dev.bitwright.session.internal.web;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The head of an HTTP/1.x response (RFC 9112): the status and the header fields, parsed from the
 * bytes up to the empty line that ends them. A web seed is untrusted: the head is bounded ({@value
 * #MAX_BYTES} bytes, {@value #MAX_FIELDS} fields), and anything that is not a well-formed HTTP/1.x
 * head — a bad status line, a field without a colon, a folded line, a control character, two
 * different {@code Content-Length}s — is a {@link WebSeedException.Kind#BAD_RESPONSE}. Immutable.
 */
final class HttpHead {
  /** The longest head read: a web seed's answer needs a few hundred bytes. */
  static final int MAX_BYTES = 16 * 1024;

  /** The most header fields read. */
  static final int MAX_FIELDS = 100;

  private final int minorVersion;
  private final int status;
  // Lower-case names; a repeated field's values are joined with ", " as RFC 9110 allows.
  private final Map<String, String> fields;

  private HttpHead(int minorVersion, int status, Map<String, String> fields) {
    this.minorVersion = minorVersion;
    this.status = status;
    this.fields = fields;
  }

  /**
   * Returns the length of the head at the start of {@code bytes[0..length)} — up to and including
   * the empty line (CRLF CRLF, or a bare LF as RFC 9112 lets a recipient accept) — or -1 if it has
   * not all arrived.
   */
  static int endOf(byte[] bytes, int length) {
    for (int i = 0; i < length; i++) {
      if (bytes[i] == '\n') {
        if (i + 1 < length && bytes[i + 1] == '\n') {
          return i + 2;
        }
        if (i + 2 < length && bytes[i + 1] == '\r' && bytes[i + 2] == '\n') {
          return i + 3;
        }
      }
    }
    return -1;
  }

  /**
   * Parses the head in {@code bytes[0..length)}, which {@link #endOf} found complete.
   *
   * @throws WebSeedException of kind {@code BAD_RESPONSE} if it is not a well-formed HTTP/1.x
   *     response head within the bounds
   */
  static HttpHead parse(byte[] bytes, int length) throws WebSeedException {
    if (length > MAX_BYTES) {
      throw bad("a response head longer than " + MAX_BYTES + " bytes");
    }
    String text = new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\r?\n", -1);
    // The head ends with an empty line, so the last two elements of the split are empty.
    int count = lines.length - 2;
    if (count < 1 || !lines[count].isEmpty() || !lines[count + 1].isEmpty()) {
      throw bad("an unterminated response head");
    }
    if (count - 1 > MAX_FIELDS) {
      throw bad("more than " + MAX_FIELDS + " header fields");
    }
    String statusLine = lines[0];
    if (statusLine.length() < 12
        || !statusLine.startsWith("HTTP/1.")
        || !isDigit(statusLine.charAt(7))
        || statusLine.charAt(8) != ' '
        || !isDigit(statusLine.charAt(9))
        || !isDigit(statusLine.charAt(10))
        || !isDigit(statusLine.charAt(11))
        || (statusLine.length() > 12 && statusLine.charAt(12) != ' ')
        || hasControl(statusLine)) {
      throw bad("not an HTTP/1.x status line: \"" + printable(statusLine) + "\"");
    }
    int status = Integer.parseInt(statusLine.substring(9, 12));
    if (status < 100) {
      throw bad("status " + status);
    }
    Map<String, String> fields = new HashMap<>();
    for (int i = 1; i < count; i++) {
      addField(fields, lines[i]);
    }
    return new HttpHead(statusLine.charAt(7) - '0', status, fields);
  }

  private static void addField(Map<String, String> fields, String line) throws WebSeedException {
    int colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line, colon) || hasControl(line)) {
      throw bad("a malformed header field: \"" + printable(line) + "\"");
    }
    String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
    String value = line.substring(colon + 1).strip();
    String before = fields.get(name);
    if (before == null) {
      fields.put(name, value);
    } else if (name.equals("content-length")) {
      if (!before.equals(value)) {
        throw bad("two different Content-Lengths");
      }
    } else {
      fields.put(name, before + ", " + value);
    }
  }

  /**
   * Returns whether {@code line[0..end)} is a token (RFC 9110 field name): no folding, no space.
   */
  private static boolean isToken(String line, int end) {
    for (int i = 0; i < end; i++) {
      char c = line.charAt(i);
      if (c <= ' ' || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < ' ' && c != '\t') || c == 0x7f) {
        return true;
      }
    }
    return false;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static String printable(String s) {
    String cut = s.length() > 80 ? s.substring(0, 80) + "…" : s;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }

  private static WebSeedException bad(String message) {
    return new WebSeedException(WebSeedException.Kind.BAD_RESPONSE, message, Optional.empty());
  }

  /** Returns the status code. */
  int status() {
    return status;
  }

  /** Returns the value of the field {@code name} (any case), repeated ones joined with ", ". */
  Optional<String> field(String name) {
    return Optional.ofNullable(fields.get(name.toLowerCase(Locale.ROOT)));
  }

  /**
   * Returns whether the connection may carry another request after this answer: HTTP/1.1 unless
   * {@code Connection: close}, HTTP/1.0 only with {@code Connection: keep-alive}.
   */
  boolean keepsAlive() {
    String connection = field("Connection").orElse("").toLowerCase(Locale.ROOT);
    return minorVersion >= 1 ? !connection.contains("close") : connection.contains("keep-alive");
  }

  /**
   * Returns whether the body is chunked ({@code Transfer-Encoding} ending in {@code chunked}).
   *
   * @throws WebSeedException if another transfer coding is used: a web seed's bytes must come as
   *     they are on disk
   */
  boolean isChunked() throws WebSeedException {
    Optional<String> coding = field("Transfer-Encoding");
    if (coding.isEmpty()) {
      return false;
    }
    if (!coding.get().equalsIgnoreCase("chunked")) {
      throw bad("Transfer-Encoding \"" + printable(coding.get()) + "\"");
    }
    return true;
  }

  /**
   * Returns the {@code Content-Length}, or -1 if there is none.
   *
   * @throws WebSeedException if it is not a non-negative decimal number
   */
  long contentLength() throws WebSeedException {
    Optional<String> value = field("Content-Length");
    if (value.isEmpty()) {
      return -1;
    }
    String v = value.get();
    if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw bad("Content-Length \"" + printable(v) + "\"");
    }
    return Long.parseLong(v);
  }
}
