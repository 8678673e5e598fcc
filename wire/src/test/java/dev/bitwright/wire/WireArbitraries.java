package dev.bitwright.wire;

import dev.bitwright.wire.PeerMessage.AllowedFast;
import dev.bitwright.wire.PeerMessage.Bitfield;
import dev.bitwright.wire.PeerMessage.Cancel;
import dev.bitwright.wire.PeerMessage.Choke;
import dev.bitwright.wire.PeerMessage.Extended;
import dev.bitwright.wire.PeerMessage.HashRange;
import dev.bitwright.wire.PeerMessage.HashReject;
import dev.bitwright.wire.PeerMessage.HashRequest;
import dev.bitwright.wire.PeerMessage.Hashes;
import dev.bitwright.wire.PeerMessage.Have;
import dev.bitwright.wire.PeerMessage.HaveAll;
import dev.bitwright.wire.PeerMessage.HaveNone;
import dev.bitwright.wire.PeerMessage.Interested;
import dev.bitwright.wire.PeerMessage.KeepAlive;
import dev.bitwright.wire.PeerMessage.NotInterested;
import dev.bitwright.wire.PeerMessage.Piece;
import dev.bitwright.wire.PeerMessage.Port;
import dev.bitwright.wire.PeerMessage.Reject;
import dev.bitwright.wire.PeerMessage.Request;
import dev.bitwright.wire.PeerMessage.Suggest;
import dev.bitwright.wire.PeerMessage.Unchoke;
import dev.bitwright.wire.PeerMessage.Unknown;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Generators of peer messages, frames and damaged byte streams for properties. */
final class WireArbitraries {
  /** Pieces of the torrent the generated messages belong to: 10 bitfield bytes, 3 spare bits. */
  static final int PIECE_COUNT = 77;

  static final int PIECE_SIZE = 64 * 1024;

  /** The last piece is short. */
  static final int LAST_PIECE_SIZE = 5000;

  private static final int[] UNKNOWN_IDS = {10, 11, 12, 18, 19, 24, 99, 200, 255};

  private WireArbitraries() {}

  static int pieceSize(int piece) {
    return piece == PIECE_COUNT - 1 ? LAST_PIECE_SIZE : PIECE_SIZE;
  }

  /** Limits of the torrent the generated messages belong to. */
  static WireLimits limits() {
    return WireLimits.forTorrent(PIECE_COUNT, WireArbitraries::pieceSize);
  }

  /** A frame's bytes and the message the decoder must give for them. */
  record Frame(byte[] bytes, PeerMessage message) {}

  static Arbitrary<byte[]> bytes(int min, int max) {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(min).ofMaxSize(max);
  }

  private static Arbitrary<Integer> pieces() {
    return Arbitraries.integers().between(0, PIECE_COUNT - 1);
  }

  /** Valid messages of every kind that can be encoded, within {@link #limits()}. */
  static Arbitrary<PeerMessage> messages() {
    Arbitrary<PeerMessage> bare =
        Arbitraries.of(
            List.<PeerMessage>of(
                new KeepAlive(),
                new Choke(),
                new Unchoke(),
                new Interested(),
                new NotInterested(),
                new HaveAll(),
                new HaveNone()));
    Arbitrary<PeerMessage> indices =
        Arbitraries.oneOf(
            pieces().<PeerMessage>map(Have::new),
            pieces().<PeerMessage>map(Suggest::new),
            pieces().<PeerMessage>map(AllowedFast::new));
    Arbitrary<PeerMessage> bitfields =
        bytes((PIECE_COUNT + 7) / 8, (PIECE_COUNT + 7) / 8)
            .map(
                b -> {
                  b[b.length - 1] &= (byte) 0xf8;
                  return new Bitfield(b);
                });
    Arbitrary<PeerMessage> blocks =
        Arbitraries.oneOf(
            blocks(WireLimits.BLOCK_SIZE).map(b -> new Request(b.get1(), b.get2(), b.get3())),
            blocks(Integer.MAX_VALUE).map(b -> new Cancel(b.get1(), b.get2(), b.get3())),
            blocks(Integer.MAX_VALUE).map(b -> new Reject(b.get1(), b.get2(), b.get3())));
    Arbitrary<PeerMessage> data =
        pieces()
            .flatMap(
                p ->
                    bytes(0, 48)
                        .flatMap(
                            d ->
                                Arbitraries.integers()
                                    .between(0, pieceSize(p) - d.length)
                                    .map(off -> new Piece(p, off, ByteBuffer.wrap(d)))));
    Arbitrary<PeerMessage> ports = Arbitraries.integers().between(0, 0xffff).map(Port::new);
    Arbitrary<PeerMessage> extended =
        Combinators.combine(Arbitraries.integers().between(0, 255), bytes(0, 48)).as(Extended::new);
    Arbitrary<PeerMessage> hashes =
        Arbitraries.oneOf(
            hashRanges().map(HashRequest::new),
            hashRanges().map(HashReject::new),
            Combinators.combine(
                    hashRanges(),
                    Arbitraries.integers().between(0, 4).flatMap(n -> bytes(32 * n, 32 * n)))
                .as(Hashes::new));
    return Arbitraries.frequencyOf(
        List.of(
            Tuple.of(3, bare),
            Tuple.of(2, indices),
            Tuple.of(1, bitfields),
            Tuple.of(3, blocks),
            Tuple.of(2, data),
            Tuple.of(1, ports),
            Tuple.of(2, extended),
            Tuple.of(2, hashes)));
  }

