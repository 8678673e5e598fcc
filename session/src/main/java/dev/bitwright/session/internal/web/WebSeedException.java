package dev.bitwright.session.internal.web;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/** A web seed's request failed: why, and how long the server asked us to wait, if it did. */
public final class WebSeedException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** The server does not have the file (404, 410): other files may still be served. */
    FILE_MISSING,
    /** The server is busy or failing (5xx, 429), possibly with a {@code Retry-After}. */
    UNAVAILABLE,
    /** The answer is not the range asked for: no {@code Range} support, a short or long body. */
    BAD_RESPONSE,
    /** The connection failed or timed out. */
    NETWORK
  }

  private final Kind kind;
  private final transient Optional<Duration> retryAfter;

  /** Creates the exception. */
  public WebSeedException(Kind kind, String message, Optional<Duration> retryAfter) {
    super(message);
    this.kind = kind;
    this.retryAfter = retryAfter;
  }

  /**
   * Returns the web seed's fault found in {@code error} or its causes, or else a network failure
   * with {@code error}'s message.
   */
  public static WebSeedException of(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof WebSeedException w) {
        return w;
      }
    }
    return new WebSeedException(Kind.NETWORK, String.valueOf(error.getMessage()), Optional.empty());
  }

  /** Returns what went wrong. */
  public Kind kind() {
    return kind;
  }

  /** Returns how long the server asked us to wait ({@code Retry-After}), if it did. */
  public Optional<Duration> retryAfter() {
    return retryAfter;
  }
}
