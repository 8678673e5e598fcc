package dev.bitwright.bencode;

import static com.google.common.base.Preconditions.checkArgument;

import dev.bitwright.bencode.internal.BencodeParser;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Decodes bencoded bytes into {@link BencodeValue}s, safely, from untrusted input.
 *
 * <p><b>Strictness.</b> By default the decoder accepts only canonical bencode: integers without
 * leading zeros or {@code -0}, string lengths without leading zeros, dictionary keys that are byte
 * strings in strictly ascending order, and (for {@link #decode(byte[])}) no trailing bytes. {@link
 * Builder#allowUnsortedKeys(boolean)} relaxes the key order for real-world files that were written
 * by sloppy encoders; keys must still be unique, since a duplicated key makes a dictionary
 * ambiguous. Integers must fit in a signed 64-bit {@code long}.
 *
 * <p><b>Limits.</b> Every limit is checked before memory is allocated for it, so a 2 GB length
 * prefix in a 100-byte input fails at once. The defaults are {@value #DEFAULT_MAX_INPUT_LENGTH}
 * bytes of input, strings of up to {@value #DEFAULT_MAX_STRING_LENGTH} bytes, {@value
 * #DEFAULT_MAX_DEPTH} levels of nested lists and dictionaries, {@value #DEFAULT_MAX_ENTRIES}
 * entries in one list or dictionary and {@value #DEFAULT_MAX_VALUES} values in all. The parser is
 * iterative, so no depth can overflow the stack.
 *
 * <p><b>Errors.</b> Any malformed or over-limit input raises {@link BencodeException} with the
 * offset of the offending byte; no other exception escapes, for any input.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class BencodeDecoder {
  /** Default maximum input length, in bytes (64 MiB). */
  public static final int DEFAULT_MAX_INPUT_LENGTH = 64 * 1024 * 1024;

  /** Default maximum length of one byte string (64 MiB). */
  public static final int DEFAULT_MAX_STRING_LENGTH = 64 * 1024 * 1024;

  /** Default maximum nesting depth of lists and dictionaries. */
  public static final int DEFAULT_MAX_DEPTH = 100;

  /** Default maximum number of entries in one list or dictionary. */
  public static final int DEFAULT_MAX_ENTRIES = 1_000_000;

  /** Default maximum number of values in one input, counting every nested value and key. */
  public static final int DEFAULT_MAX_VALUES = 3_000_000;

  private static final BencodeDecoder STRICT = builder().build();

  private final int maxInputLength;
  private final int maxStringLength;
  private final int maxDepth;
  private final int maxEntries;
  private final int maxValues;
  private final boolean allowUnsortedKeys;

  private BencodeDecoder(Builder builder) {
    this.maxInputLength = builder.maxInputLength;
    this.maxStringLength = builder.maxStringLength;
    this.maxDepth = builder.maxDepth;
    this.maxEntries = builder.maxEntries;
    this.maxValues = builder.maxValues;
    this.allowUnsortedKeys = builder.allowUnsortedKeys;
  }

  /** {@return a strict decoder with the default limits} */
  public static BencodeDecoder strict() {
    return STRICT;
  }

  /** {@return a builder starting from the strict defaults} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder starting from this decoder's settings} */
  public Builder toBuilder() {
    return new Builder()
        .maxInputLength(maxInputLength)
        .maxStringLength(maxStringLength)
        .maxDepth(maxDepth)
        .maxEntries(maxEntries)
        .maxValues(maxValues)
        .allowUnsortedKeys(allowUnsortedKeys);
  }

  /**
   * Decodes {@code input}, which must hold exactly one value and nothing after it.
   *
   * @param input the bencoded bytes; not kept after the call
   * @return the decoded value, with the {@link ByteRange} each dictionary value came from
   * @throws BencodeException if the input is malformed, has trailing bytes or exceeds a limit
   */
  public BencodeValue decode(byte[] input) throws BencodeException {
    return decode(input, 0, input.length);
  }

  /**
   * Decodes {@code length} bytes of {@code input} from {@code offset}, which must hold exactly one
   * value and nothing after it. Offsets in errors and {@link ByteRange}s count from {@code offset}.
   *
   * @param input the array holding the bencoded bytes; not kept after the call
   * @param offset index in {@code input} of the first byte to decode
   * @param length number of bytes to decode from {@code offset}
   * @return the decoded value, with the {@link ByteRange} each dictionary value came from
   * @throws BencodeException if the input is malformed, has trailing bytes or exceeds a limit
   * @throws IndexOutOfBoundsException if the range is outside {@code input}
   */
  public BencodeValue decode(byte[] input, int offset, int length) throws BencodeException {
    Objects.checkFromIndexSize(offset, length, input.length);
    checkInputLength(length);
    BencodeParser parser = parser(input, offset, length);
    BencodeValue value = parser.parseValue();
    if (parser.consumed() != length) {
      throw new BencodeException("trailing data after the value", parser.consumed());
    }
    return value;
  }

  /**
   * Decodes the remaining bytes of {@code input}, which must hold exactly one value and nothing
   * after it. On success the position moves to the limit; on failure it is unchanged. The buffer is
   * not kept.
   *
   * @param input a buffer in read mode whose remaining bytes are one bencoded value
   * @return the decoded value, with the {@link ByteRange} each dictionary value came from, counted
   *     from the buffer's position
   * @throws BencodeException if the input is malformed, has trailing bytes or exceeds a limit
   */
  public BencodeValue decode(ByteBuffer input) throws BencodeException {
    checkInputLength(input.remaining());
    BencodeValue value = decodeFirst(input.duplicate(), true);
    input.position(input.limit());
    return value;
  }

  /**
   * Decodes one value from the start of the remaining bytes of {@code input} and moves the position
   * just past it, leaving any following bytes (as in a ut_metadata message, where raw data follows
   * a dictionary). On failure the position is unchanged. The buffer is not kept.
   *
   * @param input a buffer in read mode whose remaining bytes start with a bencoded value
   * @return the first value of the remaining bytes
   * @throws BencodeException if the value is malformed, truncated or exceeds a limit
   */
  public BencodeValue decodePrefix(ByteBuffer input) throws BencodeException {
    ByteBuffer view = input.duplicate();
    if (view.remaining() > maxInputLength) {
      view.limit(view.position() + maxInputLength);
    }
    int start = view.position();
    BencodeValue value = decodeFirst(view, false);
    input.position(start + (view.position() - start));
    return value;
  }

  private BencodeValue decodeFirst(ByteBuffer view, boolean whole) throws BencodeException {
    int length = view.remaining();
    byte[] array;
    int offset;
    if (view.hasArray()) {
      array = view.array();
      offset = view.arrayOffset() + view.position();
    } else {
      array = new byte[length];
      view.duplicate().get(array);
      offset = 0;
    }
    BencodeParser parser = parser(array, offset, length);
    BencodeValue value = parser.parseValue();
    if (whole && parser.consumed() != length) {
      throw new BencodeException("trailing data after the value", parser.consumed());
    }
    view.position(view.position() + parser.consumed());
    return value;
  }

  private void checkInputLength(int length) throws BencodeException {
    if (length > maxInputLength) {
      throw new BencodeException(
          "input of " + length + " bytes exceeds the limit of " + maxInputLength, maxInputLength);
    }
  }

  private BencodeParser parser(byte[] input, int offset, int length) {
    return new BencodeParser(
        input, offset, length, maxStringLength, maxDepth, maxEntries, maxValues, allowUnsortedKeys);
  }

  /** {@return the maximum input length in bytes} */
  public int maxInputLength() {
    return maxInputLength;
  }

  /** {@return the maximum length of one byte string} */
  public int maxStringLength() {
    return maxStringLength;
  }

  /** {@return the maximum nesting depth} */
  public int maxDepth() {
    return maxDepth;
  }

  /** {@return the maximum number of entries in one list or dictionary} */
  public int maxEntries() {
    return maxEntries;
  }

  /** {@return the maximum number of values in one input} */
  public int maxValues() {
    return maxValues;
  }

  /** {@return whether dictionary keys may come in any order} */
  public boolean allowsUnsortedKeys() {
    return allowUnsortedKeys;
  }

  /** Configures a {@link BencodeDecoder}. Every limit must be positive. */
  public static final class Builder {
    private int maxInputLength = DEFAULT_MAX_INPUT_LENGTH;
    private int maxStringLength = DEFAULT_MAX_STRING_LENGTH;
    private int maxDepth = DEFAULT_MAX_DEPTH;
    private int maxEntries = DEFAULT_MAX_ENTRIES;
    private int maxValues = DEFAULT_MAX_VALUES;
    private boolean allowUnsortedKeys;

    private Builder() {}

    /**
     * Sets the maximum input length in bytes.
     *
     * @param bytes the largest input {@link BencodeDecoder#decode(byte[])} accepts (default {@value
     *     BencodeDecoder#DEFAULT_MAX_INPUT_LENGTH}); must be positive
     * @return this builder
     */
    public Builder maxInputLength(int bytes) {
      this.maxInputLength = positive(bytes, "maxInputLength");
      return this;
    }

    /**
     * Sets the maximum length of one byte string.
     *
     * @param bytes the longest byte string accepted, checked before its bytes are allocated
     *     (default {@value BencodeDecoder#DEFAULT_MAX_STRING_LENGTH}); must be positive
     * @return this builder
     */
    public Builder maxStringLength(int bytes) {
      this.maxStringLength = positive(bytes, "maxStringLength");
      return this;
    }

    /**
     * Sets the maximum nesting depth of lists and dictionaries.
     *
     * @param depth how many lists and dictionaries may enclose one another (default {@value
     *     BencodeDecoder#DEFAULT_MAX_DEPTH}); must be positive
     * @return this builder
     */
    public Builder maxDepth(int depth) {
      this.maxDepth = positive(depth, "maxDepth");
      return this;
    }

    /**
     * Sets the maximum number of entries in one list or dictionary.
     *
     * @param entries the most elements of a list, or key-value pairs of a dictionary, accepted
     *     (default {@value BencodeDecoder#DEFAULT_MAX_ENTRIES}); must be positive
     * @return this builder
     */
    public Builder maxEntries(int entries) {
      this.maxEntries = positive(entries, "maxEntries");
      return this;
    }

    /**
     * Sets the maximum number of values (including keys) in one input.
     *
     * @param values the most values in all, every nested value and dictionary key counted (default
     *     {@value BencodeDecoder#DEFAULT_MAX_VALUES}); must be positive
     * @return this builder
     */
    public Builder maxValues(int values) {
      this.maxValues = positive(values, "maxValues");
      return this;
    }

    /**
     * Sets whether dictionary keys may come in any order (lenient mode, for real-world files).
     * Duplicate keys are rejected either way.
     *
     * @param allow {@code true} to accept dictionary keys out of order, {@code false} (the default)
     *     to reject them
     * @return this builder
     */
    public Builder allowUnsortedKeys(boolean allow) {
      this.allowUnsortedKeys = allow;
      return this;
    }

    /** {@return the decoder} */
    public BencodeDecoder build() {
      return new BencodeDecoder(this);
    }

    private static int positive(int value, String name) {
      checkArgument(value > 0, "%s must be positive: %s", name, value);
      return value;
    }
  }
}
