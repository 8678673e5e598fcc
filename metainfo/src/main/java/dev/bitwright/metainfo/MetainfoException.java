package dev.bitwright.metainfo;

import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * A {@code .torrent} file, info dictionary or magnet link that is malformed or unsafe. This is the
 * only exception this module raises for bad input; it names the field that was wrong and, when the
 * cause is a bencode error, the byte offset.
 */
public final class MetainfoException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The dotted path of the offending field, or null when no single field is to blame. */
  private final @Nullable String field;

  /** The byte offset in the input, or -1 if unknown. */
  private final long offset;

  /**
   * Creates an exception about {@code field}.
   *
   * @param field the dotted path of the offending field (such as {@code info.files[3].path}), or
   *     null when no single field is to blame
   * @param message what was wrong
   */
  public MetainfoException(@Nullable String field, String message) {
    this(field, message, -1, null);
  }

  /**
   * Creates an exception with a byte offset and a cause.
   *
   * @param field the dotted path of the offending field, or null
   * @param message what was wrong
   * @param offset the byte offset in the input, or -1 if unknown
   * @param cause the underlying exception, or null
   */
  public MetainfoException(
      @Nullable String field, String message, long offset, @Nullable Throwable cause) {
    super((field == null ? "" : field + ": ") + message, cause);
    this.field = field;
    this.offset = offset;
  }

  /** {@return the dotted path of the offending field, if one is to blame} */
  public Optional<String> field() {
    return Optional.ofNullable(field);
  }

  /** {@return the byte offset of the error in the input, when known} */
  public OptionalLong offset() {
    return offset < 0 ? OptionalLong.empty() : OptionalLong.of(offset);
  }
}
