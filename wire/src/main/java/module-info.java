/**
 * Bitwright wire: the peer wire protocol codecs. Not implemented yet: this module is an empty shell
 * so that the build and the BOM already have their final shape; its package {@code
 * dev.bitwright.wire} will be exported once it has an API.
 */
module dev.bitwright.wire {
  requires dev.bitwright.metainfo;
}
