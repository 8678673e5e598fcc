package dev.bitwright.metainfo;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The info-hashes of one torrent: a v1 hash, a v2 hash, or both for a hybrid torrent.
 *
 * @param v1 the v1 (SHA-1) info-hash, if the torrent has v1 metadata
 * @param v2 the v2 (SHA-256) info-hash, if the torrent has v2 metadata
 */
public record InfoHashes(Optional<InfoHash> v1, Optional<InfoHash> v2) {

  /**
   * Creates the pair.
   *
   * @param v1 the 20-byte v1 info-hash, if the torrent has v1 metadata
   * @param v2 the 32-byte v2 info-hash, if the torrent has v2 metadata
   * @throws IllegalArgumentException if both are empty or a hash has the wrong version
   */
  public InfoHashes {
    checkArgument(v1.isPresent() || v2.isPresent(), "a torrent has at least one info-hash");
    checkArgument(v1.map(InfoHash::isV1).orElse(true), "v1 must be a 20-byte hash");
    checkArgument(v2.map(InfoHash::isV2).orElse(true), "v2 must be a 32-byte hash");
  }

  /**
   * {@return the info-hashes of a v1-only torrent}
   *
   * @param v1 the 20-byte v1 info-hash
   */
  public static InfoHashes ofV1(InfoHash v1) {
    return new InfoHashes(Optional.of(v1), Optional.empty());
  }

  /**
   * {@return the info-hashes of a v2-only torrent}
   *
   * @param v2 the 32-byte v2 info-hash
   */
  public static InfoHashes ofV2(InfoHash v2) {
    return new InfoHashes(Optional.empty(), Optional.of(v2));
  }

  /**
   * {@return the info-hashes of a hybrid torrent}
   *
   * @param v1 the 20-byte v1 info-hash
   * @param v2 the 32-byte v2 info-hash
   */
  public static InfoHashes ofHybrid(InfoHash v1, InfoHash v2) {
    return new InfoHashes(Optional.of(v1), Optional.of(v2));
  }

  /** {@return whether both a v1 and a v2 hash are present} */
  public boolean isHybrid() {
    return v1.isPresent() && v2.isPresent();
  }

  /** {@return the v2 hash if present, otherwise the v1 hash: the strongest identity known} */
  public InfoHash best() {
    return v2.orElseGet(v1::orElseThrow);
  }

  /**
   * {@return the 20-byte identities under which the torrent is announced and looked up: the v1 hash
   * and the truncated v2 hash, whichever are present (BEP 52)}
   */
  public List<byte[]> wireHashes() {
    List<byte[]> hashes = new ArrayList<>(2);
    v1.ifPresent(h -> hashes.add(h.truncated()));
    v2.ifPresent(h -> hashes.add(h.truncated()));
    return hashes;
  }

  /**
   * Returns the hashes for a log line: {@code v1:<hex>}, {@code v2:<hex>}, or both separated by a
   * space for a hybrid torrent.
   */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    v1.ifPresent(h -> text.append("v1:").append(h.hex()));
    v2.ifPresent(h -> text.append(text.length() > 0 ? " " : "").append("v2:").append(h.hex()));
    return text.toString();
  }
}
