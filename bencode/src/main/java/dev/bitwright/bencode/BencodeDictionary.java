package dev.bitwright.bencode;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A bencoded dictionary: byte-string keys in canonical (unsigned lexicographic) order.
 *
 * <p>A dictionary produced by {@link BencodeDecoder} also knows, for each value, the exact range of
 * input bytes it was decoded from ({@link #valueRange(String)}): this is how the info-hash of a
 * torrent is computed over the bytes as read. The ranges are not part of the value: {@code equals}
 * and {@code hashCode} compare entries only.
 *
 * @param entries the entries, sorted by key; immutable
 * @param valueRanges for decoded dictionaries, the input range of each value; empty for
 *     dictionaries built in code; immutable
 */
public record BencodeDictionary(
    SortedMap<BencodeString, BencodeValue> entries, Map<BencodeString, ByteRange> valueRanges)
    implements BencodeValue {
  private static final BencodeDictionary EMPTY = new BencodeDictionary(ImmutableSortedMap.of());

  /**
   * Creates a dictionary holding immutable copies of {@code entries} and {@code valueRanges}.
   *
   * @param entries the entries; copied into a map sorted by key in the canonical byte order
   * @param valueRanges the input bytes each value was decoded from, by key; empty for a dictionary
   *     made in code
   * @throws IllegalArgumentException if a range is given for a key that is not an entry
   * @throws NullPointerException if an argument, key or value is null
   */
  public BencodeDictionary {
    entries = ImmutableSortedMap.copyOf(entries);
    valueRanges = ImmutableMap.copyOf(valueRanges);
    checkArgument(
        entries.keySet().containsAll(valueRanges.keySet()), "a value range names a missing key");
  }

  /**
   * Creates a dictionary of {@code entries} without source ranges.
   *
   * @param entries the entries; copied and sorted by key in the canonical byte order
   */
  public BencodeDictionary(Map<BencodeString, BencodeValue> entries) {
    this(ImmutableSortedMap.copyOf(entries), ImmutableMap.of());
  }

  /** {@return the empty dictionary} */
  public static BencodeDictionary of() {
    return EMPTY;
  }

  /** {@return a builder for a dictionary made in code} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the number of entries} */
  public int size() {
    return entries.size();
  }

  /**
   * {@return the value for the UTF-8 key {@code key}, if present}
   *
   * @param key the key, encoded as UTF-8 to look it up
   */
  public Optional<BencodeValue> get(String key) {
    return get(BencodeString.of(key));
  }

  /**
   * {@return the value for {@code key}, if present}
   *
   * @param key the key as raw bytes
   */
  public Optional<BencodeValue> get(BencodeString key) {
    return Optional.ofNullable(entries.get(key));
  }

  /**
   * {@return whether the UTF-8 key {@code key} is present}
   *
   * @param key the key, encoded as UTF-8 to look it up
   */
  public boolean containsKey(String key) {
    return entries.containsKey(BencodeString.of(key));
  }

  /**
   * {@return the range of input bytes the value of {@code key} was decoded from; empty when the key
   * is absent or the dictionary was not decoded}
   *
   * @param key the key, encoded as UTF-8 to look it up
   */
  public Optional<ByteRange> valueRange(String key) {
    return Optional.ofNullable(valueRanges.get(BencodeString.of(key)));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BencodeDictionary other && entries.equals(other.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return entries.toString();
  }

  /** Builds a dictionary in code; a later {@code put} of the same key replaces the earlier one. */
  public static final class Builder {
    private final TreeMap<BencodeString, BencodeValue> entries = new TreeMap<>();

    private Builder() {}

    /**
     * Puts {@code value} under {@code key}.
     *
     * @param key the key; a later put under the same key replaces the value
     * @param value the value to store
     * @return this builder
     */
    public Builder put(BencodeString key, BencodeValue value) {
      entries.put(key, value);
      return this;
    }

    /**
     * Puts {@code value} under the UTF-8 key {@code key}.
     *
     * @param key the key, stored as its UTF-8 bytes; a later put under the same key replaces the
     *     value
     * @param value the value to store
     * @return this builder
     */
    public Builder put(String key, BencodeValue value) {
      return put(BencodeString.of(key), value);
    }

    /**
     * Puts the integer {@code value} under the UTF-8 key {@code key}.
     *
     * @param key the key, stored as its UTF-8 bytes; a later put under the same key replaces the
     *     value
     * @param value the number, stored as a {@link BencodeInteger}
     * @return this builder
     */
    public Builder put(String key, long value) {
      return put(key, BencodeInteger.of(value));
    }

    /**
     * Puts the UTF-8 string {@code value} under the UTF-8 key {@code key}.
     *
     * @param key the key, stored as its UTF-8 bytes; a later put under the same key replaces the
     *     value
     * @param value the text, stored as a {@link BencodeString} of its UTF-8 bytes
     * @return this builder
     */
    public Builder put(String key, String value) {
      return put(key, BencodeString.of(value));
    }

    /**
     * Puts the byte string {@code value} under the UTF-8 key {@code key}.
     *
     * @param key the key, stored as its UTF-8 bytes; a later put under the same key replaces the
     *     value
     * @param value the bytes, copied into a {@link BencodeString}
     * @return this builder
     */
    public Builder put(String key, byte[] value) {
      return put(key, BencodeString.of(value));
    }

    /** {@return the dictionary} */
    public BencodeDictionary build() {
      return new BencodeDictionary(entries);
    }
  }
}
