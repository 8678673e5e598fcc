package dev.bitwright.wire;

import static dev.bitwright.wire.WireBytes.concat;
import static dev.bitwright.wire.WireBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HandshakeTest {
  private static final byte[] INFO_HASH = hex("0123456789abcdef0123456789abcdef01234567");
  private static final PeerId PEER = new PeerId(ascii("-LT2080-abcdefghijkl"));

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** The 68 bytes of BEP 3, written out: pstrlen, pstr, reserved, info_hash, peer_id. */
  private static byte[] golden(String reserved) {
    return concat(
        new byte[] {19}, ascii("BitTorrent protocol"), hex(reserved), INFO_HASH, PEER.bytes());
  }

  @Test
  void encodesTheGolden68Bytes() {
    Handshake h = Handshake.of(INFO_HASH, PEER, true, true, true, false);
    byte[] bytes = h.toBytes();
    assertThat(bytes).hasSize(68).isEqualTo(golden("0000000000100005"));
    assertThat(bytes[0]).isEqualTo((byte) 0x13);
    assertThat(new String(bytes, 1, 19, StandardCharsets.US_ASCII))
        .isEqualTo("BitTorrent protocol");
  }

  @ParameterizedTest(name = "dht={0} fast={1} ext={2} v2={3}")
  @CsvSource({
    "false, false, false, false, 0000000000000000",
    "true, false, false, false, 0000000000000001",
    "false, true, false, false, 0000000000000004",
    "false, false, true, false, 0000000000100000",
    "false, false, false, true, 0000000000000010",
    "true, true, true, true, 0000000000100015",
  })
  void reservedBitsFollowTheBeps(
      boolean dht, boolean fast, boolean ext, boolean v2, String reserved) throws Exception {
    Handshake h = Handshake.of(INFO_HASH, PEER, dht, fast, ext, v2);
    assertThat(h.reserved()).isEqualTo(hex(reserved));
    Handshake back = Handshake.decode(ByteBuffer.wrap(golden(reserved)));
    assertThat(back).isEqualTo(h);
    assertThat(back.supportsDht()).isEqualTo(dht);
    assertThat(back.supportsFast()).isEqualTo(fast);
    assertThat(back.supportsExtensionProtocol()).isEqualTo(ext);
    assertThat(back.supportsV2Upgrade()).isEqualTo(v2);
  }

  @Test
  void otherReservedBitsAreKeptButMeanNothing() throws Exception {
    Handshake h = Handshake.decode(ByteBuffer.wrap(golden("ffffffffffeffffa")));
    assertThat(h.supportsDht()).isFalse();
    assertThat(h.supportsFast()).isFalse();
    assertThat(h.supportsExtensionProtocol()).isFalse();
    assertThat(h.supportsV2Upgrade()).isTrue();
    assertThat(h.toBytes()).isEqualTo(golden("ffffffffffeffffa"));
  }

  @Test
  void decodesAndLeavesWhatFollows() throws Exception {
    ByteBuffer in = ByteBuffer.wrap(concat(golden("0000000000100005"), hex("00000001 01")));
    Handshake h = Handshake.decode(in);
    assertThat(h.infoHash()).isEqualTo(INFO_HASH);
    assertThat(h.peerId()).isEqualTo(PEER);
    assertThat(in.position()).isEqualTo(68);
    assertThat(in.remaining()).isEqualTo(5);
  }

  @Test
  void everyPartialHandshakeReturnsNullAndKeepsThePosition() throws Exception {
    byte[] whole = golden("0000000000000000");
    for (int n = 0; n < 68; n++) {
      ByteBuffer in = ByteBuffer.wrap(concat(new byte[] {9}, Arrays.copyOf(whole, n)));
      in.position(1);
      assertThat(Handshake.decode(in)).as("%s bytes", n).isNull();
      assertThat(in.position()).isEqualTo(1);
    }
  }

  @Test
  void aWrongProtocolStringFailsAsSoonAsItDiffers() {
    byte[] wrong = golden("0000000000000000");
    wrong[5] = 'x';
    ByteBuffer in = ByteBuffer.wrap(wrong);
    assertThatThrownBy(() -> Handshake.decode(in))
        .isInstanceOf(WireException.class)
        .satisfies(e -> assertThat(((WireException) e).offset()).isEqualTo(5));
    assertThat(in.position()).isZero();
    ByteBuffer early = ByteBuffer.wrap(Arrays.copyOf(wrong, 6));
    assertThatThrownBy(() -> Handshake.decode(early)).isInstanceOf(WireException.class);
    assertThat(early.position()).isZero();
  }

  @Test
  void aWrongLengthByteOrAnEncryptedStreamFails() {
    byte[] wrong = golden("0000000000000000");
    wrong[0] = 18;
    assertThatThrownBy(() -> Handshake.decode(ByteBuffer.wrap(wrong)))
        .isInstanceOf(WireException.class);
    assertThatThrownBy(() -> Handshake.decode(ByteBuffer.wrap(new byte[] {0x13, 'b'})))
        .isInstanceOf(WireException.class);
    assertThatThrownBy(() -> Handshake.decode(ByteBuffer.wrap(hex("00000005 04"))))
        .isInstanceOf(WireException.class);
  }

  @Test
  void looksLikeHandshakeChecksWhatIsThere() {
    byte[] whole = golden("0000000000000000");
    assertThat(Handshake.looksLikeHandshake(ByteBuffer.wrap(whole))).isTrue();
    assertThat(Handshake.looksLikeHandshake(ByteBuffer.wrap(whole, 0, 1))).isTrue();
    assertThat(Handshake.looksLikeHandshake(ByteBuffer.wrap(whole, 0, 5))).isTrue();
    assertThat(Handshake.looksLikeHandshake(ByteBuffer.allocate(0))).isFalse();
    assertThat(Handshake.looksLikeHandshake(ByteBuffer.wrap(new byte[] {0x13, 'B', 'X'})))
        .isFalse();
    assertThat(Handshake.looksLikeHandshake(ByteBuffer.wrap(new byte[] {(byte) 0x8f, 0x13})))
        .isFalse();
    ByteBuffer shifted = ByteBuffer.wrap(concat(new byte[] {1, 2}, whole));
    shifted.position(2);
    assertThat(Handshake.looksLikeHandshake(shifted)).isTrue();
    assertThat(shifted.position()).isEqualTo(2);
  }

  @Test
  void encodeWritesAtThePositionOrRefusesASmallBuffer() {
    Handshake h = Handshake.of(INFO_HASH, PEER, false, true, false, false);
    ByteBuffer out = ByteBuffer.allocate(70).position(2);
    h.encode(out);
    assertThat(out.position()).isEqualTo(70);
    assertThat(Arrays.copyOfRange(out.array(), 2, 70)).isEqualTo(h.toBytes());
    ByteBuffer small = ByteBuffer.allocate(67);
    assertThatThrownBy(() -> h.encode(small)).isInstanceOf(BufferOverflowException.class);
    assertThat(small.position()).isZero();
  }

  @Test
  void recordsCopyAndCheckTheirArrays() {
    byte[] hash = INFO_HASH.clone();
    Handshake h = Handshake.of(hash, PEER, false, false, false, false);
    hash[0] = 0;
    h.infoHash()[1] = 0;
    h.reserved()[7] = 1;
    assertThat(h.infoHash()).isEqualTo(INFO_HASH);
    assertThat(h.supportsDht()).isFalse();
    assertThat(h).isEqualTo(Handshake.of(INFO_HASH, PEER, false, false, false, false));
    assertThat(h.hashCode())
        .isEqualTo(Handshake.of(INFO_HASH, PEER, false, false, false, false).hashCode());
    assertThat(h).isNotEqualTo(Handshake.of(INFO_HASH, PEER, true, false, false, false));
    assertThat(h.toString()).contains("-LT2080-").contains("dht=false");
    assertThatThrownBy(() -> new Handshake(new byte[7], INFO_HASH, PEER))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Handshake(new byte[8], new byte[32], PEER))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Handshake(new byte[8], INFO_HASH, null))
        .isInstanceOf(NullPointerException.class);
  }
}
