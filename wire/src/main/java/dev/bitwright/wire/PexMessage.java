package dev.bitwright.wire;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import dev.bitwright.bencode.BencodeDecoder;
import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeEncoder;
import dev.bitwright.bencode.BencodeException;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.bencode.BencodeValue;
import dev.bitwright.metainfo.internal.compact.CompactAddressException;
import dev.bitwright.metainfo.internal.compact.CompactAddresses;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code ut_pex} message (BEP 11): peers the sender connected to and disconnected from since its
 * last message, IPv4 and IPv6 together.
 *
 * @param added peers now connected, with their flags
 * @param dropped peers no longer connected
 */
public record PexMessage(List<Peer> added, List<InetSocketAddress> dropped) {
  /** Flag: the peer prefers encryption. */
  public static final int PREFERS_ENCRYPTION = 0x01;

  /** Flag: the peer is a seed or upload-only. */
  public static final int SEED = 0x02;

  /** Flag: the peer supports uTP. */
  public static final int UTP = 0x04;

  /** Flag: the peer supports ut_holepunch. */
  public static final int HOLEPUNCH = 0x08;

  /** Flag: the connection was outgoing: the peer is reachable. */
  public static final int REACHABLE = 0x10;

  /**
   * The most entries of each of {@code added} and {@code dropped} a received message may hold: the
   * BEP allows 50 per message after the first, and this leaves room for a large first message. More
   * is an egregious violation.
   */
  public static final int MAX_RECEIVED_ENTRIES = 500;

  /**
   * A peer in an {@code added} list.
   *
   * @param address the peer's address (an IP literal, not a host name)
   * @param flags the BEP 11 flags
   */
  public record Peer(InetSocketAddress address, int flags) {
    /**
     * Creates an entry; the address must be resolved and the flags a byte.
     *
     * @param address the peer's address (an IP literal, not a host name)
     * @param flags the BEP 11 flags
     */
    public Peer {
      checkArgument(!address.isUnresolved(), "PEX carries IP addresses only");
      checkArgument(flags >= 0 && flags <= 0xff, "flags are one byte");
    }
  }

  /**
   * Creates a message; lists are copied and every address must be resolved.
   *
   * @param added peers now connected, with their flags
   * @param dropped peers no longer connected
   */
  public PexMessage {
    added = ImmutableList.copyOf(added);
    dropped = ImmutableList.copyOf(dropped);
    dropped.forEach(a -> checkArgument(!a.isUnresolved(), "PEX carries IP addresses only"));
  }

  /** {@return the extended-message payload} */
  public byte[] encode() {
    BencodeDictionary.Builder d = BencodeDictionary.builder();
    putFamily(d, "added", CompactAddresses.IPV4);
    putFamily(d, "added6", CompactAddresses.IPV6);
    put(d, "dropped", CompactAddresses.encodeList(dropped, CompactAddresses.IPV4));
    put(d, "dropped6", CompactAddresses.encodeList(dropped, CompactAddresses.IPV6));
    return BencodeEncoder.encode(d.build());
  }

  private void putFamily(BencodeDictionary.Builder d, String key, int ipLength) {
    List<InetSocketAddress> addresses = new ArrayList<>();
    ByteArrayOutputStream flags = new ByteArrayOutputStream();
    for (Peer p : added) {
      if (CompactAddresses.ipLength(p.address().getAddress()) == ipLength) {
        addresses.add(p.address());
        flags.write(p.flags());
      }
    }
    if (!addresses.isEmpty()) {
      put(d, key, CompactAddresses.encodeList(addresses, ipLength));
      put(d, key + ".f", flags.toByteArray());
    }
  }

  private static void put(BencodeDictionary.Builder d, String key, byte[] value) {
    if (value.length > 0) {
      d.put(key, value);
    }
  }

  /**
   * Reads a {@code ut_pex} payload.
   *
   * @param payload the extended message's payload
   * @return the added and dropped peers
   * @throws WireException if it is not a dictionary, a compact list's length is not a multiple of
   *     its entry size, a flags string does not match its list, or a list holds more than {@link
   *     #MAX_RECEIVED_ENTRIES} entries
   */
  public static PexMessage decode(byte[] payload) throws WireException {
    BencodeValue value;
    try {
      value =
          BencodeDecoder.builder()
              .allowUnsortedKeys(true)
              .maxDepth(4)
              .maxValues(256)
              .build()
              .decode(payload);
    } catch (BencodeException e) {
      throw new WireException("malformed ut_pex message: " + e.getMessage(), e.offset());
    }
    if (!(value instanceof BencodeDictionary d)) {
      throw new WireException("ut_pex message is not a dictionary", 0);
    }
    List<InetSocketAddress> added4 = addresses(d, "added", CompactAddresses.IPV4);
    List<InetSocketAddress> added6 = addresses(d, "added6", CompactAddresses.IPV6);
    List<Peer> added = new ArrayList<>(added4.size() + added6.size());
    addWithFlags(added, added4, bytes(d, "added.f"));
    addWithFlags(added, added6, bytes(d, "added6.f"));
    List<InetSocketAddress> dropped = addresses(d, "dropped", CompactAddresses.IPV4);
    dropped.addAll(addresses(d, "dropped6", CompactAddresses.IPV6));
    if (added.size() > MAX_RECEIVED_ENTRIES || dropped.size() > MAX_RECEIVED_ENTRIES) {
      throw new WireException("ut_pex message with too many entries", 0);
    }
    return new PexMessage(added, dropped);
  }

  private static void addWithFlags(List<Peer> out, List<InetSocketAddress> peers, byte[] flags)
      throws WireException {
    if (flags.length != 0 && flags.length != peers.size()) {
      throw new WireException("ut_pex flags do not match the peers", 0);
    }
    for (int i = 0; i < peers.size(); i++) {
      out.add(new Peer(peers.get(i), flags.length == 0 ? 0 : flags[i] & 0xff));
    }
  }

  private static byte[] bytes(BencodeDictionary d, String key) {
    return d.get(key).orElse(null) instanceof BencodeString s ? s.bytes() : new byte[0];
  }

  /** Returns a mutable list of the peers in field {@code key}, empty if it is absent. */
  private static List<InetSocketAddress> addresses(BencodeDictionary d, String key, int ipLength)
      throws WireException {
    byte[] bytes = bytes(d, key);
    if (bytes.length / (ipLength + 2) > MAX_RECEIVED_ENTRIES) {
      throw new WireException("ut_pex message with too many entries", 0);
    }
    try {
      return CompactAddresses.decodeList(ByteBuffer.wrap(bytes), ipLength);
    } catch (CompactAddressException e) {
      throw new WireException("ut_pex " + key + " is not a list of compact addresses", 0);
    }
  }
}
