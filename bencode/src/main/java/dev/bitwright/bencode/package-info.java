/**
 * Bencode values, decoder and encoder.
 *
 * <p>Values are immutable records of the sealed type {@link dev.bitwright.bencode.BencodeValue}:
 * {@link dev.bitwright.bencode.BencodeString} (raw bytes), {@link
 * dev.bitwright.bencode.BencodeInteger}, {@link dev.bitwright.bencode.BencodeList} and {@link
 * dev.bitwright.bencode.BencodeDictionary}. {@link dev.bitwright.bencode.BencodeDecoder} reads them
 * from untrusted bytes within configurable limits and reports every malformed input as a {@link
 * dev.bitwright.bencode.BencodeException} carrying the byte offset; {@link
 * dev.bitwright.bencode.BencodeEncoder} writes canonical bytes.
 *
 * <p>Null-marked (JSpecify): nothing in this package's API is null unless it is marked
 * {@code @Nullable}.
 */
@NullMarked
package dev.bitwright.bencode;

import org.jspecify.annotations.NullMarked;
