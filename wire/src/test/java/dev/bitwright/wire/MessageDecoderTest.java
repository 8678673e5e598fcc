package dev.bitwright.wire;

import static dev.bitwright.wire.WireBytes.concat;
import static dev.bitwright.wire.WireBytes.encoded;
import static dev.bitwright.wire.WireBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.wire.PeerMessage.AllowedFast;
import dev.bitwright.wire.PeerMessage.Bitfield;
import dev.bitwright.wire.PeerMessage.Choke;
import dev.bitwright.wire.PeerMessage.Have;
import dev.bitwright.wire.PeerMessage.Request;
import dev.bitwright.wire.PeerMessage.Suggest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Framing, fixed sizes, piece indices, bitfields and limits of {@link MessageDecoder}. */
class MessageDecoderTest {
  /** 77 pieces: the bitfield has 10 bytes and 3 spare bits. */
  static final WireLimits LIMITS = WireLimits.forTorrent(77, p -> 1 << 16);

  /** Returns a frame: the length prefix, {@code id} and the payload given in hex. */
  static byte[] frame(int id, String payloadHex) {
    byte[] payload = hex(payloadHex);
    return ByteBuffer.allocate(5 + payload.length)
        .putInt(1 + payload.length)
        .put((byte) id)
        .put(payload)
        .array();
  }

  /** Asserts that {@code bytes} (after a valid choke) fail, leaving position and count alone. */
  static WireException rejected(WireLimits limits, byte[] bytes) throws Exception {
    MessageDecoder decoder = new MessageDecoder(limits);
    ByteBuffer in = ByteBuffer.wrap(concat(encoded(new Choke()), bytes));
    assertThat(decoder.decode(in)).isEqualTo(new Choke());
    int position = in.position();
    WireException e = null;
    try {
      decoder.decode(in);
    } catch (WireException expected) {
      e = expected;
    }
    assertThat(e).as("a WireException").isNotNull();
    assertThat(in.position()).as("position after the failure").isEqualTo(position);
    assertThat(decoder.consumed()).isEqualTo(5);
    assertThat(e.offset()).isBetween(5L, 5L + bytes.length);
    return e;
  }

  static PeerMessage accepted(WireLimits limits, byte[] bytes) throws Exception {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    PeerMessage m = new MessageDecoder(limits).decode(in);
    assertThat(m).isNotNull();
    assertThat(in.hasRemaining()).isFalse();
    return m;
  }

  @ParameterizedTest
  @ValueSource(strings = {"7fffffff", "80000000", "ffffffff", "00100001"})
  void anOversizedLengthPrefixFailsAtOnceInATinyBuffer(String prefix) throws Exception {
    for (WireLimits limits : new WireLimits[] {LIMITS, WireLimits.unknownTorrent()}) {
      WireException e = rejected(limits, hex(prefix + "05"));
      assertThat(e).hasMessageContaining("exceeds the limit");
      assertThat(e.offset()).isEqualTo(5);
    }
  }

  @Test
  void theLargestAllowedLengthWaitsForMoreBytes() throws Exception {
    ByteBuffer in =
        ByteBuffer.allocate(8)
            .putInt(WireLimits.DEFAULT_MAX_MESSAGE_LENGTH)
            .put(hex("14000000"))
            .flip();
    assertThat(new MessageDecoder(LIMITS).decode(in)).isNull();
    assertThat(in.position()).isZero();
  }

  @Test
  void everyIncompleteFrameReturnsNullAndKeepsThePosition() throws Exception {
    byte[] whole = encoded(new Request(3, 0x4000, 0x4000));
    for (int n = 0; n < whole.length; n++) {
      ByteBuffer in = ByteBuffer.allocate(n + 2);
      in.position(2);
      in.put(whole, 0, n).flip().position(2);
      MessageDecoder decoder = new MessageDecoder(LIMITS);
      assertThat(decoder.decode(in)).as("prefix of %s bytes", n).isNull();
      assertThat(in.position()).isEqualTo(2);
      assertThat(decoder.consumed()).isZero();
    }
  }

  @Test
  void anEmptyBufferReturnsNull() throws Exception {
    assertThat(new MessageDecoder(LIMITS).decode(ByteBuffer.allocate(0))).isNull();
  }

