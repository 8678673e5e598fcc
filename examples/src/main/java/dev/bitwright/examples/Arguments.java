package dev.bitwright.examples;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The remaining words of a command line, consumed from the front. */
final class Arguments {
  private final Deque<String> words;

  Arguments(List<String> words) {
    this.words = new ArrayDeque<>(words);
  }

  boolean isEmpty() {
    return words.isEmpty();
  }

  String next() {
    return words.removeFirst();
  }

  /** Returns the value of option {@code option}, which must follow it. */
  String value(String option) throws UsageException {
    if (words.isEmpty() || words.peekFirst().startsWith("--") && words.peekFirst().length() > 2) {
      throw new UsageException(option + " needs a value");
    }
    return words.removeFirst();
  }

  /**
   * Returns the value of option {@code option} as a whole number from {@code min} to {@code max}.
   */
  int number(String option, int min, int max) throws UsageException {
    String text = value(option);
    try {
      int n = Integer.parseInt(text);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(option + " must be a number from " + min + " to " + max + ": " + text);
  }
}
