package dev.bitwright.wire;

import static dev.bitwright.wire.MseReceiverCraftedTest.IA;
import static dev.bitwright.wire.MseReceiverCraftedTest.SKEY;
import static dev.bitwright.wire.MseReceiverCraftedTest.VC;
import static dev.bitwright.wire.MseTestPeer.first;
import static dev.bitwright.wire.MseTestPeer.pad;
import static dev.bitwright.wire.WireBytes.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The MSE initiator against a hand-made receiver that can answer what the real one never does. */
class MseInitiatorCraftedTest {
  /** The initiator under test, our receiver, and the initiator's step 3 message. */
  private record Session(MseHandshake initiator, MseTestPeer receiver, byte[] step3) {}

  private static Session start(EncryptionPolicy policy, int padB) throws WireException {
    MseHandshake a = MseHandshake.initiator(SKEY, IA, policy, new Random(21));
    byte[] ya = first(a.takeOutput(), 96);
    MseTestPeer b = new MseTestPeer(6);
    b.agree(ya, SKEY, false);
    a.receive(ByteBuffer.wrap(concat(b.publicKey(), pad(padB, 2))));
    assertThat(a.isDone()).isFalse();
    return new Session(a, b, a.takeOutput());
  }

  private static byte[] answer(MseTestPeer b, int select, byte[] padD) {
    return b.encryptedHeader(VC, select, padD, -1);
  }

  @ParameterizedTest(name = "{0} provides {1}")
  @CsvSource({"ENABLED, 3", "FORCED, 2"})
  void step3FollowsTheSpecification(EncryptionPolicy policy, int provide) throws Exception {
    Session s = start(policy, 0);
    byte[] m = s.step3();
    assertThat(m).hasSize(20 + 20 + 8 + 4 + 2 + 2 + IA.length);
    assertThat(Arrays.copyOfRange(m, 0, 40)).isEqualTo(s.receiver().initiatorHashes(SKEY));
    assertThat(Arrays.copyOfRange(m, 0, 20))
        .isEqualTo(MseTestPeer.sha1("req1", s.receiver().secret()));
    ByteBuffer plain = ByteBuffer.wrap(s.receiver().decrypt(Arrays.copyOfRange(m, 40, m.length)));
    byte[] vc = new byte[8];
    plain.get(vc);
    assertThat(vc).isEqualTo(VC);
    assertThat(plain.getInt()).as("crypto_provide").isEqualTo(provide);
    assertThat(plain.getShort()).as("len(PadC)").isZero();
    assertThat(plain.getShort()).as("len(IA)").isEqualTo((short) IA.length);
    assertThat(WireBytes.bytes(plain)).isEqualTo(IA);
  }

  @ParameterizedTest
  @EnumSource(
      value = EncryptionPolicy.class,
      names = {"ENABLED", "FORCED"})
  void rc4SelectedContinuesBothStreams(EncryptionPolicy policy) throws Exception {
    Session s = start(policy, 512);
    s.receiver().decrypt(Arrays.copyOfRange(s.step3(), 40, s.step3().length));
    MseHandshake a = s.initiator();
    a.receive(ByteBuffer.wrap(answer(s.receiver(), MseHandshake.RC4, new byte[0])));
    assertThat(a.isDone()).isTrue();
    assertThat(a.takeOutput()).isEmpty();
    assertThat(a.selected()).isEqualTo(MseHandshake.RC4);
    assertThat(a.receivedPayload()).isEmpty();
    assertThat(a.skey()).isEqualTo(SKEY);

    byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
    byte[] out = hello.clone();
    a.encryptor().orElseThrow().apply(out, 0, out.length);
    assertThat(s.receiver().decrypt(out)).isEqualTo(hello);
    byte[] in = s.receiver().encrypt(hello);
    a.decryptor().orElseThrow().apply(in, 0, in.length);
    assertThat(in).isEqualTo(hello);
  }

  @Test
  void plaintextSelectedIsAcceptedWhenOffered() throws Exception {
    Session s = start(EncryptionPolicy.ENABLED, 0);
    s.initiator()
        .receive(ByteBuffer.wrap(answer(s.receiver(), MseHandshake.PLAINTEXT, new byte[0])));
    assertThat(s.initiator().isDone()).isTrue();
    assertThat(s.initiator().selected()).isEqualTo(MseHandshake.PLAINTEXT);
    assertThat(s.initiator().encryptor()).isEmpty();
    assertThat(s.initiator().decryptor()).isEmpty();
  }