  @ParameterizedTest(name = "id {0} with {1} payload bytes")
  @CsvSource({
    "0, 1", "1, 1", "2, 2", "3, 4", "14, 1", "15, 1", "4, 3", "4, 5", "13, 0", "17, 8", "6, 11",
    "6, 13", "8, 0", "16, 14", "9, 1", "9, 3", "21, 47", "21, 49", "23, 0", "23, 50",
  })
  void fixedSizeMessagesOfTheWrongSizeFail(int id, int payload) throws Exception {
    byte[] bytes = frame(id, "00".repeat(payload));
    assertThat(rejected(LIMITS, bytes)).hasMessageContaining("bytes");
    assertThat(rejected(WireLimits.unknownTorrent(), bytes)).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(ints = {PeerMessage.HAVE, PeerMessage.SUGGEST, PeerMessage.ALLOWED_FAST})
  void pieceIndicesAreCheckedAgainstThePieceCount(int id) throws Exception {
    assertThat(accepted(LIMITS, frame(id, "00000000"))).isNotNull();
    assertThat(accepted(LIMITS, frame(id, "0000004c"))).isNotNull();
    WireException e = rejected(LIMITS, frame(id, "0000004d"));
    assertThat(e).hasMessageContaining("77 out of range");
    assertThat(e.offset()).as("the index field").isEqualTo(5 + 5);
    assertThat(rejected(LIMITS, frame(id, "7fffffff"))).isNotNull();
    assertThat(rejected(LIMITS, frame(id, "ffffffff"))).hasMessageContaining("4294967295");
    assertThat(rejected(LIMITS, frame(id, "80000000"))).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(ints = {PeerMessage.HAVE, PeerMessage.SUGGEST, PeerMessage.ALLOWED_FAST})
  void anUnknownTorrentAcceptsAnyNonNegativeIndex(int id) throws Exception {
    WireLimits unknown = WireLimits.unknownTorrent();
    assertThat(accepted(unknown, frame(id, "7fffffff")))
        .isIn(
            new Have(Integer.MAX_VALUE),
            new Suggest(Integer.MAX_VALUE),
            new AllowedFast(Integer.MAX_VALUE));
    assertThat(rejected(unknown, frame(id, "ffffffff"))).isNotNull();
  }

  @Test
  void theBitfieldMustHaveTheTorrentsSize() throws Exception {
    String nine = "ff".repeat(9);
    assertThat(accepted(LIMITS, frame(5, nine + "f8"))).isEqualTo(new Bitfield(hex(nine + "f8")));
    assertThat(rejected(LIMITS, frame(5, nine))).hasMessageContaining("expected 10");
    assertThat(rejected(LIMITS, frame(5, nine + "f800"))).hasMessageContaining("expected 10");
    assertThat(rejected(LIMITS, frame(5, ""))).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"04", "02", "01", "07", "ff"})
  void spareBitsOfTheBitfieldMustBeClear(String last) throws Exception {
    WireException e = rejected(LIMITS, frame(5, "00".repeat(9) + last));
    assertThat(e).hasMessageContaining("spare bits");
    assertThat(e.offset()).as("the last byte").isEqualTo(5 + 5 + 9);
  }

  @Test
  void aBitfieldWithoutSpareBitsMayEndInAnyByte() throws Exception {
    WireLimits eight = WireLimits.forTorrent(16, p -> 1 << 16);
    Bitfield b = (Bitfield) accepted(eight, frame(5, "ffff"));
    assertThat(b.has(15)).isTrue();
    WireLimits none = WireLimits.forTorrent(0, p -> 1 << 16);
    assertThat(accepted(none, frame(5, ""))).isEqualTo(new Bitfield(new byte[0]));
    assertThat(rejected(none, frame(5, "00"))).isNotNull();
    assertThat(rejected(none, frame(4, "00000000"))).isNotNull();
  }

  @Test
  void anUnknownTorrentAcceptsAnyBitfield() throws Exception {
    WireLimits unknown = WireLimits.unknownTorrent();
    assertThat(accepted(unknown, frame(5, ""))).isEqualTo(new Bitfield(new byte[0]));
    assertThat(accepted(unknown, frame(5, "ffffff"))).isEqualTo(new Bitfield(hex("ffffff")));
  }

  @Test
  void aHugeTorrentsBitfieldFitsItsLimits() throws Exception {
    int pieces = 9_000_001;
    WireLimits limits = WireLimits.forTorrent(pieces, p -> 1 << 14);
    int bytes = (pieces + 7) / 8;
    assertThat(limits.maxMessageLength()).isGreaterThanOrEqualTo(1 + bytes);
    ByteBuffer in = ByteBuffer.allocate(5 + bytes);
    in.putInt(1 + bytes).put((byte) 5).flip();
    assertThat(new MessageDecoder(limits).decode(in)).isNull();
    in.limit(in.capacity());
    Bitfield b = (Bitfield) new MessageDecoder(limits).decode(in);
    assertThat(b.length()).isEqualTo(bytes);
  }

  @Test
  void setLimitsSwitchesTheChecks() throws Exception {
    MessageDecoder decoder = new MessageDecoder(WireLimits.unknownTorrent());
    assertThat(decoder.limits().knowsPieces()).isFalse();
    ByteBuffer in = ByteBuffer.wrap(concat(frame(4, "000001f4"), frame(4, "000001f4")));
    assertThat(decoder.decode(in)).isEqualTo(new Have(500));
    WireLimits known = WireLimits.forTorrent(100, p -> 1 << 16);
    decoder.setLimits(known);
    assertThat(decoder.limits()).isSameAs(known);
    assertThatThrownBy(() -> decoder.decode(in))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("500 out of range");
    assertThat(in.position()).isEqualTo(9);
    assertThatThrownBy(() -> decoder.setLimits(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void errorOffsetsCountFromTheStartOfTheStream() throws Exception {
    MessageDecoder decoder = new MessageDecoder(LIMITS);
    ByteBuffer in =
        ByteBuffer.wrap(concat(encoded(new Have(1)), encoded(new Choke()), frame(4, "00001000")));
    decoder.decode(in);
    decoder.decode(in);
    assertThat(decoder.consumed()).isEqualTo(14);
    WireException e = null;
    try {
      decoder.decode(in);
    } catch (WireException expected) {
      e = expected;
    }
    assertThat(e).isNotNull();
    assertThat(e.offset()).isEqualTo(14 + 5);
    assertThat(e).hasMessageContaining("(at byte 19)");
  }

  @Test
  void wireLimitsValidateTheirFields() {
    assertThatThrownBy(() -> new WireLimits(-2, p -> 1, 1, 1 << 20))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WireLimits(1, p -> 1, 0, 1 << 20))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WireLimits(1, p -> 1, 1, 13 + WireLimits.BLOCK_SIZE - 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WireLimits(1, null, 1, 1 << 20))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> WireLimits.forTorrent(-1, p -> 1))
        .isInstanceOf(IllegalArgumentException.class);
    WireLimits unknown = WireLimits.unknownTorrent();
    assertThat(unknown.pieceCount()).isEqualTo(-1);
    assertThat(unknown.maxRequestLength()).isEqualTo(16 * 1024);
    assertThat(unknown.maxMessageLength()).isEqualTo(1 << 20);
    assertThat(WireLimits.forTorrent(0, p -> 1).knowsPieces()).isTrue();
  }

  @Test
  void aSmallMaxMessageLengthIsEnforced() throws Exception {
    WireLimits tight = new WireLimits(-1, p -> Integer.MAX_VALUE, 16384, 13 + 16384);
    assertThat(accepted(tight, frame(20, "00" + "00".repeat(16395)))).isNotNull();
    assertThat(rejected(tight, frame(20, "00" + "00".repeat(16396))))
        .hasMessageContaining("exceeds the limit of 16397");
  }

  @Test
  void littleEndianBuffersDecodeAndEncodeInNetworkOrder() throws Exception {
    ByteBuffer in = ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN);
    in.put(hex("00000005 04 00000001")).flip();
    assertThat(new MessageDecoder(LIMITS).decode(in)).isEqualTo(new Have(1));
    ByteBuffer out = ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN);
    MessageEncoder.encode(new Have(1), out);
    assertThat(out.array()).isEqualTo(hex("00000005 04 00000001"));
  }
}
