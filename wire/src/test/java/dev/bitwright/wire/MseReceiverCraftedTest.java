package dev.bitwright.wire;

import static dev.bitwright.wire.MseTestPeer.first;
import static dev.bitwright.wire.MseTestPeer.pad;
import static dev.bitwright.wire.WireBytes.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The MSE receiver against a hand-made initiator that can offer what the real one never does. */
class MseReceiverCraftedTest {
  static final byte[] SKEY = WireBytes.hex("00112233445566778899aabbccddeeff00112233");
  static final byte[] VC = new byte[8];
  static final byte[] IA =
      "\u0013BitTorrent protocol and more".getBytes(StandardCharsets.ISO_8859_1);

  private static Optional<byte[]> lookup(byte[] req2) {
    return Arrays.equals(req2, MseHandshake.req2Hash(SKEY)) ? Optional.of(SKEY) : Optional.empty();
  }

  /** The receiver under test and our initiator, which has agreed keys with it. */
  private record Session(MseHandshake receiver, MseTestPeer initiator) {}

  private static Session start(EncryptionPolicy policy, int padA) throws WireException {
    MseHandshake b = MseHandshake.receiver(MseReceiverCraftedTest::lookup, policy, new Random(11));
    byte[] yb = first(b.takeOutput(), 96);
    MseTestPeer a = new MseTestPeer(5);
    a.agree(yb, SKEY, true);
    b.receive(ByteBuffer.wrap(concat(a.publicKey(), pad(padA, 1))));
    assertThat(b.isDone()).isFalse();
    assertThat(b.takeOutput()).isEmpty();
    return new Session(b, a);
  }

  private static byte[] step3(MseTestPeer a, byte[] vc, int provide, byte[] padC, byte[] ia) {
    return concat(
        a.initiatorHashes(SKEY), a.encryptedHeader(vc, provide, padC, ia.length), a.encrypt(ia));
  }

  /** Decrypts the receiver's answer, checks VC and the empty PadD, returns crypto_select. */
  private static int answer(Session s) {
    byte[] out = s.receiver().takeOutput();
    assertThat(out).hasSize(14);
    ByteBuffer plain = ByteBuffer.wrap(s.initiator().decrypt(out));
    byte[] vc = new byte[8];
    plain.get(vc);
    assertThat(vc).isEqualTo(VC);
    int select = plain.getInt();
    assertThat(plain.getShort()).as("len(PadD)").isZero();
    return select;
  }

  @ParameterizedTest(name = "{0} offered {1}")
  @CsvSource({
    "ENABLED, 2",
    "ENABLED, 3",
    "FORCED, 2",
    "FORCED, 3",
    "ENABLED, 0xff03",
    "FORCED, -1"
  })
  void rc4IsSelectedWheneverOffered(EncryptionPolicy policy, String provide) throws Exception {
    Session s = start(policy, 100);
    MseHandshake b = s.receiver();
    b.receive(ByteBuffer.wrap(step3(s.initiator(), VC, Integer.decode(provide), new byte[0], IA)));
    assertThat(b.isDone()).isTrue();
    assertThat(answer(s)).isEqualTo(MseHandshake.RC4);
    assertThat(b.selected()).isEqualTo(MseHandshake.RC4);
    assertThat(b.skey()).isEqualTo(SKEY);
    assertThat(b.receivedPayload()).isEqualTo(IA);

    byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
    byte[] wire = s.initiator().encrypt(hello);
    b.decryptor().orElseThrow().apply(wire, 0, wire.length);
    assertThat(wire).isEqualTo(hello);
    byte[] back = hello.clone();
    b.encryptor().orElseThrow().apply(back, 0, back.length);
    assertThat(s.initiator().decrypt(back)).isEqualTo(hello);
  }

  @Test
  void plaintextOnlyIsAcceptedWhenEnabled() throws Exception {
    Session s = start(EncryptionPolicy.ENABLED, 0);
    MseHandshake b = s.receiver();
    b.receive(ByteBuffer.wrap(step3(s.initiator(), VC, MseHandshake.PLAINTEXT, new byte[0], IA)));
    assertThat(answer(s)).isEqualTo(MseHandshake.PLAINTEXT);
    assertThat(b.selected()).isEqualTo(MseHandshake.PLAINTEXT);
    assertThat(b.encryptor()).isEmpty();
    assertThat(b.decryptor()).isEmpty();
    assertThat(b.receivedPayload()).as("IA is encrypted even for plaintext").isEqualTo(IA);
  }

  @Test
  void plaintextOnlyIsRefusedWhenForced() throws Exception {
    Session s = start(EncryptionPolicy.FORCED, 0);
    byte[] bytes = step3(s.initiator(), VC, MseHandshake.PLAINTEXT, new byte[0], IA);
    assertThatThrownBy(() -> s.receiver().receive(ByteBuffer.wrap(bytes)))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("no acceptable");
    assertThat(s.receiver().isDone()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 4, 0x100, 0xfffffffc})
  void noKnownMethodIsRefused(int provide) throws Exception {
    for (EncryptionPolicy policy :
        new EncryptionPolicy[] {EncryptionPolicy.ENABLED, EncryptionPolicy.FORCED}) {
      Session s = start(policy, 0);
      byte[] bytes = step3(s.initiator(), VC, provide, new byte[0], IA);
      assertThatThrownBy(() -> s.receiver().receive(ByteBuffer.wrap(bytes)))
          .isInstanceOf(WireException.class)
          .hasMessageContaining("no acceptable");
    }
  }

