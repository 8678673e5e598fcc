package dev.bitwright.wire;

import static dev.bitwright.wire.MseReceiverCraftedTest.SKEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class MseHandshakeProperties {
  private static final long INITIATOR_SEED = 1234;
  private static final long RECEIVER_SEED = 5678;
  private static final byte[] IA = WireBytes.hex("13" + "42".repeat(67));

  /** What each side of one real handshake sent, for seeds fixed above. */
  private static final byte[][] TRANSCRIPT = transcript();

  private static Optional<byte[]> lookup(byte[] req2) {
    return Arrays.equals(req2, MseHandshake.req2Hash(SKEY)) ? Optional.of(SKEY) : Optional.empty();
  }

  private static byte[][] transcript() {
    try {
      MseHandshake a =
          MseHandshake.initiator(SKEY, IA, EncryptionPolicy.ENABLED, new Random(INITIATOR_SEED));
      MseHandshake b =
          MseHandshake.receiver(
              MseHandshakeProperties::lookup, EncryptionPolicy.ENABLED, new Random(RECEIVER_SEED));
      byte[] a1 = a.takeOutput();
      byte[] b1 = b.takeOutput();
      b.receive(ByteBuffer.wrap(a1));
      a.receive(ByteBuffer.wrap(b1));
      byte[] a2 = a.takeOutput();
      b.receive(ByteBuffer.wrap(a2));
      byte[] b2 = b.takeOutput();
      a.receive(ByteBuffer.wrap(b2));
      if (!a.isDone() || !b.isDone()) {
        throw new IllegalStateException("the reference handshake did not finish");
      }
      return new byte[][] {WireBytes.concat(a1, a2), WireBytes.concat(b1, b2)};
    } catch (WireException e) {
      throw new IllegalStateException(e);
    }
  }

  @Provide
  Arbitrary<EncryptionPolicy> policies() {
    return Arbitraries.of(EncryptionPolicy.ENABLED, EncryptionPolicy.FORCED);
  }

  /** Delivers what each side sends to the other in chunks of random length until both are done. */
  private static void run(MseHandshake a, MseHandshake b, SplittableRandom random)
      throws WireException {
    ByteBuffer toB = ByteBuffer.allocate(0);
    ByteBuffer toA = ByteBuffer.allocate(0);
    for (int round = 0; round < 100_000 && !(a.isDone() && b.isDone()); round++) {
      toB = append(toB, a.takeOutput());
      toA = append(toA, b.takeOutput());
      deliver(toB, b, random);
      deliver(toA, a, random);
    }
    assertThat(a.isDone() && b.isDone()).as("both done").isTrue();
    assertThat(a.takeOutput()).isEmpty();
    assertThat(toA.hasRemaining() || toB.hasRemaining()).isFalse();
    toA = append(toA, b.takeOutput());
    assertThat(toA.remaining()).as("the receiver's answer").isEqualTo(0);
  }

  private static void deliver(ByteBuffer from, MseHandshake to, SplittableRandom random)
      throws WireException {
    if (!from.hasRemaining()) {
      return;
    }
    int max = random.nextBoolean() ? 8 : 700;
    int n = Math.min(from.remaining(), 1 + random.nextInt(max));
    ByteBuffer chunk = from.slice(from.position(), n);
    to.receive(chunk);
    from.position(from.position() + chunk.position());
  }

  private static ByteBuffer append(ByteBuffer rest, byte[] more) {
    return ByteBuffer.allocate(rest.remaining() + more.length).put(rest).put(more).flip();
  }

  @Property(tries = 200)
  void bothSidesAlwaysAgree(
      @ForAll long seed,
      @ForAll("policies") EncryptionPolicy initiatorPolicy,
      @ForAll("policies") EncryptionPolicy receiverPolicy,
      @ForAll @IntRange(max = 300) int iaLength)
      throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] ia = new byte[iaLength];
    new Random(seed).nextBytes(ia);
    MseHandshake a = MseHandshake.initiator(SKEY, ia, initiatorPolicy, new Random(seed));
    MseHandshake b =
        MseHandshake.receiver(MseHandshakeProperties::lookup, receiverPolicy, new Random(~seed));
    run(a, b, random);
    assertThat(a.selected()).isEqualTo(MseHandshake.RC4).isEqualTo(b.selected());
    assertThat(b.skey()).isEqualTo(SKEY);
    assertThat(a.skey()).isEqualTo(SKEY);
    assertThat(b.receivedPayload()).isEqualTo(ia);

    byte[] message = new byte[1 + random.nextInt(100)];
    new Random(seed + 1).nextBytes(message);
    byte[] wire = message.clone();
    a.encryptor().orElseThrow().apply(wire, 0, wire.length);
    b.decryptor().orElseThrow().apply(ByteBuffer.wrap(wire));
    assertThat(wire).isEqualTo(message);
    ByteBuffer back = ByteBuffer.allocateDirect(message.length).put(message).flip();
    b.encryptor().orElseThrow().apply(back);
    a.decryptor().orElseThrow().apply(back.flip());
    assertThat(WireBytes.bytes(back.flip())).isEqualTo(message);
  }

  @Example
  void theRecordedBytesCompleteAHandshakeWithEitherPolicy() throws Exception {
    for (EncryptionPolicy policy :
        new EncryptionPolicy[] {EncryptionPolicy.ENABLED, EncryptionPolicy.FORCED}) {
      MseHandshake b =
          MseHandshake.receiver(MseHandshakeProperties::lookup, policy, new Random(RECEIVER_SEED));
      b.receive(ByteBuffer.wrap(TRANSCRIPT[0]));
      assertThat(b.isDone()).isTrue();
      assertThat(b.receivedPayload()).isEqualTo(IA);
      MseHandshake a = MseHandshake.initiator(SKEY, IA, policy, new Random(INITIATOR_SEED));
      ByteBuffer in = ByteBuffer.wrap(TRANSCRIPT[1]);
      a.receive(in);
      assertThat(a.isDone()).isTrue();
      assertThat(in.hasRemaining()).isFalse();
      assertThat(a.selected()).isEqualTo(MseHandshake.RC4);
    }
  }

  @Provide
  Arbitrary<byte[]> peerInput() {
    Arbitrary<byte[]> garbage = WireArbitraries.bytes(0, 1200);
    Arbitrary<byte[]> mutated =
        Combinators.combine(
                Arbitraries.of(0, 1),
                Arbitraries.integers().greaterOrEqual(0).list().ofMinSize(1).ofMaxSize(3),
                WireArbitraries.bytes(1, 8))
            .as((side, choices, noise) -> WireArbitraries.mutate(TRANSCRIPT[side], choices, noise));
    Arbitrary<byte[]> keyThenGarbage =
        Combinators.combine(Arbitraries.of(0, 1), WireArbitraries.bytes(0, 700))
            .as((side, tail) -> WireBytes.concat(Arrays.copyOf(TRANSCRIPT[side], 96), tail));
    return Arbitraries.oneOf(List.of(garbage, mutated, keyThenGarbage));
  }

  /**
   * Garbage, a valid key followed by garbage, or a real peer's bytes with a few edits, fed to a
   * receiver or an initiator (whose keys match the recorded peer's): only {@link WireException}.
   */
  @Property(tries = 10_000)
  void damagedPeerBytesOnlyEverRaiseWireException(
      @ForAll("peerInput") byte[] input,
      @ForAll boolean toReceiver,
      @ForAll("policies") EncryptionPolicy policy,
      @ForAll @IntRange(min = 1, max = 2000) int chunk) {
    MseHandshake side =
        toReceiver
            ? MseHandshake.receiver(
                MseHandshakeProperties::lookup, policy, new Random(RECEIVER_SEED))
            : MseHandshake.initiator(SKEY, IA, policy, new Random(INITIATOR_SEED));
    ByteBuffer in = ByteBuffer.wrap(input);
    try {
      for (int round = 0; round <= input.length && in.hasRemaining() && !side.isDone(); round++) {
        ByteBuffer piece = in.slice(in.position(), Math.min(chunk, in.remaining()));
        side.receive(piece);
        assertThat(piece.hasRemaining() && !side.isDone()).as("consumed the chunk").isFalse();
        in.position(in.position() + piece.position());
        side.takeOutput();
      }
      assertThat(side.isDone() || !in.hasRemaining()).isTrue();
    } catch (WireException expected) {
      // the only acceptable failure
    } catch (Throwable t) {
      fail("feeding %s threw %s", WireBytes.toHex(input), t);
    }
  }
}
