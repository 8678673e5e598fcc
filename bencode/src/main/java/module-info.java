/**
 * Bencode, the serialisation format of BitTorrent: a strict, canonical decoder with hard limits on
 * untrusted input, and a canonical encoder.
 *
 * <p>Start with {@link dev.bitwright.bencode.BencodeDecoder} and {@link
 * dev.bitwright.bencode.BencodeEncoder}; values are the sealed type {@link
 * dev.bitwright.bencode.BencodeValue}.
 */
module dev.bitwright.bencode {
  requires static transitive org.jspecify;
  requires com.google.common;

  exports dev.bitwright.bencode;
}
