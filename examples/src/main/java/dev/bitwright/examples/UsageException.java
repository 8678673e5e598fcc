package dev.bitwright.examples;

/** A mistake in the command line: reported in one line with exit code 2. */
final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
