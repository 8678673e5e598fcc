package dev.bitwright.session.internal.torrent;

import dev.bitwright.session.WebSeedInfo;
import dev.bitwright.session.internal.peer.Block;
import dev.bitwright.session.internal.peer.PeerKey;
import dev.bitwright.session.internal.peer.RateMeter;
import dev.bitwright.session.internal.web.WebSeedException;
import dev.bitwright.wire.PeerId;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One web seed of a torrent: what it was asked for, the files it does not have, how long it waits
 * after failures (growing, or as its {@code Retry-After} says), its bytes and rate, and whether it
 * is banned. Loop thread only.
 */
final class WebSeed {
  private static final long FIRST_BACKOFF_NANOS = 1_000_000_000L;
  private static final long MAX_BACKOFF_NANOS = 300_000_000_000L;

  private final URI url;
  private final PeerKey key;
  private final Set<Block> requested = new HashSet<>();
  private final BitSet missingFiles = new BitSet();
  private final RateMeter rate = new RateMeter();
  private int inFlightBytes;
  private int jobsInFlight;
  private long backoffNanos;
  private long notBefore;
  private boolean backingOff;
  private int hashFailures;
  private boolean banned;
  private String lastError;

  WebSeed(URI url) {
    this.url = url;
    this.key = new PeerKey(null, idOf(url));
  }

  /** The web seed's own peer id, for blame: the first 20 bytes of the SHA-1 of its URL. */
  private static PeerId idOf(URI url) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1")
              .digest(url.toString().getBytes(StandardCharsets.UTF_8));
      return new PeerId(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }

  URI url() {
    return url;
  }

  /** Returns who the web seed is to the piece blame. */
  PeerKey key() {
    return key;
  }

  /**
   * Returns whether a request may start at {@code now}: not banned, not waiting after a failure.
   */
  boolean mayRequest(long now) {
    return !banned && (!backingOff || now - notBefore >= 0);
  }

  boolean isBanned() {
    return banned;
  }

  int inFlightBytes() {
    return inFlightBytes;
  }

  /** Returns the rate at which it delivers, in bytes per second. */
  long rate(long now) {
    return rate.rate(now);
  }

  /** Returns whether the web seed has shown it lacks any file. */
  boolean lacksAny() {
    return !missingFiles.isEmpty();
  }

  /** Returns whether the web seed has shown it does not have {@code file}. */
  boolean lacks(int file) {
    return missingFiles.get(file);
  }

  /** Returns how many jobs are on their way. */
  int jobsInFlight() {
    return jobsInFlight;
  }

  /** Notes the blocks of a job that starts now. */
  void requested(Iterable<Block> blocks, int bytes) {
    blocks.forEach(requested::add);
    inFlightBytes += bytes;
    jobsInFlight++;
  }

  /** Forgets a block asked for; returns whether it was. */
  boolean unrequest(Block block) {
    return requested.remove(block);
  }

  /** Forgets every request (the torrent stopped); returns the blocks that were asked for. */
  List<Block> reset() {
    List<Block> asked = new ArrayList<>(requested);
    requested.clear();
    inFlightBytes = 0;
    jobsInFlight = 0;
    return asked;
  }

  /** A job of {@code bytes} ended, its blocks handled. */
  void ended(int bytes) {
    inFlightBytes -= bytes;
    jobsInFlight--;
  }

  /** A request succeeded: {@code bytes} arrived at {@code now}, and the back-off is over. */
  void succeeded(int bytes, long now) {
    rate.add(bytes, now);
    backingOff = false;
    backoffNanos = 0;
  }

  /**
   * A request failed at {@code now}: a missing file is not asked for again; anything else makes the
   * web seed wait, twice as long as the last time (1 s to 5 min), or as long as the server asked.
   */
  void failed(WebSeedException error, int file, long now) {
    lastError = error.getMessage();
    if (error.kind() == WebSeedException.Kind.FILE_MISSING) {
      missingFiles.set(file);
      return;
    }
    backoffNanos =
        backoffNanos == 0 ? FIRST_BACKOFF_NANOS : Math.min(MAX_BACKOFF_NANOS, 2 * backoffNanos);
    long wait = error.retryAfter().map(Duration::toNanos).orElse(backoffNanos);
    backingOff = true;
    notBefore = now + wait;
  }

  /** Its data failed the hash check; returns whether that bans it now (the bound was reached). */
  boolean hashFailed(int maxFailures) {
    lastError = "data that failed the hash check";
    hashFailures++;
    if (!banned && hashFailures >= maxFailures) {
      banned = true;
      return true;
    }
    return false;
  }

  /** Returns the web seed as the status shows it. */
  WebSeedInfo toInfo(long now) {
    WebSeedInfo.State state =
        banned
            ? WebSeedInfo.State.BANNED
            : backingOff && now - notBefore < 0
                ? WebSeedInfo.State.BACKING_OFF
                : WebSeedInfo.State.ACTIVE;
    return new WebSeedInfo(
        url, state, rate.rate(now), rate.total(), Optional.ofNullable(lastError));
  }
}
