package dev.bitwright.storage;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * A storage operation failed: the disk is full, permission was denied, a folder stands where a file
 * should be, the file system is read-only, resume data is malformed, or a path would leave the
 * download folder. The message names the operation and the file.
 */
public final class StorageException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What was being done, such as {@code write} or {@code open}. */
  private final String operation;

  /** The file concerned (a path or a name). */
  private final String file;

  /**
   * Creates an exception.
   *
   * @param operation what was being done, such as {@code write} or {@code open}
   * @param file the file concerned (a path or a name)
   * @param message what went wrong
   * @param cause the underlying exception, or null
   */
  public StorageException(
      String operation, String file, String message, @Nullable Throwable cause) {
    super(operation + " " + file + ": " + message, cause);
    this.operation = operation;
    this.file = file;
  }

  /** {@return what was being done, such as {@code write} or {@code open}} */
  public String operation() {
    return operation;
  }

  /** {@return the file concerned} */
  public String file() {
    return file;
  }
}
