package dev.bitwright.examples;

/** A command that could not do its job (a timeout, a torrent error): exit code 1, one line. */
final class CommandException extends Exception {
  private static final long serialVersionUID = 1L;

  CommandException(String message) {
    super(message);
  }
}
