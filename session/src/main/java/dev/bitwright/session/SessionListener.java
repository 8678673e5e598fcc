package dev.bitwright.session;

/**
 * Receives a session's events. Listeners run on the session's own event thread ({@code
 * bitwright-events}), one event at a time, in order; never on the I/O thread, so a slow listener
 * cannot stall transfers. Events queue up while a listener is busy; past 100,000 queued events
 * further ones are dropped (and logged) rather than growing without bound. A listener that throws
 * is logged and keeps receiving events.
 */
@FunctionalInterface
public interface SessionListener {
  /**
   * Called for each event, on the event thread.
   *
   * @param event what happened
   */
  void onEvent(SessionEvent event);

  /**
   * Called once, on the event thread, if the session's I/O loop stops on an unexpected error (such
   * as running out of memory): every torrent has failed with it (each with a {@link
   * SessionEvent.TorrentError}), the session serves nothing more and should be closed. See {@link
   * TorrentSession#failure()}. Does nothing unless overridden.
   *
   * @param cause the error that stopped the loop
   */
  default void onSessionFailed(Throwable cause) {}
}