  /** (piece, offset, length) of a block inside its piece, at most {@code maxLength} long. */
  private static Arbitrary<Tuple.Tuple3<Integer, Integer, Integer>> blocks(int maxLength) {
    return pieces()
        .flatMap(
            p -> {
              int size = pieceSize(p);
              return Arbitraries.integers()
                  .between(1, Math.min(maxLength, size))
                  .flatMap(
                      len ->
                          Arbitraries.integers()
                              .between(0, size - len)
                              .map(off -> Tuple.of(p, off, len)));
            });
  }

  static Arbitrary<HashRange> hashRanges() {
    Arbitrary<Integer> nonNegative =
        Arbitraries.oneOf(
            Arbitraries.integers().between(0, 40), Arbitraries.integers().greaterOrEqual(0));
    return Arbitraries.integers()
        .between(1, 30)
        .flatMap(
            k -> {
              int length = 1 << k;
              return Combinators.combine(
                      bytes(32, 32),
                      nonNegative,
                      Arbitraries.integers().between(0, Integer.MAX_VALUE / length),
                      nonNegative)
                  .as(
                      (root, base, m, proof) ->
                          new HashRange(root, base, m * length, length, proof));
            });
  }

  /** Frames of valid messages and of messages with ids the decoder does not know. */
  static Arbitrary<Frame> frames() {
    Arbitrary<Frame> known = messages().map(m -> new Frame(WireBytes.encoded(m), m));
    Arbitrary<Frame> unknown =
        Combinators.combine(Arbitraries.of(toList(UNKNOWN_IDS)), bytes(0, 40))
            .as(
                (id, payload) ->
                    new Frame(
                        ByteBuffer.allocate(5 + payload.length)
                            .putInt(1 + payload.length)
                            .put(id.byteValue())
                            .put(payload)
                            .array(),
                        new Unknown(id, payload.length)));
    return Arbitraries.frequencyOf(List.of(Tuple.of(9, known), Tuple.of(1, unknown)));
  }

  /**
   * Frame-shaped noise: a plausible length prefix, a known id and a payload of about the size that
   * id needs, so that the decoder's field checks (not only the framing) see random values.
   */
  static Arbitrary<byte[]> noisyFrames() {
    Arbitrary<Integer> ids = Arbitraries.integers().between(0, 25);
    Arbitrary<Integer> sizes =
        Arbitraries.of(List.of(0, 1, 2, 3, 4, 5, 8, 11, 12, 13, 14, 47, 48, 49, 80));
    return Combinators.combine(ids, sizes, Arbitraries.integers().between(-2, 2), bytes(0, 100))
        .as(
            (id, size, skew, noise) -> {
              int payload = Math.max(0, size + skew);
              ByteBuffer b = ByteBuffer.allocate(5 + payload);
              b.putInt(1 + payload).put(id.byteValue());
              for (int i = 0; i < payload && i < noise.length; i++) {
                b.put(noise[i]);
              }
              return b.array();
            })
        .list()
        .ofMinSize(1)
        .ofMaxSize(5)
        .map(parts -> WireBytes.concat(parts.toArray(new byte[0][])));
  }

  /** Encodings of 1 to 6 valid messages with 1 to 4 random edits. */
  static Arbitrary<byte[]> mutatedStreams() {
    Arbitrary<byte[]> streams =
        frames()
            .list()
            .ofMinSize(1)
            .ofMaxSize(6)
            .map(fs -> WireBytes.concat(fs.stream().map(Frame::bytes).toArray(byte[][]::new)));
    return Combinators.combine(
            streams,
            Arbitraries.integers().greaterOrEqual(0).list().ofMinSize(1).ofMaxSize(4),
            bytes(1, 8))
        .as(WireArbitraries::mutate);
  }

  /** Applies one edit per choice: overwrite, flip, insert, delete or truncate. */
  static byte[] mutate(byte[] input, List<Integer> choices, byte[] noise) {
    byte[] b = input;
    for (int choice : choices) {
      if (b.length == 0) {
        return noise.clone();
      }
      int at = (choice >>> 3) % b.length;
      switch (choice & 7) {
        case 0, 1 -> {
          b = b.clone();
          b[at] = noise[at % noise.length];
        }
        case 2 -> {
          b = b.clone();
          b[at] ^= (byte) (1 << ((choice >>> 20) & 7));
        }
        case 3 ->
            b = WireBytes.concat(Arrays.copyOf(b, at), noise, Arrays.copyOfRange(b, at, b.length));
        case 4 ->
            b =
                WireBytes.concat(
                    Arrays.copyOf(b, at),
                    Arrays.copyOfRange(b, Math.min(b.length, at + noise.length), b.length));
        case 5 -> b = Arrays.copyOf(b, at);
        default -> {
          b = b.clone();
          b[at] = (byte) 0xff;
        }
      }
    }
    return b;
  }

  static List<Integer> toList(int[] values) {
    return Arrays.stream(values).boxed().toList();
  }
}
