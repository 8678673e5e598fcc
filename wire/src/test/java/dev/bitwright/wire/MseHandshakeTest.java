package dev.bitwright.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MseHandshakeTest {
  private static final byte[] SKEY = new byte[20];
  private static final byte[] IA = "the initial payload".getBytes(StandardCharsets.US_ASCII);

  static {
    Arrays.fill(SKEY, (byte) 7);
  }

  private static Optional<byte[]> lookup(byte[] req2) {
    return Arrays.equals(req2, MseHandshake.req2Hash(SKEY)) ? Optional.of(SKEY) : Optional.empty();
  }

  /** Runs both sides against each other, delivering bytes in chunks of {@code chunk}. */
  private static void run(MseHandshake a, MseHandshake b, int chunk) throws WireException {
    ByteBuffer toB = ByteBuffer.allocate(0);
    ByteBuffer toA = ByteBuffer.allocate(0);
    for (int round = 0; round < 10_000 && !(a.isDone() && b.isDone()); round++) {
      toB = append(toB, a.takeOutput());
      toA = append(toA, b.takeOutput());
      deliver(toB, b, chunk);
      deliver(toA, a, chunk);
    }
    assertThat(a.isDone()).isTrue();
    assertThat(b.isDone()).isTrue();
    assertThat(toA.hasRemaining() || toB.hasRemaining()).isFalse();
  }

  private static void deliver(ByteBuffer from, MseHandshake to, int chunk) throws WireException {
    if (!from.hasRemaining()) {
      return;
    }
    ByteBuffer piece = from.slice(from.position(), Math.min(chunk, from.remaining()));
    to.receive(piece);
    from.position(from.position() + piece.position());
  }

  private static ByteBuffer append(ByteBuffer rest, byte[] more) {
    ByteBuffer b = ByteBuffer.allocate(rest.remaining() + more.length);
    return b.put(rest).put(more).flip();
  }

  @ParameterizedTest(name = "{0}/{1} chunk {2}")
  @CsvSource({
    "ENABLED, ENABLED, 1, 2",
    "ENABLED, ENABLED, 7, 2",
    "FORCED, ENABLED, 100000, 2",
    "ENABLED, FORCED, 3, 2",
    "FORCED, FORCED, 64, 2",
  })
  void bothSidesAgreeAndEncryptTheStream(
      EncryptionPolicy initiatorPolicy, EncryptionPolicy receiverPolicy, int chunk, int expected)
      throws Exception {
    for (int seed = 0; seed < 20; seed++) {
      MseHandshake a = MseHandshake.initiator(SKEY, IA, initiatorPolicy, new Random(seed));
      MseHandshake b =
          MseHandshake.receiver(MseHandshakeTest::lookup, receiverPolicy, new Random(seed + 99));
      run(a, b, chunk);
      assertThat(a.selected()).isEqualTo(expected);
      assertThat(b.selected()).isEqualTo(expected);
      assertThat(b.skey()).isEqualTo(SKEY);
      assertThat(b.receivedPayload()).isEqualTo(IA);
      byte[] message = "hello after the handshake".getBytes(StandardCharsets.US_ASCII);
      byte[] wire = message.clone();
      a.encryptor().orElseThrow().apply(wire, 0, wire.length);
      assertThat(wire).isNotEqualTo(message);
      b.decryptor().orElseThrow().apply(wire, 0, wire.length);
      assertThat(wire).isEqualTo(message);
      byte[] back = message.clone();
      b.encryptor().orElseThrow().apply(back, 0, back.length);
      a.decryptor().orElseThrow().apply(back, 0, back.length);
      assertThat(back).isEqualTo(message);
    }
  }

  @Test
  void bytesAfterTheHandshakeAreLeftInTheBuffer() throws Exception {
    MseHandshake a = MseHandshake.initiator(SKEY, IA, EncryptionPolicy.ENABLED, new Random(1));
    MseHandshake b =
        MseHandshake.receiver(MseHandshakeTest::lookup, EncryptionPolicy.ENABLED, new Random(2));
    b.receive(ByteBuffer.wrap(a.takeOutput()));
    byte[] keyAndPad = b.takeOutput();
    a.receive(ByteBuffer.wrap(keyAndPad));
    b.receive(ByteBuffer.wrap(a.takeOutput()));
    assertThat(b.isDone()).isTrue();
    byte[] answer = b.takeOutput();
    byte[] payload = {1, 2, 3, 4};
    b.encryptor().orElseThrow().apply(payload, 0, payload.length);
    ByteBuffer stream = ByteBuffer.allocate(answer.length + 4).put(answer).put(payload).flip();
    a.receive(stream);
    assertThat(a.isDone()).isTrue();
    assertThat(stream.remaining()).isEqualTo(4);
    byte[] rest = new byte[4];
    stream.get(rest);
    a.decryptor().orElseThrow().apply(rest, 0, 4);
    assertThat(rest).containsExactly(1, 2, 3, 4);
  }

  @Test
  void unknownTorrentIsRefused() {
    MseHandshake a =
        MseHandshake.initiator(new byte[20], IA, EncryptionPolicy.ENABLED, new Random(1));
    MseHandshake b =
        MseHandshake.receiver(MseHandshakeTest::lookup, EncryptionPolicy.ENABLED, new Random(2));
    assertThatThrownBy(() -> run(a, b, 1000))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("torrent we do not serve");
  }

  @Test
  void garbageInsteadOfTheHandshakeFailsWithinTheSyncLimit() throws Exception {
    MseHandshake b =
        MseHandshake.receiver(MseHandshakeTest::lookup, EncryptionPolicy.ENABLED, new Random(2));
    byte[] junk = new byte[96 + 532];
    new Random(5).nextBytes(junk);
    ByteBuffer in = ByteBuffer.wrap(junk);
    assertThatThrownBy(() -> b.receive(in)).hasMessageContaining("628");
  }
}
