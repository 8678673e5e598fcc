package dev.bitwright.dht.internal;

import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeEncoder;
import dev.bitwright.bencode.BencodeList;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.bencode.BencodeValue;
import dev.bitwright.dht.DhtContact;
import dev.bitwright.dht.DhtException;
import dev.bitwright.dht.NodeId;
import dev.bitwright.metainfo.internal.compact.CompactAddresses;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Answers incoming queries: {@code ping}, {@code find_node}, {@code get_peers}, {@code
 * announce_peer} (BEP 5) and {@code sample_infohashes} (BEP 51); any other method gets error 204,
 * and malformed arguments or a bad token error 203. Every response carries the requester's address
 * in {@code ip} (BEP 42).
 *
 * <p><b>Amplification.</b> A reply is never larger than {@value #AMPLIFICATION} times the query it
 * answers, nor than {@value #MAX_REPLY} bytes: peer values and samples are trimmed to fit (the node
 * lists of a minimal query always fit). Together with the per-IP rate limit this bounds what a
 * spoofed source address can make us send to a victim.
 */
public final class QueryResponder {
  /** How many times larger than its query a reply may be. */
  public static final int AMPLIFICATION = 8;

  /** The largest reply, in bytes: one unfragmented packet on any path. */
  public static final int MAX_REPLY = 1280;

  /** The most peers in one {@code get_peers} reply. */
  public static final int MAX_VALUES = 50;

  /** The most info-hashes in one {@code sample_infohashes} reply. */
  public static final int MAX_SAMPLES = 50;

  private final RoutingTables tables;
  private final Tokens tokens;
  private final PeerStore peers;
  private final RandomGenerator random;
  private final Duration sampleInterval;
  private final byte[] version;
  private long errors;

  /** Creates a responder over the node's state. */
  public QueryResponder(
      RoutingTables tables,
      Tokens tokens,
      PeerStore peers,
      RandomGenerator random,
      Duration sampleInterval,
      byte[] version) {
    this.tables = tables;
    this.tokens = tokens;
    this.peers = peers;
    this.random = random;
    this.sampleInterval = sampleInterval;
    this.version = version;
  }

  /**
   * Returns the encoded reply to {@code query}.
   *
   * @param source where the query came from (resolved)
   * @param queryLength the query's size in bytes, which bounds the reply's
   */
  public byte[] answer(KrpcQuery query, InetSocketAddress source, int queryLength, long nowNanos) {
    int limit = Math.min(MAX_REPLY, AMPLIFICATION * queryLength);
    try {
      BencodeDictionary reply =
          switch (query.method()) {
            case "ping" -> respond(query, source, KrpcCodec.withId(tables.ownId()));
            case "find_node" ->
                respond(query, source, withNodes(query, source, "target", nowNanos));
            case "get_peers" -> getPeers(query, source, limit, nowNanos);
            case "announce_peer" -> announcePeer(query, source, nowNanos);
            case "sample_infohashes" -> samples(query, source, limit, nowNanos);
            default -> null;
          };
      if (reply == null) {
        return error(query, KrpcError.METHOD_UNKNOWN, "Method Unknown");
      }
      if (BencodeEncoder.encodedLength(reply) > limit) {
        return error(query, KrpcError.SERVER, "reply would be too large");
      }
      return BencodeEncoder.encode(reply);
    } catch (DhtException e) {
      return error(query, KrpcError.PROTOCOL, e.getMessage());
    }
  }

  /** Returns an encoded error reply with transaction id {@code transactionId}. */
  public byte[] error(byte[] transactionId, int code, String message) {
    errors++;
    return KrpcCodec.error(transactionId, code, message, version);
  }

  /** Returns how many error replies were made. */
  public long errors() {
    return errors;
  }

  private byte[] error(KrpcQuery query, int code, String message) {
    return error(query.transactionId(), code, message);
  }

  private BencodeDictionary respond(
      KrpcQuery query, InetSocketAddress source, BencodeDictionary.Builder values) {
    return KrpcCodec.response(query.transactionId(), values.build(), source, version);
  }

  /** Our id and the closest nodes to the id in argument {@code key}, per BEP 32's want rule. */
  private BencodeDictionary.Builder withNodes(
      KrpcQuery query, InetSocketAddress source, String key, long nowNanos) throws DhtException {
    NodeId target = query.arguments().id(key);
    boolean fromV4 = source.getAddress() instanceof Inet4Address;
    boolean n4 = query.hasWant() ? query.wants("n4") : fromV4;
    boolean n6 = query.hasWant() ? query.wants("n6") : !fromV4;
    BencodeDictionary.Builder values = KrpcCodec.withId(tables.ownId());
    if (n4) {
      tables.v4().ifPresent(t -> values.put("nodes", closest(t, target, nowNanos)));
    }
    if (n6) {
      tables.v6().ifPresent(t -> values.put("nodes6", closest(t, target, nowNanos)));
    }
    return values;
  }

  private static byte[] closest(RoutingTable table, NodeId target, long nowNanos) {
    List<DhtContact> nodes = table.closest(target, RoutingTable.K, nowNanos);
    return CompactNodes.nodes(nodes);
  }

  private BencodeDictionary getPeers(
      KrpcQuery query, InetSocketAddress source, int limit, long nowNanos) throws DhtException {
    NodeId infoHash = query.arguments().id("info_hash");
    BencodeDictionary.Builder values =
        withNodes(query, source, "info_hash", nowNanos)
            .put("token", tokens.tokenFor(source.getAddress()));
    boolean v4 = source.getAddress() instanceof Inet4Address;
    List<InetSocketAddress> found = peers.peers(infoHash, v4, MAX_VALUES, random);
    BencodeDictionary without = respond(query, source, values);
    long room = limit - BencodeEncoder.encodedLength(without) - "6:valuesle".length();
    int each = v4 ? 2 + CompactAddresses.PEER_V4 : 3 + CompactAddresses.PEER_V6;
    int fit = (int) Math.min(found.size(), Math.max(0, room / each));
    if (fit == 0) {
      return without;
    }
    List<BencodeValue> compact =
        found.subList(0, fit).stream()
            .<BencodeValue>map(p -> BencodeString.of(CompactAddresses.encode(p)))
            .toList();
    return respond(query, source, values.put("values", new BencodeList(compact)));
  }

  private BencodeDictionary announcePeer(KrpcQuery query, InetSocketAddress source, long nowNanos)
      throws DhtException {
    KrpcFields a = query.arguments();
    NodeId infoHash = a.id("info_hash");
    boolean implied = a.optionalInteger("implied_port").orElse(0) != 0;
    long port = implied ? source.getPort() : a.integer("port");
    if (port < 1 || port > 65535) {
      throw new DhtException("port out of range", "a.port");
    }
    if (!tokens.isValid(a.bytes("token"), source.getAddress())) {
      throw new DhtException("bad token", "a.token");
    }
    peers.announce(infoHash, new InetSocketAddress(source.getAddress(), (int) port), nowNanos);
    return respond(query, source, KrpcCodec.withId(tables.ownId()));
  }

  private BencodeDictionary samples(
      KrpcQuery query, InetSocketAddress source, int limit, long nowNanos) throws DhtException {
    BencodeDictionary.Builder values =
        withNodes(query, source, "target", nowNanos)
            .put("interval", sampleInterval.toSeconds())
            .put("num", peers.infoHashCount());
    long room =
        limit - BencodeEncoder.encodedLength(respond(query, source, values.put("samples", ""))) - 4;
    int fit = (int) Math.max(0, Math.min(MAX_SAMPLES, room / NodeId.LENGTH));
    List<NodeId> sample = peers.sampleInfoHashes(fit, random);
    byte[] concatenated = new byte[sample.size() * NodeId.LENGTH];
    for (int i = 0; i < sample.size(); i++) {
      System.arraycopy(sample.get(i).toBytes(), 0, concatenated, i * NodeId.LENGTH, NodeId.LENGTH);
    }
    return respond(query, source, values.put("samples", concatenated));
  }
}
