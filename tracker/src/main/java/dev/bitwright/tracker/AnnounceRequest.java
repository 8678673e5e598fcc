package dev.bitwright.tracker;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import java.util.Optional;

/**
 * The fields of an announce.
 *
 * @param infoHash the 20-byte info-hash (for v2, the truncated SHA-256)
 * @param peerId the 20-byte peer id
 * @param port the TCP port we accept peers on
 * @param uploaded bytes uploaded since the {@code started} event
 * @param downloaded bytes downloaded since the {@code started} event
 * @param left bytes still to download
 * @param event the event
 * @param numWant how many peers we want, or -1 for the tracker's default
 * @param key a random value that identifies us across IP changes
 * @param trackerId the {@code tracker id} the tracker gave before, to send back
 * @param supportCrypto whether to say we support MSE ({@code supportcrypto=1})
 * @param requireCrypto whether to say we require MSE ({@code requirecrypto=1})
 */
public record AnnounceRequest(
    byte[] infoHash,
    byte[] peerId,
    int port,
    long uploaded,
    long downloaded,
    long left,
    AnnounceEvent event,
    int numWant,
    int key,
    Optional<String> trackerId,
    boolean supportCrypto,
    boolean requireCrypto) {

  /**
   * Creates a request; arrays are copied.
   *
   * @param infoHash the 20-byte info-hash (for v2, the truncated SHA-256); copied
   * @param peerId the 20-byte peer id; copied
   * @param port the TCP port we accept peers on, 0 to 65535
   * @param uploaded bytes uploaded since the {@code started} event; not negative
   * @param downloaded bytes downloaded since the {@code started} event; not negative
   * @param left bytes still to download; not negative
   * @param event the event to report, or {@link AnnounceEvent#NONE} for a regular announce
   * @param numWant how many peers we want, or -1 for the tracker's default
   * @param key a random value that identifies us across IP changes
   * @param trackerId the {@code tracker id} the tracker gave before, to send back
   * @param supportCrypto whether to say we support MSE ({@code supportcrypto=1})
   * @param requireCrypto whether to say we require MSE ({@code requirecrypto=1})
   */
  public AnnounceRequest {
    checkArgument(infoHash.length == 20, "a 20-byte info-hash");
    checkArgument(peerId.length == 20, "a 20-byte peer id");
    checkArgument(port >= 0 && port <= 0xffff, "invalid port %s", port);
    checkArgument(uploaded >= 0 && downloaded >= 0 && left >= 0, "negative counter");
    checkArgument(numWant >= -1, "numWant must be -1 or more");
    checkNotNull(event);
    checkNotNull(trackerId);
    infoHash = infoHash.clone();
    peerId = peerId.clone();
  }

  /** {@return a copy of the info-hash} */
  @Override
  public byte[] infoHash() {
    return infoHash.clone();
  }

  /** {@return a copy of the peer id} */
  @Override
  public byte[] peerId() {
    return peerId.clone();
  }

  /**
   * {@return this request with another event}
   *
   * @param newEvent the event the copy reports
   */
  public AnnounceRequest withEvent(AnnounceEvent newEvent) {
    return new AnnounceRequest(
        infoHash,
        peerId,
        port,
        uploaded,
        downloaded,
        left,
        newEvent,
        numWant,
        key,
        trackerId,
        supportCrypto,
        requireCrypto);
  }

  /**
   * {@return this request carrying the tracker id a tracker gave}
   *
   * @param id the {@code tracker id} from the tracker's last answer, or empty to send none
   */
  public AnnounceRequest withTrackerId(Optional<String> id) {
    return new AnnounceRequest(
        infoHash,
        peerId,
        port,
        uploaded,
        downloaded,
        left,
        event,
        numWant,
        key,
        id,
        supportCrypto,
        requireCrypto);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AnnounceRequest r
        && Arrays.equals(infoHash, r.infoHash)
        && Arrays.equals(peerId, r.peerId)
        && port == r.port
        && uploaded == r.uploaded
        && downloaded == r.downloaded
        && left == r.left
        && event == r.event
        && numWant == r.numWant
        && key == r.key
        && trackerId.equals(r.trackerId)
        && supportCrypto == r.supportCrypto
        && requireCrypto == r.requireCrypto;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(infoHash) * 31 + Arrays.hashCode(peerId) + event.hashCode();
  }

  @Override
  public String toString() {
    return "AnnounceRequest[event=" + event + ", port=" + port + ", left=" + left + "]";
  }
}
