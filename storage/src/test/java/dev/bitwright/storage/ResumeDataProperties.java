package dev.bitwright.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.bencode.BencodeDecoder;
import dev.bitwright.bencode.BencodeDictionary;
import dev.bitwright.bencode.BencodeEncoder;
import dev.bitwright.bencode.BencodeInteger;
import dev.bitwright.bencode.BencodeList;
import dev.bitwright.bencode.BencodeString;
import dev.bitwright.bencode.BencodeValue;
import dev.bitwright.metainfo.InfoHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Resume data round-trips, and decoding anything else raises only {@link StorageException}. */
class ResumeDataProperties {
  private static final byte[] ALPHABET = "ilde0123456789:-".getBytes(StandardCharsets.US_ASCII);
  private static final List<String> KEYS =
      List.of("bitwright resume", "files", "info-hash", "piece count", "pieces");

  @Provide
  Arbitrary<ResumeData> resumeData() {
    Arbitrary<InfoHash> hashes =
        Arbitraries.of(20, 32)
            .flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n))
            .map(InfoHash::new);
    Arbitrary<Integer> counts =
        Arbitraries.frequencyOf(
            List.of(
                Tuple.of(1, Arbitraries.just(0)),
                Tuple.of(2, Arbitraries.of(1, 7, 8, 9, 15, 16, 17)),
                Tuple.of(5, Arbitraries.integers().between(1, 3000))));
    Arbitrary<Optional<FileState>> present =
        Combinators.combine(Arbitraries.longs(), Arbitraries.longs())
            .as((size, modified) -> Optional.of(new FileState(size, modified)));
    Arbitrary<Optional<FileState>> missing = Arbitraries.just(Optional.empty());
    Arbitrary<Optional<FileState>> states =
        Arbitraries.frequencyOf(List.of(Tuple.of(1, missing), Tuple.of(3, present)));
    return Combinators.combine(hashes, counts, states.list().ofMaxSize(20), Arbitraries.longs())
        .as(
            (hash, count, files, seed) -> {
              Random random = new Random(seed);
              double density = random.nextDouble();
              BitSet pieces = new BitSet();
              for (int i = 0; i < count; i++) {
                if (random.nextDouble() < density) {
                  pieces.set(i);
                }
              }
              return new ResumeData(hash, count, pieces, files);
            });
  }

  @Property(tries = 1000)
  void decodingAnEncodingGivesItBack(@ForAll("resumeData") ResumeData data) throws Exception {
    byte[] encoded = data.encode();
    ResumeData decoded = ResumeData.decode(encoded, "test");
    assertThat(decoded).isEqualTo(data);
    assertThat(decoded.pieces()).isEqualTo(data.pieces());
    assertThat(decoded.encode()).isEqualTo(encoded);
  }

  /** Decoding may succeed (then the result is stable) or fail, but only with StorageException. */
  private static void decodeExpectingOnlyStorageException(byte[] input) {
    try {
      ResumeData decoded = ResumeData.decode(input, "fuzz");
      assertThat(ResumeData.decode(decoded.encode(), "again")).isEqualTo(decoded);
    } catch (StorageException expected) {
      assertThat(expected.operation()).isEqualTo("read");
      assertThat(expected.file()).isEqualTo("fuzz");
    }
  }

  @Property(tries = 10_000)
  void arbitraryBytesRaiseOnlyStorageException(@ForAll byte[] input) {
    decodeExpectingOnlyStorageException(input);
  }

  @Provide
  Arbitrary<byte[]> bencodeLikeBytes() {
    List<Byte> symbols = new ArrayList<>();
    for (byte b : ALPHABET) {
      symbols.add(b);
    }
    Arbitrary<Byte> alphabet = Arbitraries.of(symbols);
    return Arbitraries.frequencyOf(List.of(Tuple.of(6, alphabet), Tuple.of(1, Arbitraries.bytes())))
        .list()
        .ofMaxSize(60)
        .map(
            list -> {
              byte[] bytes = new byte[list.size()];
              for (int i = 0; i < bytes.length; i++) {
                bytes[i] = list.get(i);
              }
              return bytes;
            });
  }

  @Property(tries = 10_000)
  void bencodeLikeBytesRaiseOnlyStorageException(@ForAll("bencodeLikeBytes") byte[] input) {
    decodeExpectingOnlyStorageException(input);
  }

  @Property(tries = 10_000)
  void mutatedEncodingsRaiseOnlyStorageException(
      @ForAll("resumeData") ResumeData data, @ForAll Random random) {
    byte[] bytes = data.encode();
    int mutations = 1 + random.nextInt(4);
    for (int m = 0; m < mutations && bytes.length > 0; m++) {
      int at = random.nextInt(bytes.length);
      switch (random.nextInt(5)) {
        case 0:
          bytes[at] = (byte) random.nextInt(256);
          break;
        case 1:
          bytes[at] = ALPHABET[random.nextInt(ALPHABET.length)];
          break;
        case 2:
          bytes = concat(slice(bytes, 0, at), slice(bytes, at + 1, bytes.length));
          break;
        case 3:
          bytes =
              concat(
                  slice(bytes, 0, at),
                  new byte[] {ALPHABET[random.nextInt(ALPHABET.length)]},
                  slice(bytes, at, bytes.length));
          break;
        default:
          bytes = slice(bytes, 0, at);
          break;
      }
    }
    decodeExpectingOnlyStorageException(bytes);
  }

  @Property(tries = 10_000)
  void structurallyDamagedRecordsRaiseOnlyStorageException(
      @ForAll("resumeData") ResumeData data, @ForAll Random random) throws Exception {
    BencodeDictionary dict = (BencodeDictionary) BencodeDecoder.strict().decode(data.encode());
    TreeMap<BencodeString, BencodeValue> top = new TreeMap<>(dict.entries());
    BencodeString key = BencodeString.of(KEYS.get(random.nextInt(KEYS.size())));
    switch (random.nextInt(4)) {
      case 0:
        top.remove(key);
        break;
      case 1:
        top.put(key, randomValue(random, 2));
        break;
      case 2:
        List<BencodeValue> files =
            new ArrayList<>(((BencodeList) top.get(BencodeString.of("files"))).values());
        if (files.isEmpty()) {
          files.add(randomValue(random, 2));
        } else {
          int i = random.nextInt(files.size());
          files.set(i, damageFile(files.get(i), random));
        }
        top.put(BencodeString.of("files"), new BencodeList(files));
        break;
      default:
        top.put(BencodeString.of("x-" + random.nextInt(3)), randomValue(random, 1));
        break;
    }
    decodeExpectingOnlyStorageException(BencodeEncoder.encode(new BencodeDictionary(top)));
  }

  private static BencodeValue damageFile(BencodeValue file, Random random) {
    if (!(file instanceof BencodeDictionary d) || d.size() == 0 || random.nextBoolean()) {
      return randomValue(random, 2);
    }
    TreeMap<BencodeString, BencodeValue> entries = new TreeMap<>(d.entries());
    BencodeString key = BencodeString.of(random.nextBoolean() ? "size" : "modified");
    if (random.nextBoolean()) {
      entries.remove(key);
    } else {
      entries.put(key, randomValue(random, 1));
    }
    return new BencodeDictionary(entries);
  }

  private static BencodeValue randomValue(Random random, int depth) {
    int kind = random.nextInt(depth > 0 ? 5 : 3);
    switch (kind) {
      case 0:
        long[] special = {
          0, 1, -1, 7, 8, 20, 32, Integer.MAX_VALUE, Long.MAX_VALUE, Long.MIN_VALUE
        };
        return BencodeInteger.of(
            random.nextBoolean() ? special[random.nextInt(special.length)] : random.nextLong());
      case 1:
        int length = random.nextBoolean() ? (random.nextBoolean() ? 20 : 32) : random.nextInt(40);
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return BencodeString.of(bytes);
      case 2:
        return BencodeString.of(KEYS.get(random.nextInt(KEYS.size())));
      case 3:
        List<BencodeValue> items = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
          items.add(randomValue(random, depth - 1));
        }
        return new BencodeList(items);
      default:
        TreeMap<BencodeString, BencodeValue> entries = new TreeMap<>();
        for (int i = random.nextInt(3); i > 0; i--) {
          String k = random.nextBoolean() ? (random.nextBoolean() ? "size" : "modified") : "k" + i;
          entries.put(BencodeString.of(k), randomValue(random, depth - 1));
        }
        return new BencodeDictionary(entries);
    }
  }

  private static byte[] slice(byte[] bytes, int from, int to) {
    return Arrays.copyOfRange(bytes, from, to);
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] p : parts) {
      length += p.length;
    }
    byte[] all = new byte[length];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }
}
