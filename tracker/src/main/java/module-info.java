/**
 * Bitwright tracker: HTTP(S) and UDP tracker protocols. Not implemented yet: this module is an
 * empty shell so that the build and the BOM already have their final shape; its package {@code
 * dev.bitwright.tracker} will be exported once it has an API.
 */
module dev.bitwright.tracker {
  requires dev.bitwright.metainfo;
}
