package dev.bitwright.session.internal.torrent;

import dev.bitwright.session.internal.peer.PeerConnection;
import dev.bitwright.session.internal.peer.RateMeter;

/**
 * One torrent's transfer rates and limits, applied together with the session's: uploads wait for
 * tokens, and reading from a peer pauses when a download limit (or the disk) is behind. Loop thread
 * only.
 */
public final class TransferLimits {
  private final TorrentHost host;
  private final TokenBucket downloadLimit;
  private final TokenBucket uploadLimit;
  private final RateMeter downloadRate = new RateMeter();
  private final RateMeter uploadRate = new RateMeter();
  private long downloadedFromWebSeeds;

  TransferLimits(TorrentHost host, long downloadBytesPerSecond, long uploadBytesPerSecond) {
    this.host = host;
    this.downloadLimit = new TokenBucket(downloadBytesPerSecond);
    this.uploadLimit = new TokenBucket(uploadBytesPerSecond);
  }

  /** Sets the torrent's limits, in bytes per second (0 for none). */
  public void setRates(long download, long upload) {
    downloadLimit.setRate(download);
    uploadLimit.setRate(upload);
  }

  long downloadRate(long now) {
    return downloadRate.rate(now);
  }

  long uploadRate(long now) {
    return uploadRate.rate(now);
  }

  long downloaded() {
    return downloadRate.total();
  }

  long uploaded() {
    return uploadRate.total();
  }

  /** Returns the part of {@link #downloaded()} that came from web seeds. */
  long downloadedFromWebSeeds() {
    return downloadedFromWebSeeds;
  }

  /** Returns whether {@code bytes} may be uploaded now, spending them if so; else flushes later. */
  boolean mayUpload(PeerConnection peer, int bytes) {
    long now = host.loop().nanoTime();
    TokenBucket global = host.uploadLimit();
    if (uploadLimit.available(now) < bytes || global.available(now) < bytes) {
      long wait = Math.max(uploadLimit.waitFor(bytes, now), global.waitFor(bytes, now));
      host.loop().schedule(wait, peer::flush);
      return false;
    }
    uploadLimit.spend(bytes, now);
    global.spend(bytes, now);
    return true;
  }

  void uploaded(int bytes) {
    uploadRate.add(bytes, host.loop().nanoTime());
  }

  /**
   * Counts payload from a web seed against the rates and the limits (its requests are already
   * bounded in flight, so there is no reading to pause).
   */
  void downloadedFromWebSeed(int bytes) {
    long now = host.loop().nanoTime();
    downloadedFromWebSeeds += bytes;
    downloadRate.add(bytes, now);
    downloadLimit.spend(bytes, now);
    host.downloadLimit().spend(bytes, now);
  }

  /** Counts downloaded payload and pauses reading when a rate limit is exceeded. */
  void downloaded(PeerConnection peer, int bytes) {
    long now = host.loop().nanoTime();
    downloadRate.add(bytes, now);
    downloadLimit.spend(bytes, now);
    host.downloadLimit().spend(bytes, now);
    if (host.holdIfDiskBehind(peer)) {
      return;
    }
    long wait = downloadWait(now);
    if (wait > 0 && peer.isOpen()) {
      peer.setReading(false);
      // One timer per held peer: a timer per block would let the earliest resume reading while
      // the later blocks' debt is still unpaid, and the limit would not hold.
      if (peer.activity().holdForRate()) {
        host.loop().schedule(wait, () -> resumeReading(peer));
      }
    }
  }

  /** Returns the tightest download limit, the torrent's or the session's, 0 when there is none. */
  long downloadLimit() {
    long own = downloadLimit.rate();
    long session = host.downloadLimit().rate();
    return own == 0 ? session : session == 0 ? own : Math.min(own, session);
  }

  /** Returns whether the download limits allow more bytes now. */
  boolean mayDownloadNow(long now) {
    return downloadWait(now) <= 0;
  }

  private long downloadWait(long now) {
    return Math.max(downloadLimit.waitFor(1, now), host.downloadLimit().waitFor(1, now));
  }

  /** Resumes reading from a peer held back by a download limit, once the limits allow it. */
  private void resumeReading(PeerConnection peer) {
    if (!peer.isOpen()) {
      peer.activity().releaseRateHold();
      return;
    }
    long wait = downloadWait(host.loop().nanoTime());
    if (wait > 0) {
      host.loop().schedule(wait, () -> resumeReading(peer));
      return;
    }
    peer.activity().releaseRateHold();
    peer.setReading(true);
  }
}
