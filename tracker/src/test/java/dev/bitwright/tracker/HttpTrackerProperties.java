package dev.bitwright.tracker;

import static dev.bitwright.tracker.TestData.bytes;
import static dev.bitwright.tracker.TestData.compact4;
import static dev.bitwright.tracker.TestData.compact6;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeEncoder;
import dev.bitwright.bencode.BencodeInteger;
import dev.bitwright.bencode.BencodeList;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.bencode.BencodeValue;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Whatever the bytes, parsing a reply either works or raises a {@link TrackerException}. */
class HttpTrackerProperties {
  private static final byte[] ALPHABET = "ilde0123456789:-".getBytes(StandardCharsets.US_ASCII);

  /** IP strings that never make the parser resolve a name (see DictionaryPeerLookupTest). */
  private static final List<String> IPS =
      List.of("1.2.3.4", "0.0.0.0", "::1", "1:2", "::ffff:1.2.3.4", "peer.example", "", "1.2.3");

  private static final List<String> KEYS =
      List.of(
          "interval",
          "min interval",
          "complete",
          "incomplete",
          "downloaded",
          "peers",
          "peers6",
          "tracker id",
          "warning message",
          "external ip",
          "failure reason",
          "files",
          "port",
          "peer id");

  static final List<byte[]> GOLDEN =
      List.of(
          bytes(
              "d8:completei7e10:incompletei3e8:intervali900e12:min intervali300e",
              "5:peers12:",
              compact4(1, 2, 3, 4, 6881),
              compact4(9, 8, 7, 6, 0),
              "6:peers618:",
              compact6(HttpTrackerParseTest.V6_DOC, 443),
              "10:tracker id5:abc1215:warning message4:slow11:external ip4:",
              compact4(1, 2, 3, 4, 5).clone(),
              "e"),
          bytes(
              "d8:intervali60e5:peersld2:ip7:1.2.3.47:peer id20:xxxxxxxxxxxxxxxxxxxx",
              "4:porti6881eed2:ip3:::14:porti1eed2:ip4:host4:porti2eeee"),
          bytes("d14:failure reason6:banned8:intervali60ee"),
          bytes(
              "d5:filesd20:xxxxxxxxxxxxxxxxxxxxd8:completei11e10:downloadedi13772e",
              "10:incompletei19ee20:yyyyyyyyyyyyyyyyyyyyd8:completei21e10:downloadedi206e",
              "10:incompletei20eeee"));

  @Property(tries = 10_000)
  void arbitraryBytes(@ForAll byte[] body) {
    parseExpectingOnlyTrackerException(body);
  }

  @Property(tries = 10_000)
  void bencodeLikeBytes(@ForAll("bencodeLike") byte[] body) {
    parseExpectingOnlyTrackerException(body);
  }

  @Property(tries = 10_000)
  void mutatedGoldenReplies(@ForAll("mutatedGolden") byte[] body) {
    parseExpectingOnlyTrackerException(body);
  }

  @Property(tries = 10_000)
  void randomRepliesOfTheRightShape(@ForAll("replies") BencodeValue reply) {
    parseExpectingOnlyTrackerException(BencodeEncoder.encode(reply));
  }

  private static void parseExpectingOnlyTrackerException(byte[] body) {
    try {
      AnnounceResponse r = HttpTracker.parseAnnounce(body);
      assertThat(r.interval()).isGreaterThanOrEqualTo(HttpTracker.SHORTEST_INTERVAL);
      r.minInterval().ifPresent(m -> assertThat(m.isNegative()).isFalse());
      r.seeders().ifPresent(n -> assertThat(n).isNotNegative());
      r.leechers().ifPresent(n -> assertThat(n).isNotNegative());
      for (InetSocketAddress peer : r.peers()) {
        assertThat(peer.isUnresolved()).isFalse();
        assertThat(peer.getPort()).isBetween(1, 65535);
      }
    } catch (TrackerException expected) {
      assertThat(expected.getMessage()).isNotNull();
    }
    try {
      HttpTracker.parseScrape(body)
          .forEach(
              (hash, stats) -> {
                assertThat(hash.bytes()).hasSize(20);
                assertThat(stats.seeders()).isNotNegative();
                assertThat(stats.completed()).isNotNegative();
                assertThat(stats.leechers()).isNotNegative();
              });
    } catch (TrackerException expected) {
      assertThat(expected.getMessage()).isNotNull();
    }
  }

  @Provide
  Arbitrary<byte[]> bencodeLike() {
    Arbitrary<Byte> alphabet = Arbitraries.of(boxed(ALPHABET));
    return Arbitraries.frequencyOf(List.of(Tuple.of(6, alphabet), Tuple.of(1, Arbitraries.bytes())))
        .list()
        .ofMaxSize(100)
        .map(HttpTrackerProperties::unboxed);
  }