  @Test
  void padCOf512IsTheLimit() throws Exception {
    Session s = start(EncryptionPolicy.ENABLED, 0);
    s.receiver().receive(ByteBuffer.wrap(step3(s.initiator(), VC, 2, pad(512, 3), IA)));
    assertThat(s.receiver().isDone()).isTrue();
    assertThat(s.receiver().receivedPayload()).isEqualTo(IA);

    Session t = start(EncryptionPolicy.ENABLED, 0);
    byte[] bytes = step3(t.initiator(), VC, 2, pad(513, 3), IA);
    assertThatThrownBy(() -> t.receiver().receive(ByteBuffer.wrap(bytes)))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("PadC");
  }

  @Test
  void padAOf512IsTheLimit() throws Exception {
    Session s = start(EncryptionPolicy.ENABLED, 512);
    s.receiver().receive(ByteBuffer.wrap(step3(s.initiator(), VC, 2, new byte[0], IA)));
    assertThat(s.receiver().isDone()).isTrue();

    Session t = start(EncryptionPolicy.ENABLED, 513);
    byte[] bytes = step3(t.initiator(), VC, 2, new byte[0], IA);
    assertThatThrownBy(() -> t.receiver().receive(ByteBuffer.wrap(bytes)))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("628");
  }

  @Test
  void aWrongVerificationConstantIsRefused() throws Exception {
    Session s = start(EncryptionPolicy.ENABLED, 0);
    byte[] vc = new byte[8];
    vc[7] = 1;
    byte[] bytes = step3(s.initiator(), vc, 2, new byte[0], IA);
    assertThatThrownBy(() -> s.receiver().receive(ByteBuffer.wrap(bytes)))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("verification constant");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 68, 65535})
  void initialPayloadsOfAnyAllowedLengthArrive(int length) throws Exception {
    byte[] ia = pad(length, length);
    Session s = start(EncryptionPolicy.ENABLED, 7);
    s.receiver().receive(ByteBuffer.wrap(step3(s.initiator(), VC, 3, pad(5, 5), ia)));
    assertThat(s.receiver().isDone()).isTrue();
    assertThat(s.receiver().receivedPayload()).isEqualTo(ia);
  }

  @Test
  void whatFollowsTheInitialPayloadStaysInTheBuffer() throws Exception {
    Session s = start(EncryptionPolicy.ENABLED, 0);
    byte[] handshake = step3(s.initiator(), VC, 2, new byte[0], IA);
    byte[] next = s.initiator().encrypt(new byte[] {0, 0, 0, 1, 2});
    ByteBuffer in = ByteBuffer.wrap(concat(handshake, next));
    s.receiver().receive(in);
    assertThat(s.receiver().isDone()).isTrue();
    assertThat(in.remaining()).isEqualTo(5);
    s.receiver().receive(in);
    assertThat(in.remaining()).as("a finished handshake consumes nothing").isEqualTo(5);
    byte[] rest = WireBytes.bytes(in);
    s.receiver().decryptor().orElseThrow().apply(rest, 0, rest.length);
    assertThat(rest).containsExactly(0, 0, 0, 1, 2);
  }

  @Test
  void byteByByteDeliveryGivesTheSameResult() throws Exception {
    Session s = start(EncryptionPolicy.ENABLED, 300);
    byte[] bytes = step3(s.initiator(), VC, 3, pad(40, 4), IA);
    for (byte b : bytes) {
      assertThat(s.receiver().isDone()).isFalse();
      s.receiver().receive(ByteBuffer.wrap(new byte[] {b}));
    }
    assertThat(s.receiver().isDone()).isTrue();
    assertThat(answer(s)).isEqualTo(MseHandshake.RC4);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "1", "P-1", "P", "MAX"})
  void invalidPublicKeysAreRefused(String which) {
    BigInteger key =
        switch (which) {
          case "P-1" -> MseTestPeer.P.subtract(BigInteger.ONE);
          case "P" -> MseTestPeer.P;
          case "MAX" -> BigInteger.ONE.shiftLeft(768).subtract(BigInteger.ONE);
          default -> new BigInteger(which);
        };
    MseHandshake b =
        MseHandshake.receiver(
            MseReceiverCraftedTest::lookup, EncryptionPolicy.ENABLED, new Random(1));
    assertThatThrownBy(() -> b.receive(ByteBuffer.wrap(MseTestPeer.toKey(key))))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("Diffie-Hellman");
  }

  @Test
  void aLookupAnsweringAKeyOfTheWrongLengthIsAnUnknownTorrent() throws Exception {
    MseHandshake b =
        MseHandshake.receiver(
            r -> Optional.of(new byte[19]), EncryptionPolicy.ENABLED, new Random(1));
    byte[] yb = first(b.takeOutput(), 96);
    MseTestPeer a = new MseTestPeer(5);
    a.agree(yb, SKEY, true);
    ByteBuffer in = ByteBuffer.wrap(concat(a.publicKey(), a.initiatorHashes(SKEY)));
    assertThatThrownBy(() -> b.receive(in))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("do not serve");
  }

  @ParameterizedTest
  @EnumSource(EncryptionPolicy.class)
  void nothingIsAvailableBeforeTheEnd(EncryptionPolicy policy) {
    if (policy == EncryptionPolicy.DISABLED) {
      assertThatThrownBy(
              () -> MseHandshake.receiver(MseReceiverCraftedTest::lookup, policy, new Random(1)))
          .isInstanceOf(IllegalArgumentException.class);
      return;
    }
    MseHandshake b = MseHandshake.receiver(MseReceiverCraftedTest::lookup, policy, new Random(1));
    byte[] out = b.takeOutput();
    assertThat(out.length).isBetween(96, 96 + 512);
    assertThat(b.takeOutput()).isEmpty();
    assertThatThrownBy(b::selected).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(b::skey).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(b::receivedPayload).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(b::encryptor).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(b::decryptor).isInstanceOf(IllegalStateException.class);
  }
}
