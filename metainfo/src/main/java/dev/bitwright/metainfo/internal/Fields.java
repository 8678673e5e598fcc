package dev.bitwright.metainfo.internal;

import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeInteger;
import dev.bitwright.bencode.BencodeList;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.bencode.BencodeValue;
import dev.bitwright.metainfo.MetainfoException;
import java.util.Optional;

/**
 * Typed reads of dictionary fields that fail with a {@link MetainfoException} naming the field.
 *
 * @param dictionary the dictionary read from
 * @param path the dotted path of the dictionary itself, used in error messages ("" for the root)
 */
public record Fields(BencodeDictionary dictionary, String path) {

  /** Returns the dotted path of {@code key} in this dictionary. */
  public String field(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** Returns the value of {@code key}, if present. */
  public Optional<BencodeValue> optional(String key) {
    return dictionary.get(key);
  }

  /** Returns the byte string under {@code key}, if present. */
  public Optional<BencodeString> optionalString(String key) throws MetainfoException {
    return optionalOf(key, BencodeString.class, "a byte string");
  }

  /** Returns the integer under {@code key}, if present. */
  public Optional<Long> optionalInteger(String key) throws MetainfoException {
    return optionalOf(key, BencodeInteger.class, "an integer").map(BencodeInteger::value);
  }

  /** Returns the list under {@code key}, if present. */
  public Optional<BencodeList> optionalList(String key) throws MetainfoException {
    return optionalOf(key, BencodeList.class, "a list");
  }

  /** Returns the dictionary under {@code key}, if present. */
  public Optional<BencodeDictionary> optionalDictionary(String key) throws MetainfoException {
    return optionalOf(key, BencodeDictionary.class, "a dictionary");
  }

  /** Returns the byte string under {@code key}. */
  public BencodeString string(String key) throws MetainfoException {
    return require(key, optionalString(key));
  }

  /** Returns the integer under {@code key}. */
  public long integer(String key) throws MetainfoException {
    return require(key, optionalInteger(key));
  }

  /** Returns the list under {@code key}. */
  public BencodeList list(String key) throws MetainfoException {
    return require(key, optionalList(key));
  }

  /** Returns the dictionary under {@code key}. */
  public BencodeDictionary dictionary(String key) throws MetainfoException {
    return require(key, optionalDictionary(key));
  }

  /** Returns the UTF-8 text under {@code key} if present and a byte string, else empty. */
  public Optional<String> lenientText(String key) {
    return dictionary.get(key).filter(BencodeString.class::isInstance).map(v -> text(v));
  }

  private static String text(BencodeValue value) {
    return ((BencodeString) value).text();
  }

  private <T> T require(String key, Optional<T> value) throws MetainfoException {
    if (value.isEmpty()) {
      throw new MetainfoException(field(key), "missing");
    }
    return value.get();
  }

  private <T extends BencodeValue> Optional<T> optionalOf(String key, Class<T> type, String what)
      throws MetainfoException {
    Optional<BencodeValue> value = dictionary.get(key);
    if (value.isPresent() && !type.isInstance(value.get())) {
      throw new MetainfoException(field(key), "must be " + what);
    }
    return value.map(type::cast);
  }

  /** Returns {@code value} as a byte string, or fails naming {@code field}. */
  public static BencodeString asString(BencodeValue value, String field) throws MetainfoException {
    if (value instanceof BencodeString s) {
      return s;
    }
    throw new MetainfoException(field, "must be a byte string");
  }

  /** Returns {@code value} as a dictionary, or fails naming {@code field}. */
  public static BencodeDictionary asDictionary(BencodeValue value, String field)
      throws MetainfoException {
    if (value instanceof BencodeDictionary d) {
      return d;
    }
    throw new MetainfoException(field, "must be a dictionary");
  }

  /** Returns {@code value} as a list, or fails naming {@code field}. */
  public static BencodeList asList(BencodeValue value, String field) throws MetainfoException {
    if (value instanceof BencodeList l) {
      return l;
    }
    throw new MetainfoException(field, "must be a list");
  }
}