  @Provide
  Arbitrary<byte[]> mutatedGolden() {
    return Combinators.combine(
            Arbitraries.of(GOLDEN),
            Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofMinSize(1).ofMaxSize(4),
            Arbitraries.bytes())
        .as(HttpTrackerProperties::mutate);
  }

  /**
   * Dictionaries of tracker keys with values of every kind, built directly from jqwik's random
   * source: jqwik's combinators spend most of their time on edge cases of such nested structures.
   */
  @Provide
  Arbitrary<BencodeValue> replies() {
    return Arbitraries.randomValue(r -> randomDictionary(r, 2));
  }

  private static BencodeValue randomDictionary(Random r, int depth) {
    Map<BencodeString, BencodeValue> m = new LinkedHashMap<>();
    int size = r.nextInt(9);
    for (int i = 0; i < size; i++) {
      int k = r.nextInt(8);
      BencodeString key =
          k < 6
              ? BencodeString.of(KEYS.get(r.nextInt(KEYS.size())))
              : BencodeString.of(randomBytes(r, k == 6 ? 20 : r.nextInt(9)));
      m.put(key, randomValue(r, depth));
    }
    return dictionary(m);
  }

  private static BencodeValue randomValue(Random r, int depth) {
    int kind = r.nextInt(depth > 0 ? 12 : 10);
    switch (kind) {
      case 0, 1, 2, 3:
        return BencodeInteger.of(randomInteger(r));
      case 4, 5:
        return BencodeString.of(randomBytes(r, r.nextInt(61)));
      case 6:
        return BencodeString.of(randomBytes(r, r.nextInt(13) * 6 + r.nextInt(3)));
      case 7:
        return BencodeString.of(randomBytes(r, r.nextInt(6) * 18 + r.nextInt(2)));
      case 8:
        return BencodeString.of(IPS.get(r.nextInt(IPS.size())));
      case 9:
        List<BencodeValue> peers = new ArrayList<>();
        for (int n = r.nextInt(6); n > 0; n--) {
          peers.add(randomPeer(r));
        }
        return new BencodeList(peers);
      case 10:
        return randomDictionary(r, depth - 1);
      default:
        List<BencodeValue> list = new ArrayList<>();
        for (int n = r.nextInt(4); n > 0; n--) {
          list.add(randomValue(r, depth - 1));
        }
        return new BencodeList(list);
    }
  }

  private static long randomInteger(Random r) {
    long[] edges = {0, -1, 1, 59, 60, 65535, 65536, Integer.MAX_VALUE + 1L, Long.MIN_VALUE};
    switch (r.nextInt(3)) {
      case 0:
        return edges[r.nextInt(edges.length)];
      case 1:
        return r.nextInt(140_001) - 70_000;
      default:
        return r.nextLong();
    }
  }

  private static BencodeValue randomPeer(Random r) {
    Map<BencodeString, BencodeValue> m = new LinkedHashMap<>();
    if (r.nextInt(8) > 0) {
      m.put(BencodeString.of("ip"), BencodeString.of(IPS.get(r.nextInt(IPS.size()))));
    }
    if (r.nextInt(8) > 0) {
      m.put(BencodeString.of("port"), BencodeInteger.of(randomInteger(r)));
    }
    if (r.nextBoolean()) {
      m.put(BencodeString.of("peer id"), BencodeString.of(randomBytes(r, 20)));
    }
    return r.nextInt(10) == 0 ? BencodeInteger.of(1) : dictionary(m);
  }

  private static byte[] randomBytes(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  private static BencodeValue dictionary(Map<BencodeString, BencodeValue> entries) {
    return new BencodeDictionary(entries);
  }

  static byte[] mutate(byte[] input, List<Integer> choices, byte replacement) {
    byte[] bytes = input.clone();
    for (int choice : choices) {
      if (bytes.length == 0) {
        return new byte[] {replacement};
      }
      int at = choice % bytes.length;
      switch (choice % 5) {
        case 0 -> bytes[at] = replacement;
        case 1 -> bytes = Arrays.copyOf(bytes, at);
        case 2 -> {
          byte[] shorter = new byte[bytes.length - 1];
          System.arraycopy(bytes, 0, shorter, 0, at);
          System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
          bytes = shorter;
        }
        case 3 -> bytes[at] = ALPHABET[Math.floorMod(replacement, ALPHABET.length)];
        default -> {
          byte[] longer = new byte[bytes.length + 1];
          System.arraycopy(bytes, 0, longer, 0, at);
          longer[at] = ALPHABET[Math.floorMod(replacement, ALPHABET.length)];
          System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
          bytes = longer;
        }
      }
    }
    return bytes;
  }

  static List<Byte> boxed(byte[] bytes) {
    Byte[] boxed = new Byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      boxed[i] = bytes[i];
    }
    return List.of(boxed);
  }

  static byte[] unboxed(List<Byte> list) {
    byte[] bytes = new byte[list.size()];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = list.get(i);
    }
    return bytes;
  }
}
