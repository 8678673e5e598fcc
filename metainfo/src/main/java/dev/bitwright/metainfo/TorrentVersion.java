package dev.bitwright.metainfo;

/** Which BitTorrent metadata versions a torrent carries. */
public enum TorrentVersion {
  /** BitTorrent v1 (BEP 3): SHA-1 piece hashes, pieces span files. */
  V1,
  /** BitTorrent v2 (BEP 52): per-file SHA-256 merkle trees, pieces never span files. */
  V2,
  /** Both v1 and v2 metadata for the same files, aligned with padding files (BEP 52). */
  HYBRID;

  /** {@return whether the torrent has v1 metadata} */
  public boolean hasV1() {
    return this != V2;
  }

  /** {@return whether the torrent has v2 metadata} */
  public boolean hasV2() {
    return this != V1;
  }
}
