package dev.bitwright.session.internal.peer;

/**
 * A connection's rates and the times of its last activity in each direction: what keep-alives,
 * silence and snub checks, the choker's slot keeping and the rate limits read. Times compare by
 * difference, as a ticker may read negative. Loop thread only.
 */
public final class PeerActivity {
  private final RateMeter downloadRate = new RateMeter();
  private final RateMeter uploadRate = new RateMeter();
  private boolean heldForRate;
  private long connectedAt;
  private long lastReceived;
  private long lastSent;
  private long lastPieceReceived;
  // Slot keeping (Choker): when we last unchoked the peer, when the last block to it left, and
  // until when it is not unchoked again (it did not read what we sent).
  private long unchokedAt;
  private long lastUploadProgress;
  private long notReadingUntil;

  /** Starts the clocks: the connection is established at {@code now}. */
  public void connected(long now) {
    // Times compare by difference (a ticker may read negative): none may stay at 0.
    connectedAt = now;
    lastReceived = now;
    lastSent = now;
    lastPieceReceived = now;
    unchokedAt = now;
    lastUploadProgress = now;
    notReadingUntil = now;
  }

  /** Counts payload received from the peer: a block arrived at {@code now}. */
  void pieceReceived(int bytes, long now) {
    downloadRate.add(bytes, now);
    lastPieceReceived = now;
  }

  /** Returns how long ago, at {@code now}, the last block arrived (or the connection opened). */
  long sincePieceReceived(long now) {
    return now - lastPieceReceived;
  }

  /** Notes that we unchoked the peer at {@code now}. */
  void unchoked(long now) {
    unchokedAt = now;
  }

  /** Counts a block sent to the peer at {@code now}. */
  public void blockSent(int bytes, long now) {
    uploadRate.add(bytes, now);
    lastUploadProgress = now;
  }

  /** Notes that bytes arrived from the peer. */
  void bytesReceived(long now) {
    lastReceived = now;
  }

  /** Notes that the socket took bytes for the peer. */
  public void bytesSent(long now) {
    lastSent = now;
  }

  /** Returns the rate at which the peer sends us payload, in bytes per second. */
  public long downloadRate(long now) {
    return downloadRate.rate(now);
  }

  /** Returns the rate at which we send the peer payload, in bytes per second. */
  public long uploadRate(long now) {
    return uploadRate.rate(now);
  }

  /** Returns the payload bytes received from the peer. */
  public long downloaded() {
    return downloadRate.total();
  }

  /** Returns the payload bytes sent to the peer. */
  public long uploaded() {
    return uploadRate.total();
  }

  /** Returns how long ago, at {@code now}, the peer last sent anything. */
  public long silentFor(long now) {
    return now - lastReceived;
  }

  /** Returns how long ago, at {@code now}, we last sent the peer anything. */
  public long quietFor(long now) {
    return now - lastSent;
  }

  /** Returns how long ago, at {@code now}, the connection was established. */
  public long connectedFor(long now) {
    return now - connectedAt;
  }

  /** Returns how long ago, at {@code now}, we last unchoked the peer (0 if we never did). */
  public long unchokedFor(long now) {
    return now - unchokedAt;
  }

  /**
   * Returns how long, at {@code now}, the peer has neither read from its socket nor been unchoked.
   */
  public long stalledFor(long now) {
    return now - Math.max(lastSent, unchokedAt);
  }

  /** Returns how long, at {@code now}, no block has left for the peer since it was unchoked. */
  public long idleFor(long now) {
    return now - Math.max(lastUploadProgress, unchokedAt);
  }

  /** Returns whether the peer is barred, at {@code now}, from a slot for not reading. */
  public boolean notReading(long now) {
    return notReadingUntil - now > 0;
  }

  /** Bars the peer from a slot until {@code until}: it did not read what we sent. */
  public void barUntil(long until) {
    notReadingUntil = until;
  }

  /** Notes that reading is held for a rate limit; returns false if it was held already. */
  public boolean holdForRate() {
    boolean first = !heldForRate;
    heldForRate = true;
    return first;
  }

  /** Notes that reading is no longer held for a rate limit. */
  public void releaseRateHold() {
    heldForRate = false;
  }
}
