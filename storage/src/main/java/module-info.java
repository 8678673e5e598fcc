/**
 * Bitwright storage: piece-to-file mapping, storage back ends, verification and resume data. Not
 * implemented yet: this module is an empty shell so that the build and the BOM already have their
 * final shape; its package {@code dev.bitwright.storage} will be exported once it has an API.
 */
module dev.bitwright.storage {
  requires dev.bitwright.metainfo;
}
