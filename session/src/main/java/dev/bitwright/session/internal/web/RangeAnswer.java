package dev.bitwright.session.internal.web;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What makes an answer to a ranged request the bytes asked for, whichever HTTP client read it:
 * {@code 206} with the exact {@code Content-Range} (or {@code 200} when the whole file was asked
 * for); 404 and 410 mean the file is missing, 429 and 5xx that the server is busy (with its {@code
 * Retry-After}, bounded); anything else is a bad response.
 */
final class RangeAnswer {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
  private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);

  private RangeAnswer() {}

  /**
   * Checks an answer's status and {@code Content-Range} (read with {@code field}) against the
   * request for {@code length} bytes from {@code offset} of a file of {@code fileLength} bytes.
   *
   * @throws WebSeedException if the answer does not carry those bytes, of the kind that says why
   */
  static void check(
      int status,
      Function<String, Optional<String>> field,
      long offset,
      int length,
      long fileLength)
      throws WebSeedException {
    if (status == 404 || status == 410) {
      throw new WebSeedException(
          WebSeedException.Kind.FILE_MISSING, "HTTP " + status, Optional.empty());
    }
    if (status == 429 || status >= 500) {
      throw new WebSeedException(
          WebSeedException.Kind.UNAVAILABLE,
          "HTTP " + status,
          retryAfter(field.apply("Retry-After")));
    }
    if (status == 200 && !isWholeFile(offset, length, fileLength)) {
      throw bad("the server ignores Range");
    }
    if (status != 200 && status != 206) {
      throw bad("HTTP " + status);
    }
    if (status == 206) {
      String range = field.apply("Content-Range").orElse("");
      Matcher m = CONTENT_RANGE.matcher(range);
      if (!m.matches()
          || !equalsNumber(m.group(1), offset)
          || !equalsNumber(m.group(2), offset + length - 1)
          || (!m.group(3).equals("*") && !equalsNumber(m.group(3), fileLength))) {
        throw bad("Content-Range \"" + range + "\" for bytes " + offset + "+" + length);
      }
    }
  }

  /** Returns whether a request for these bytes asks for the whole file (and has no Range). */
  static boolean isWholeFile(long offset, int length, long fileLength) {
    return offset == 0 && length == fileLength;
  }

  /** Returns the {@code Range} field's value for these bytes. */
  static String rangeOf(long offset, int length) {
    return "bytes=" + offset + "-" + (offset + length - 1);
  }

  /**
   * Checks that a body of {@code received} bytes is the {@code length} asked for.
   *
   * @throws WebSeedException if it is shorter
   */
  static void checkBody(long received, int length) throws WebSeedException {
    if (received != length) {
      throw bad("short body: " + received + " of " + length + " bytes");
    }
  }

  private static boolean equalsNumber(String digits, long value) {
    return digits.length() <= 18 && Long.parseLong(digits) == value;
  }

  /** Returns the delay of a {@code Retry-After} in seconds (dates are not honoured), bounded. */
  static Optional<Duration> retryAfter(Optional<String> value) {
    if (value.isEmpty() || !value.get().trim().matches("\\d{1,9}")) {
      return Optional.empty();
    }
    Duration d = Duration.ofSeconds(Long.parseLong(value.get().trim()));
    return Optional.of(d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d);
  }

  static WebSeedException bad(String message) {
    return new WebSeedException(WebSeedException.Kind.BAD_RESPONSE, message, Optional.empty());
  }
}
