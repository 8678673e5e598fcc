package dev.bitwright.wire;

import static dev.bitwright.wire.WireBytes.bytes;
import static dev.bitwright.wire.WireBytes.encoded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.bitwright.wire.PeerMessage.Piece;
import dev.bitwright.wire.PeerMessage.Unknown;
import dev.bitwright.wire.WireArbitraries.Frame;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class MessageDecoderProperties {
  @Provide
  Arbitrary<PeerMessage> messages() {
    return WireArbitraries.messages();
  }

  @Provide
  Arbitrary<List<Frame>> streams() {
    return WireArbitraries.frames().list().ofMinSize(1).ofMaxSize(20);
  }

  @Provide
  Arbitrary<byte[]> noisyFrames() {
    return WireArbitraries.noisyFrames();
  }

  @Provide
  Arbitrary<byte[]> mutatedStreams() {
    return WireArbitraries.mutatedStreams();
  }

  @Property(tries = 3000)
  void decodingAnEncodingGivesTheMessageBack(@ForAll("messages") PeerMessage message)
      throws Exception {
    byte[] wire = encoded(message);
    assertThat(wire).hasSize(MessageEncoder.encodedLength(message));
    for (WireLimits limits :
        new WireLimits[] {WireArbitraries.limits(), WireLimits.unknownTorrent()}) {
      ByteBuffer in = ByteBuffer.wrap(wire);
      PeerMessage decoded = new MessageDecoder(limits).decode(in);
      assertThat(in.hasRemaining()).isFalse();
      assertThat(decoded).isEqualTo(message);
      if (message instanceof Piece p) {
        assertThat(bytes(((Piece) decoded).data())).isEqualTo(bytes(p.data()));
      }
      assertThat(encoded(decoded)).isEqualTo(wire);
    }
  }

  @Property(tries = 1000)
  void theSameMessagesComeOutHoweverTheBytesAreSplit(
      @ForAll("streams") List<Frame> frames, @ForAll long seed, @ForAll boolean direct)
      throws Exception {
    byte[] stream = WireBytes.concat(frames.stream().map(Frame::bytes).toArray(byte[][]::new));
    List<PeerMessage> expected = frames.stream().map(Frame::message).toList();

    MessageDecoder whole = new MessageDecoder(WireArbitraries.limits());
    assertThat(WireBytes.decodeAll(whole, ByteBuffer.wrap(stream))).isEqualTo(expected);
    assertThat(whole.consumed()).isEqualTo(stream.length);

    MessageDecoder byByte = new MessageDecoder(WireArbitraries.limits());
    assertThat(WireBytes.decodeInChunks(byByte, stream, new int[] {1}, direct)).isEqualTo(expected);

    SplittableRandom random = new SplittableRandom(seed);
    int[] chunks = new int[1 + random.nextInt(8)];
    for (int i = 0; i < chunks.length; i++) {
      chunks[i] = 1 + random.nextInt(random.nextBoolean() ? 8 : Math.max(1, stream.length));
    }
    MessageDecoder split = new MessageDecoder(WireArbitraries.limits());
    assertThat(WireBytes.decodeInChunks(split, stream, chunks, direct))
        .as("chunks %s", Arrays.toString(chunks))
        .isEqualTo(expected);
    assertThat(split.consumed()).isEqualTo(stream.length);
  }

  @Property(tries = 10_000)
  void randomBytesOnlyEverRaiseWireException(@ForAll @Size(max = 300) byte[] input) {
    decodeExpectingOnlyWireException(WireArbitraries.limits(), input);
    decodeExpectingOnlyWireException(WireLimits.unknownTorrent(), input);
  }

  @Property(tries = 10_000)
  void noisyFramesOnlyEverRaiseWireException(@ForAll("noisyFrames") byte[] input) {
    decodeExpectingOnlyWireException(WireArbitraries.limits(), input);
    decodeExpectingOnlyWireException(WireLimits.unknownTorrent(), input);
  }

  @Property(tries = 10_000)
  void mutatedStreamsOnlyEverRaiseWireException(@ForAll("mutatedStreams") byte[] input) {
    decodeExpectingOnlyWireException(WireArbitraries.limits(), input);
    decodeExpectingOnlyWireException(WireLimits.unknownTorrent(), input);
  }

  @Property(tries = 300)
  void anyPrefixOfAValidStreamDecodesToAPrefixOfItsMessages(
      @ForAll("streams") List<Frame> frames, @ForAll @IntRange(min = 0, max = 100) int percent)
      throws Exception {
    byte[] stream = WireBytes.concat(frames.stream().map(Frame::bytes).toArray(byte[][]::new));
    int cut = (int) ((long) stream.length * percent / 100);
    ByteBuffer in = ByteBuffer.wrap(stream, 0, cut);
    List<PeerMessage> got = WireBytes.decodeAll(new MessageDecoder(WireArbitraries.limits()), in);
    List<PeerMessage> all = frames.stream().map(Frame::message).toList();
    assertThat(all.subList(0, got.size())).isEqualTo(got);
  }

  /**
   * Decodes {@code input} to the end: every outcome is a message, null (incomplete) or a {@link
   * WireException} that leaves the position alone. A decoded message other than {@link Unknown}
   * must encode back to exactly the bytes it was read from. The loop is bounded: every message
   * consumes at least 4 bytes.
   */
  private static void decodeExpectingOnlyWireException(WireLimits limits, byte[] input) {
    MessageDecoder decoder = new MessageDecoder(limits);
    ByteBuffer in = ByteBuffer.wrap(input);
    for (int round = 0; round <= input.length / 4 + 1; round++) {
      int before = in.position();
      try {
        PeerMessage m = decoder.decode(in);
        if (m == null) {
          assertThat(in.position()).isEqualTo(before);
          return;
        }
        assertThat(in.position() - before).isGreaterThanOrEqualTo(4);
        assertThat(decoder.consumed()).isEqualTo(in.position());
        if (!(m instanceof Unknown)) {
          assertThat(encoded(m)).isEqualTo(Arrays.copyOfRange(input, before, in.position()));
        }
      } catch (WireException expected) {
        assertThat(in.position()).isEqualTo(before);
        assertThat(expected.offset()).isBetween((long) before, (long) input.length);
        return;
      } catch (Throwable t) {
        fail("decoding %s threw %s", WireBytes.toHex(input), t);
      }
    }
    fail("the decoder did not finish %s", WireBytes.toHex(input));
  }
}
