/**
 * Bitwright dht: the Mainline DHT node. Not implemented yet: this module is an empty shell so that
 * the build and the BOM already have their final shape; its package {@code dev.bitwright.dht} will
 * be exported once it has an API.
 */
module dev.bitwright.dht {
  requires dev.bitwright.metainfo;
}
