package dev.bitwright.dht.internal;

import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeInteger;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.bencode.BencodeValue;
import dev.bitwright.dht.DhtException;
import dev.bitwright.dht.NodeId;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Typed access to the fields of a KRPC dictionary ({@code a} of a query, {@code r} of a response),
 * each failing with a {@link DhtException} that names the field.
 */
public final class KrpcFields {
  private final BencodeDictionary dictionary;
  private final String prefix;

  KrpcFields(BencodeDictionary dictionary, String prefix) {
    this.dictionary = dictionary;
    this.prefix = prefix;
  }

  /** Returns the dictionary. */
  public BencodeDictionary dictionary() {
    return dictionary;
  }

  /** Returns the 20-byte id in {@code key}. */
  public NodeId id(String key) throws DhtException {
    byte[] bytes = bytes(key);
    if (bytes.length != NodeId.LENGTH) {
      throw new DhtException("not a 20-byte id", prefix + key);
    }
    return NodeId.of(bytes);
  }

  /** Returns the byte string in {@code key}. */
  public byte[] bytes(String key) throws DhtException {
    return optionalBytes(key).orElseThrow(() -> new DhtException("missing", prefix + key));
  }

  /** Returns the byte string in {@code key}, if present. */
  public Optional<byte[]> optionalBytes(String key) throws DhtException {
    Optional<BencodeValue> value = dictionary.get(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (value.get() instanceof BencodeString s) {
      return Optional.of(s.bytes());
    }
    throw new DhtException("not a string", prefix + key);
  }

  /** Returns the integer in {@code key}, if present. */
  public OptionalLong optionalInteger(String key) throws DhtException {
    Optional<BencodeValue> value = dictionary.get(key);
    if (value.isEmpty()) {
      return OptionalLong.empty();
    }
    if (value.get() instanceof BencodeInteger i) {
      return OptionalLong.of(i.value());
    }
    throw new DhtException("not an integer", prefix + key);
  }

  /** Returns the integer in {@code key}. */
  public long integer(String key) throws DhtException {
    OptionalLong value = optionalInteger(key);
    if (value.isEmpty()) {
      throw new DhtException("missing", prefix + key);
    }
    return value.getAsLong();
  }
}