  @Test
  void plaintextSelectedIsRefusedWhenForced() throws Exception {
    Session s = start(EncryptionPolicy.FORCED, 0);
    byte[] bytes = answer(s.receiver(), MseHandshake.PLAINTEXT, new byte[0]);
    assertThatThrownBy(() -> s.initiator().receive(ByteBuffer.wrap(bytes)))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("did not offer");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 3, 4, 0x102, -1})
  void aSelectionOfNoneOrSeveralOrUnknownMethodsIsRefused(int select) throws Exception {
    Session s = start(EncryptionPolicy.ENABLED, 0);
    byte[] bytes = answer(s.receiver(), select, new byte[0]);
    assertThatThrownBy(() -> s.initiator().receive(ByteBuffer.wrap(bytes)))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("did not offer");
  }

  @Test
  void padDOf512IsTheLimit() throws Exception {
    Session s = start(EncryptionPolicy.ENABLED, 0);
    s.initiator().receive(ByteBuffer.wrap(answer(s.receiver(), MseHandshake.RC4, pad(512, 9))));
    assertThat(s.initiator().isDone()).isTrue();
    byte[] hello = {1, 2, 3};
    byte[] in = s.receiver().encrypt(hello);
    s.initiator().decryptor().orElseThrow().apply(in, 0, in.length);
    assertThat(in).as("the stream continues after PadD").isEqualTo(hello);

    Session t = start(EncryptionPolicy.ENABLED, 0);
    byte[] bytes = answer(t.receiver(), MseHandshake.RC4, pad(513, 9));
    assertThatThrownBy(() -> t.initiator().receive(ByteBuffer.wrap(bytes)))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("PadD");
  }

  @Test
  void padBOf513IsBeyondTheSyncLimit() throws Exception {
    Session t = start(EncryptionPolicy.ENABLED, 513);
    byte[] bytes = answer(t.receiver(), MseHandshake.RC4, new byte[0]);
    assertThatThrownBy(() -> t.initiator().receive(ByteBuffer.wrap(bytes)))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("616");
  }

  @Test
  void aWrongVerificationConstantIsNeverFound() throws Exception {
    Session s = start(EncryptionPolicy.ENABLED, 0);
    byte[] vc = {0, 0, 0, 0, 0, 0, 0, 1};
    byte[] bytes = concat(s.receiver().encryptedHeader(vc, 2, new byte[0], -1), new byte[600]);
    assertThatThrownBy(() -> s.initiator().receive(ByteBuffer.wrap(bytes)))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("616");
  }

  @Test
  void thePayloadStreamAfterTheAnswerStaysInTheBuffer() throws Exception {
    Session s = start(EncryptionPolicy.ENABLED, 40);
    byte[] answer = answer(s.receiver(), MseHandshake.RC4, pad(3, 3));
    byte[] stream = s.receiver().encrypt(new byte[] {0, 0, 0, 0});
    ByteBuffer in = ByteBuffer.wrap(concat(answer, stream));
    s.initiator().receive(in);
    assertThat(s.initiator().isDone()).isTrue();
    byte[] rest = WireBytes.bytes(in);
    assertThat(rest).hasSize(4);
    s.initiator().decryptor().orElseThrow().apply(rest, 0, 4);
    assertThat(rest).containsOnly(0);
  }

  @Test
  void anInvalidReceiverKeyIsRefused() {
    MseHandshake a = MseHandshake.initiator(SKEY, IA, EncryptionPolicy.ENABLED, new Random(1));
    assertThatThrownBy(() -> a.receive(ByteBuffer.wrap(new byte[96])))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("Diffie-Hellman");
  }

  @Test
  void argumentsAreChecked() {
    assertThatThrownBy(
            () -> MseHandshake.initiator(new byte[19], IA, EncryptionPolicy.ENABLED, new Random(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                MseHandshake.initiator(
                    SKEY, new byte[65536], EncryptionPolicy.ENABLED, new Random(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> MseHandshake.initiator(SKEY, IA, EncryptionPolicy.DISABLED, new Random(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(
            MseHandshake.initiator(SKEY, new byte[65535], EncryptionPolicy.FORCED, new Random(1)))
        .isNotNull();
    assertThat(MseHandshake.req2Hash(SKEY)).isEqualTo(MseTestPeer.sha1("req2", SKEY));
  }
}
