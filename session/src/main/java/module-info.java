/**
 * Bitwright session: the session facade. Not implemented yet: this module is an empty shell so that
 * the build and the BOM already have their final shape; its package {@code dev.bitwright.session}
 * will be exported once it has an API.
 */
module dev.bitwright.session {
  requires dev.bitwright.metainfo;
}
