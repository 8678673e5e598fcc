/**
 * Storage of torrent data: the mapping between pieces and files, pluggable back ends (file system
 * and memory), piece verification (SHA-1 for v1, SHA-256 merkle trees for v2), full rechecks and
 * crash-safe resume data. It starts no threads: callers run it on their own executor.
 */
module dev.bitwright.storage {
  requires static transitive org.jspecify;
  requires transitive dev.bitwright.metainfo;
  requires com.google.common;

  exports dev.bitwright.storage;
}
