package dev.bitwright.examples;

import java.util.Locale;

/** Byte counts for people: parsing {@code 256K}-style sizes and printing binary units. */
final class Sizes {
  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

  private Sizes() {}

  /** Parses a byte count with an optional K, M or G suffix (powers of 1024). */
  static int parse(String text, String option) throws UsageException {
    String t = text.strip().toUpperCase(Locale.ROOT);
    long multiplier = 1;
    if (t.endsWith("K") || t.endsWith("M") || t.endsWith("G")) {
      multiplier = t.endsWith("K") ? 1L << 10 : t.endsWith("M") ? 1L << 20 : 1L << 30;
      t = t.substring(0, t.length() - 1);
    }
    try {
      long value = Long.parseLong(t) * multiplier;
      if (value <= 0 || value > Integer.MAX_VALUE) {
        throw new UsageException(option + " out of range: " + text);
      }
      return (int) value;
    } catch (NumberFormatException e) {
      throw new UsageException(option + " is not a size: " + text);
    }
  }

  /** Formats {@code bytes} as {@code 1.5 MiB}. */
  static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    int unit = 0;
    double value = bytes;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
  }
}
