package dev.bitwright.wire;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableSortedMap;
import dev.bitwright.bencode.BencodeDecoder;
import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeEncoder;
import dev.bitwright.bencode.BencodeException;
import dev.bitwright.bencode.BencodeInteger;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.bencode.BencodeValue;
import dev.bitwright.metainfo.internal.compact.CompactAddressException;
import dev.bitwright.metainfo.internal.compact.CompactAddresses;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The extension protocol handshake (BEP 10): extended message id 0, a bencoded dictionary.
 *
 * @param messages extension name to the id the sender wants to receive it under ({@code m}); id 0
 *     disables an extension announced earlier
 * @param client the client name and version ({@code v})
 * @param listenPort the sender's TCP listen port ({@code p})
 * @param requestQueue how many outstanding requests the sender accepts ({@code reqq})
 * @param yourIp the receiver's address as the sender sees it ({@code yourip})
 * @param metadataSize the size of the info dictionary in bytes (BEP 9 {@code metadata_size})
 * @param uploadOnly whether the sender only uploads (BEP 21 {@code upload_only})
 * @param prefersEncryption whether the sender prefers encrypted connections ({@code e})
 */
public record ExtensionHandshake(
    Map<String, Integer> messages,
    Optional<String> client,
    OptionalInt listenPort,
    OptionalInt requestQueue,
    Optional<InetAddress> yourIp,
    OptionalInt metadataSize,
    boolean uploadOnly,
    boolean prefersEncryption) {
  /** Name of the metadata extension (BEP 9). */
  public static final String UT_METADATA = "ut_metadata";

  /** Name of the peer exchange extension (BEP 11). */
  public static final String UT_PEX = "ut_pex";

  /** Name of the don't-have extension (BEP 54). */
  public static final String LT_DONTHAVE = "lt_donthave";

  /**
   * Name of the upload-only extension message (BEP 21, as libtorrent sends it): a payload of one
   * byte, 1 when the sender stopped downloading, 0 when it downloads again.
   */
  public static final String UPLOAD_ONLY = "upload_only";

  /** The largest extension handshake accepted, in bytes. */
  public static final int MAX_LENGTH = 64 * 1024;

  private static final BencodeDecoder DECODER =
      BencodeDecoder.builder()
          .allowUnsortedKeys(true)
          .maxInputLength(MAX_LENGTH)
          .maxDepth(8)
          .maxValues(4096)
          .build();

  /**
   * Creates a handshake; the map is copied and ids must be 0 to 255.
   *
   * @param messages extension name to the id the sender wants to receive it under ({@code m}); id 0
   *     disables an extension announced earlier
   * @param client the client name and version ({@code v})
   * @param listenPort the sender's TCP listen port ({@code p})
   * @param requestQueue how many outstanding requests the sender accepts ({@code reqq})
   * @param yourIp the receiver's address as the sender sees it ({@code yourip})
   * @param metadataSize the size of the info dictionary in bytes (BEP 9 {@code metadata_size})
   * @param uploadOnly whether the sender only uploads (BEP 21 {@code upload_only})
   * @param prefersEncryption whether the sender prefers encrypted connections ({@code e})
   */
  public ExtensionHandshake {
    messages = ImmutableSortedMap.copyOf(messages);
    messages.values().forEach(id -> checkArgument(id >= 0 && id <= 255, "invalid id %s", id));
  }

  /**
   * {@return the id under which the sender wants extension {@code name}, if it supports it}
   *
   * @param name the extension's name, such as {@code ut_metadata}
   */
  public OptionalInt idOf(String name) {
    Integer id = messages.get(name);
    return id == null || id == 0 ? OptionalInt.empty() : OptionalInt.of(id);
  }

  /** {@return the bencoded payload (without the extended id byte)} */
  public byte[] encode() {
    BencodeDictionary.Builder m = BencodeDictionary.builder();
    messages.forEach(m::put);
    BencodeDictionary.Builder d = BencodeDictionary.builder().put("m", m.build());
    client.ifPresent(v -> d.put("v", v));
    listenPort.ifPresent(p -> d.put("p", p));
    requestQueue.ifPresent(q -> d.put("reqq", q));
    yourIp.ifPresent(ip -> d.put("yourip", ip.getAddress()));
    metadataSize.ifPresent(s -> d.put("metadata_size", s));
    if (uploadOnly) {
      d.put("upload_only", 1);
    }
    if (prefersEncryption) {
      d.put("e", 1);
    }
    return BencodeEncoder.encode(d.build());
  }

  /**
   * Reads a handshake payload. Unknown keys are ignored, and so are known keys of the wrong type
   * (clients disagree on details), except that the payload must be a dictionary.
   *
   * @param payload the extended message's payload (extended id 0)
   * @return the handshake, with the fields the sender gave
   * @throws WireException if the payload is not a bencoded dictionary within the limits
   */
  public static ExtensionHandshake decode(byte[] payload) throws WireException {
    BencodeValue value;
    try {
      value = DECODER.decode(payload);
    } catch (BencodeException e) {
      throw new WireException("malformed extension handshake: " + e.getMessage(), e.offset());
    }
    if (!(value instanceof BencodeDictionary d)) {
      throw new WireException("extension handshake is not a dictionary", 0);
    }
    Map<String, Integer> messages = new TreeMap<>();
    if (d.get("m").orElse(null) instanceof BencodeDictionary m) {
      for (Map.Entry<BencodeString, BencodeValue> e : m.entries().entrySet()) {
        // Extension names are ASCII; a key that is not even UTF-8 names nothing we know.
        if (e.getKey().isValidUtf8()
            && e.getValue() instanceof BencodeInteger id
            && id.value() >= 0
            && id.value() <= 255) {
          messages.putIfAbsent(e.getKey().text(), (int) id.value());
        }
      }
    }
    return new ExtensionHandshake(
        messages,
        text(d, "v"),
        integer(d, "p", 1, 0xffff),
        integer(d, "reqq", 1, Integer.MAX_VALUE),
        address(d),
        integer(d, "metadata_size", 1, Integer.MAX_VALUE),
        integer(d, "upload_only", 1, Integer.MAX_VALUE).isPresent(),
        integer(d, "e", 1, Integer.MAX_VALUE).isPresent());
  }

  private static Optional<String> text(BencodeDictionary d, String key) {
    return d.get(key).filter(BencodeString.class::isInstance).map(v -> ((BencodeString) v).text());
  }

  private static OptionalInt integer(BencodeDictionary d, String key, long min, long max) {
    if (d.get(key).orElse(null) instanceof BencodeInteger i
        && i.value() >= min
        && i.value() <= max) {
      return OptionalInt.of((int) i.value());
    }
    return OptionalInt.empty();
  }

  private static Optional<InetAddress> address(BencodeDictionary d) {
    if (d.get("yourip").orElse(null) instanceof BencodeString s) {
      try {
        return Optional.of(CompactAddresses.ip(s.bytes()));
      } catch (CompactAddressException e) {
        // The address is only a hint: a malformed one is as good as none.
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
