package dev.bitwright.bencode;

/**
 * A bencoded integer. Bitwright accepts integers that fit in a signed 64-bit {@code long}; larger
 * ones are rejected by the decoder.
 *
 * @param value the integer
 */
public record BencodeInteger(long value) implements BencodeValue {

  /**
   * {@return a bencoded integer holding {@code value}}
   *
   * @param value any {@code long}, negative ones included
   */
  public static BencodeInteger of(long value) {
    return new BencodeInteger(value);
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
