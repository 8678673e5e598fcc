package dev.bitwright.wire;

import static dev.bitwright.wire.WireBytes.bytes;
import static dev.bitwright.wire.WireBytes.concat;
import static dev.bitwright.wire.WireBytes.encoded;
import static dev.bitwright.wire.WireBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Golden bytes of every message, written by hand from BEP 3, 5, 6, 10 and 52. */
class MessageCodecTest {
  private static final String ROOT = "11".repeat(32);
  private static final byte[] ROOT_BYTES = hex(ROOT);
  private static final String HASH_A = "aa".repeat(32);
  private static final String HASH_B = "bb".repeat(32);

  static Stream<Arguments> goldens() {
    HashRange range = new HashRange(ROOT_BYTES, 0, 4, 4, 2);
    String rangeHex = ROOT + "00000000 00000004 00000004 00000002";
    return Stream.of(
        Arguments.of("keep-alive", new KeepAlive(), "00000000"),
        Arguments.of("choke", new Choke(), "00000001 00"),
        Arguments.of("unchoke", new Unchoke(), "00000001 01"),
        Arguments.of("interested", new Interested(), "00000001 02"),
        Arguments.of("not interested", new NotInterested(), "00000001 03"),
        Arguments.of("have", new Have(0x4d2), "00000005 04 000004d2"),
        Arguments.of(
            "bitfield", new Bitfield(new byte[] {(byte) 0xff, (byte) 0x80}), "00000003 05 ff80"),
        Arguments.of(
            "request", new Request(1, 0x4000, 0x4000), "0000000d 06 00000001 00004000 00004000"),
        Arguments.of(
            "piece",
            new Piece(2, 0x4000, ByteBuffer.wrap("abc".getBytes(StandardCharsets.US_ASCII))),
            "0000000c 07 00000002 00004000 616263"),
        Arguments.of(
            "cancel", new Cancel(1, 0x4000, 0x4000), "0000000d 08 00000001 00004000 00004000"),
        Arguments.of("port", new Port(6881), "00000003 09 1ae1"),
        Arguments.of("port 65535", new Port(65535), "00000003 09 ffff"),
        Arguments.of("suggest", new Suggest(7), "00000005 0d 00000007"),
        Arguments.of("have all", new HaveAll(), "00000001 0e"),
        Arguments.of("have none", new HaveNone(), "00000001 0f"),
        Arguments.of("reject", new Reject(3, 0, 0x4000), "0000000d 10 00000003 00000000 00004000"),
        Arguments.of("allowed fast", new AllowedFast(5), "00000005 11 00000005"),
        Arguments.of(
            "extended",
            new Extended(1, "d1:ai1ee".getBytes(StandardCharsets.US_ASCII)),
            "0000000a 14 01 64313a61693165 65"),
        Arguments.of("extended handshake, empty", new Extended(0, new byte[0]), "00000002 14 00"),
        Arguments.of("hash request", new HashRequest(range), "00000031 15" + rangeHex),
        Arguments.of(
            "hashes",
            new Hashes(range, hex(HASH_A + HASH_B)),
            "00000071 16" + rangeHex + HASH_A + HASH_B),
        Arguments.of("hashes, none", new Hashes(range, new byte[0]), "00000031 16" + rangeHex),
        Arguments.of("hash reject", new HashReject(range), "00000031 17" + rangeHex));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void encodesToTheGoldenBytes(String name, PeerMessage message, String golden) {
    assertThat(encoded(message)).isEqualTo(hex(golden));
    assertThat(MessageEncoder.encodedLength(message)).isEqualTo(hex(golden).length);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void decodesTheGoldenBytes(String name, PeerMessage message, String golden) throws Exception {
    // The golden have names piece 1234; the other messages also fit a torrent of 16 pieces.
    WireLimits small = WireLimits.forTorrent(16, p -> 1 << 20);
    WireLimits[] all =
        message instanceof Have
            ? new WireLimits[] {WireLimits.unknownTorrent()}
            : new WireLimits[] {WireLimits.unknownTorrent(), small};
    for (WireLimits limits : all) {
      MessageDecoder decoder = new MessageDecoder(limits);
      ByteBuffer in = ByteBuffer.wrap(hex(golden));
      assertThat(decoder.decode(in)).isEqualTo(message);
      assertThat(in.hasRemaining()).isFalse();
      assertThat(decoder.consumed()).isEqualTo(hex(golden).length);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void encodesAtThePositionOfALargerBuffer(String name, PeerMessage message, String golden) {
    byte[] expected = hex(golden);
    ByteBuffer out = ByteBuffer.allocate(expected.length + 10);
    out.position(3);
    MessageEncoder.encode(message, out);
    assertThat(out.position()).isEqualTo(3 + expected.length);
    assertThat(Arrays.copyOfRange(out.array(), 3, 3 + expected.length)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void aBufferTooSmallIsLeftUntouched(String name, PeerMessage message, String golden) {
    ByteBuffer out = ByteBuffer.allocate(hex(golden).length - 1);
    assertThatThrownBy(() -> MessageEncoder.encode(message, out))
        .isInstanceOf(BufferOverflowException.class);
    assertThat(out.position()).isZero();
    assertThat(out.array()).containsOnly(0);
  }

  @Test
  void pieceDataIsAReadOnlyViewOfTheInputNotACopy() throws Exception {
    byte[] wire = hex("0000000c 07 00000002 00004000 616263 00000001 02");
    ByteBuffer in = ByteBuffer.wrap(wire);
    MessageDecoder decoder = new MessageDecoder(WireLimits.unknownTorrent());
    Piece piece = (Piece) decoder.decode(in);
    assertThat(piece.length()).isEqualTo(3);
    assertThat(bytes(piece.data())).isEqualTo("abc".getBytes(StandardCharsets.US_ASCII));
    assertThat(piece.data().isReadOnly()).isTrue();
    assertThatThrownBy(() -> piece.data().put(0, (byte) 1))
        .isInstanceOf(ReadOnlyBufferException.class);

    wire[13] = 'X';
    assertThat(piece.data().get(0)).as("the view shows the changed input").isEqualTo((byte) 'X');
    assertThat(piece.data().remaining()).as("the view ends with the block").isEqualTo(3);
    assertThat(decoder.decode(in)).isEqualTo(new Interested());
  }

  @Test
  void pieceDataIsAViewOfADirectInputToo() throws Exception {
    byte[] wire = hex("0000000b 07 00000000 00000000 0102");
    ByteBuffer in = ByteBuffer.allocateDirect(wire.length + 4).put(wire).flip();
    Piece piece = (Piece) new MessageDecoder(WireLimits.unknownTorrent()).decode(in);
    in.put(13, (byte) 0x7f);
    assertThat(bytes(piece.data())).containsExactly(0x7f, 0x02);
    assertThat(piece.data().isDirect()).isTrue();
  }

  @Test
  void eachCallToDataReturnsAFreshView() {
    Piece piece = new Piece(0, 0, ByteBuffer.wrap(new byte[] {1, 2, 3}));
    ByteBuffer first = piece.data();
    first.get();
    assertThat(piece.data().remaining()).isEqualTo(3);
    assertThat(piece.toString()).contains("length=3");
  }

  @Test
  void pieceMessagesUseOnlyTheRemainingBytesOfTheirData() {
    ByteBuffer data = ByteBuffer.wrap(new byte[] {9, 1, 2, 3, 9});
    data.position(1).limit(4);
    assertThat(encoded(new Piece(0, 0, data)))
        .isEqualTo(hex("0000000c 07 00000000 00000000 010203"));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3, 16384})
  void pieceHeaderFollowedByTheDataEqualsTheWholePieceMessage(int length) {
    byte[] data = new byte[length];
    Arrays.fill(data, (byte) 0x5a);
    ByteBuffer header = ByteBuffer.allocate(MessageEncoder.PIECE_HEADER_LENGTH);
    MessageEncoder.encodePieceHeader(3, 0x8000, length, header);
    assertThat(header.hasRemaining()).isFalse();
    assertThat(concat(header.array(), data))
        .isEqualTo(encoded(new Piece(3, 0x8000, ByteBuffer.wrap(data))));
  }

  @Test
  void encodeRequestEqualsEncodingARequest() {
    ByteBuffer out = ByteBuffer.allocate(17);
    MessageEncoder.encodeRequest(12, 0x4000, 0x4000, out);
    assertThat(out.array()).isEqualTo(encoded(new Request(12, 0x4000, 0x4000)));
    assertThat(out.array()).isEqualTo(hex("0000000d 06 0000000c 00004000 00004000"));
  }

  @Test
  void headerAndRequestHelpersRefuseSmallBuffers() {
    ByteBuffer twelve = ByteBuffer.allocate(12);
    assertThatThrownBy(() -> MessageEncoder.encodePieceHeader(0, 0, 1, twelve))
        .isInstanceOf(BufferOverflowException.class);
    ByteBuffer sixteen = ByteBuffer.allocate(16);
    assertThatThrownBy(() -> MessageEncoder.encodeRequest(0, 0, 1, sixteen))
        .isInstanceOf(BufferOverflowException.class);
    assertThat(twelve.position()).isZero();
    assertThat(sixteen.position()).isZero();
  }

  @ParameterizedTest
  @ValueSource(ints = {10, 11, 12, 18, 19, 24, 100, 255})
  void unknownIdsAreSkippedWithTheirPayload(int id) throws Exception {
    ByteBuffer in =
        ByteBuffer.wrap(
            concat(hex("00000004"), new byte[] {(byte) id, 1, 2, 3}, hex("00000005 04 00000009")));
    MessageDecoder decoder = new MessageDecoder(WireLimits.forTorrent(10, p -> 1 << 16));
    assertThat(decoder.decode(in)).isEqualTo(new Unknown(id, 3));
    assertThat(in.position()).isEqualTo(8);
    assertThat(decoder.decode(in)).isEqualTo(new Have(9));
  }

  @Test
  void unknownIdWithoutPayload() throws Exception {
    ByteBuffer in = ByteBuffer.wrap(hex("00000001 0a"));
    assertThat(new MessageDecoder(WireLimits.unknownTorrent()).decode(in))
        .isEqualTo(new Unknown(10, 0));
  }

  @Test
  void anUnknownMessageCannotBeEncoded() {
    assertThatThrownBy(() -> MessageEncoder.encode(new Unknown(10, 3)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MessageEncoder.encodedLength(new Unknown(10, 3)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void messagesBackToBackDecodeInOrder() throws Exception {
    byte[] stream =
        concat(
            encoded(new Choke()),
            encoded(new KeepAlive()),
            encoded(new Have(1)),
            encoded(new Port(1)),
            encoded(new Unchoke()));
    MessageDecoder decoder = new MessageDecoder(WireLimits.unknownTorrent());
    assertThat(WireBytes.decodeAll(decoder, ByteBuffer.wrap(stream)))
        .containsExactly(new Choke(), new KeepAlive(), new Have(1), new Port(1), new Unchoke());
    assertThat(decoder.consumed()).isEqualTo(stream.length);
  }

  @Test
  void decodingStartsAtThePositionNotAtZero() throws Exception {
    ByteBuffer in = ByteBuffer.wrap(concat(new byte[] {7, 7, 7}, hex("00000005 04 00000002")));
    in.position(3);
    assertThat(new MessageDecoder(WireLimits.unknownTorrent()).decode(in)).isEqualTo(new Have(2));
    assertThat(in.position()).isEqualTo(12);
  }

  @Test
  void recordsCopyTheirArrays() {
    byte[] bits = {1};
    Bitfield bitfield = new Bitfield(bits);
    bits[0] = 2;
    bitfield.bits()[0] = 3;
    assertThat(bitfield.bits()).containsExactly(1);
    assertThat(bitfield.has(7)).isTrue();
    assertThat(bitfield.has(6)).isFalse();
    assertThat(bitfield.has(8)).isFalse();
    assertThat(bitfield.has(-1)).isFalse();
    byte[] payload = {4};
    Extended extended = new Extended(3, payload);
    payload[0] = 5;
    assertThat(extended.payload()).containsExactly(4);
    assertThat(extended.payloadBuffer().isReadOnly()).isTrue();
    assertThat(extended)
        .isEqualTo(new Extended(3, new byte[] {4}))
        .hasSameHashCodeAs(new Extended(3, new byte[] {4}));
    byte[] root = ROOT_BYTES.clone();
    HashRange range = new HashRange(root, 0, 0, 2, 0);
    root[0] = 0;
    assertThat(range.piecesRoot()).isEqualTo(ROOT_BYTES);
    assertThat(range).isEqualTo(new HashRange(ROOT_BYTES, 0, 0, 2, 0));
    assertThat(range.toString()).contains(ROOT);
  }

  @Test
  void constructorsRefuseInvalidFields() {
    assertThatThrownBy(() -> new Have(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Request(0, -1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Cancel(0, 0, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Port(65536)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Port(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Extended(256, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HashRange(new byte[31], 0, 0, 2, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Hashes(new HashRange(ROOT_BYTES, 0, 0, 2, 0), new byte[33]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
