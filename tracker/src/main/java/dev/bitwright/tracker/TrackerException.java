package dev.bitwright.tracker;

import java.io.IOException;

/**
 * A tracker failed: it sent a {@code failure reason}, an HTTP error, a malformed, truncated or
 * oversized reply, a reply to another request, or no reply in time. Each is reported to the caller
 * and followed by a back-off; none is fatal.
 */
public final class TrackerException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Whether the tracker itself reported the failure. */
  private final boolean trackerSaidSo;

  /**
   * Creates an exception.
   *
   * @param message what went wrong
   * @param trackerSaidSo whether the tracker itself reported the failure ({@code failure reason} or
   *     a UDP error), as opposed to a transport or format problem
   */
  public TrackerException(String message, boolean trackerSaidSo) {
    super(message);
    this.trackerSaidSo = trackerSaidSo;
  }

  /**
   * Creates an exception with a cause (a transport or format problem).
   *
   * @param message what went wrong
   * @param cause the transport or format error behind it
   */
  public TrackerException(String message, Throwable cause) {
    super(message, cause);
    this.trackerSaidSo = false;
  }

  /** {@return whether the tracker itself reported the failure} */
  public boolean trackerSaidSo() {
    return trackerSaidSo;
  }
}
