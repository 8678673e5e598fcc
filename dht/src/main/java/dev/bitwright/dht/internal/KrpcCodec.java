package dev.bitwright.dht.internal;

import dev.bitwright.bencode.BencodeDecoder;
import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeEncoder;
import dev.bitwright.bencode.BencodeException;
import dev.bitwright.bencode.BencodeInteger;
import dev.bitwright.bencode.BencodeList;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.bencode.BencodeValue;
import dev.bitwright.dht.DhtException;
import dev.bitwright.dht.NodeId;
import dev.bitwright.metainfo.internal.compact.CompactAddresses;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Decodes and encodes KRPC messages (BEP 5) over bencode.
 *
 * <p>Decoding is bounded: a datagram of more than {@value #MAX_DATAGRAM} bytes, more than 8 levels
 * of nesting or 1,024 values is refused before it is parsed further, and transaction ids longer
 * than {@value #MAX_TRANSACTION_ID} bytes are refused. Dictionary keys may come in any order, as
 * some clients do not sort them. Every malformed message raises {@link DhtException}.
 */
public final class KrpcCodec {
  /** The largest datagram decoded; DHT messages fit in one unfragmented UDP packet. */
  public static final int MAX_DATAGRAM = 2048;

  /** The longest transaction id accepted. */
  public static final int MAX_TRANSACTION_ID = 16;

  private static final int MAX_METHOD = 32;
  private static final BencodeDecoder DECODER =
      BencodeDecoder.builder()
          .maxInputLength(MAX_DATAGRAM)
          .maxStringLength(MAX_DATAGRAM)
          .maxDepth(8)
          .maxEntries(512)
          .maxValues(1024)
          .allowUnsortedKeys(true)
          .build();

  private KrpcCodec() {}

  /**
   * Decodes one datagram's remaining bytes; the buffer's position is left unchanged.
   *
   * @throws DhtException if it is not a well-formed KRPC message
   */
  public static KrpcMessage decode(ByteBuffer datagram) throws DhtException {
    KrpcFields top = new KrpcFields(dictionary(datagram), "");
    byte[] transactionId = transactionId(top);
    String type = text(top.bytes("y"), "y");
    switch (type) {
      case "q":
        return query(top, transactionId);
      case "r":
        return response(top, transactionId);
      case "e":
        return error(top, transactionId);
      default:
        throw new DhtException("unknown message type", "y");
    }
  }

  /**
   * Returns the transaction id of a datagram that is a bencoded dictionary marked as a query,
   * however malformed its other fields: the id to answer a bad query with an error.
   */
  public static Optional<byte[]> queryTransactionId(ByteBuffer datagram) {
    try {
      KrpcFields top = new KrpcFields(dictionary(datagram), "");
      if (!"q".equals(text(top.bytes("y"), "y"))) {
        return Optional.empty();
      }
      return Optional.of(transactionId(top));
    } catch (DhtException e) {
      return Optional.empty();
    }
  }

  private static BencodeDictionary dictionary(ByteBuffer datagram) throws DhtException {
    BencodeValue value;
    try {
      value = DECODER.decode(datagram.duplicate());
    } catch (BencodeException e) {
      throw new DhtException("not bencode: " + e.getMessage(), e);
    }
    if (value instanceof BencodeDictionary d) {
      return d;
    }
    throw new DhtException("not a dictionary", "");
  }

  private static byte[] transactionId(KrpcFields top) throws DhtException {
    byte[] t = top.bytes("t");
    if (t.length > MAX_TRANSACTION_ID) {
      throw new DhtException("transaction id too long", "t");
    }
    return t;
  }

  private static KrpcQuery query(KrpcFields top, byte[] transactionId) throws DhtException {
    byte[] method = top.bytes("q");
    if (method.length == 0 || method.length > MAX_METHOD) {
      throw new DhtException("bad method name", "q");
    }
    KrpcFields arguments = new KrpcFields(dictionaryField(top, "a"), "a.");
    boolean readOnly = top.optionalInteger("ro").orElse(0) == 1;
    return new KrpcQuery(transactionId, text(method, "q"), arguments.id("id"), arguments, readOnly);
  }

  private static KrpcResponse response(KrpcFields top, byte[] transactionId) throws DhtException {
    KrpcFields values = new KrpcFields(dictionaryField(top, "r"), "r.");
    Optional<InetSocketAddress> ip = top.optionalBytes("ip").flatMap(CompactNodes::parsePeer);
    return new KrpcResponse(transactionId, values.id("id"), values, ip);
  }

  private static KrpcError error(KrpcFields top, byte[] transactionId) throws DhtException {
    BencodeValue e = top.dictionary().get("e").orElseThrow(() -> new DhtException("missing", "e"));
    if (!(e instanceof BencodeList list)
        || list.size() < 2
        || !(list.get(0) instanceof BencodeInteger code)
        || !(list.get(1) instanceof BencodeString message)) {
      throw new DhtException("not [code, message]", "e");
    }
    return new KrpcError(transactionId, code.value(), message.text());
  }

  private static BencodeDictionary dictionaryField(KrpcFields top, String key) throws DhtException {
    BencodeValue value =
        top.dictionary().get(key).orElseThrow(() -> new DhtException("missing", key));
    if (value instanceof BencodeDictionary d) {
      return d;
    }
    throw new DhtException("not a dictionary", key);
  }

  private static String text(byte[] bytes, String field) throws DhtException {
    BencodeString s = BencodeString.of(bytes);
    if (!s.isValidUtf8()) {
      throw new DhtException("not UTF-8", field);
    }
    return s.text();
  }

  /**
   * Encodes a query.
   *
   * @param arguments the {@code a} dictionary, holding our {@code id}
   * @param readOnly whether to add {@code ro=1} (BEP 43)
   * @param version the {@code v} client version, or null for none
   */
  public static byte[] query(
      byte[] transactionId,
      String method,
      BencodeDictionary arguments,
      boolean readOnly,
      byte[] version) {
    BencodeDictionary.Builder top =
        envelope(transactionId, "q", version).put("q", method).put("a", arguments);
    if (readOnly) {
      top.put("ro", 1);
    }
    return BencodeEncoder.encode(top.build());
  }

  /**
   * Returns a response, unencoded so that its size can be checked first.
   *
   * @param values the {@code r} dictionary, holding our {@code id}
   * @param requester the address the query came from, sent back in {@code ip} (BEP 42); null for
   *     none
   * @param version the {@code v} client version, or null for none
   */
  public static BencodeDictionary response(
      byte[] transactionId, BencodeDictionary values, InetSocketAddress requester, byte[] version) {
    BencodeDictionary.Builder top = envelope(transactionId, "r", version).put("r", values);
    if (requester != null) {
      top.put("ip", CompactAddresses.encode(requester));
    }
    return top.build();
  }

  /** Encodes an error reply. */
  public static byte[] error(byte[] transactionId, int code, String message, byte[] version) {
    BencodeList e =
        BencodeList.of(
            BencodeInteger.of(code), BencodeString.of(message.getBytes(StandardCharsets.UTF_8)));
    return BencodeEncoder.encode(envelope(transactionId, "e", version).put("e", e).build());
  }

  private static BencodeDictionary.Builder envelope(
      byte[] transactionId, String type, byte[] version) {
    BencodeDictionary.Builder top =
        BencodeDictionary.builder().put("t", transactionId).put("y", type);
    if (version != null) {
      top.put("v", version);
    }
    return top;
  }

  /** Returns the dictionary {@code {"id": id}} that every query and response starts from. */
  public static BencodeDictionary.Builder withId(NodeId id) {
    return BencodeDictionary.builder().put("id", id.toBytes());
  }
}
