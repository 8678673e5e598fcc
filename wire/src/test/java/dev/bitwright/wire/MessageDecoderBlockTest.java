package dev.bitwright.wire;

import static dev.bitwright.wire.MessageDecoderTest.accepted;
import static dev.bitwright.wire.MessageDecoderTest.frame;
import static dev.bitwright.wire.MessageDecoderTest.rejected;
import static dev.bitwright.wire.WireBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.wire.PeerMessage.Cancel;
import dev.bitwright.wire.PeerMessage.Extended;
import dev.bitwright.wire.PeerMessage.HashRange;
import dev.bitwright.wire.PeerMessage.HashReject;
import dev.bitwright.wire.PeerMessage.HashRequest;
import dev.bitwright.wire.PeerMessage.Hashes;
import dev.bitwright.wire.PeerMessage.Piece;
import dev.bitwright.wire.PeerMessage.Reject;
import dev.bitwright.wire.PeerMessage.Request;
import java.nio.ByteBuffer;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Blocks, extended and hash messages: the fields {@link MessageDecoder} checks. */
class MessageDecoderBlockTest {
  /** Ten pieces of 32 KiB but the last, of 1000 bytes. */
  private static final WireLimits LIMITS =
      WireLimits.forTorrent(10, p -> p == 9 ? 1000 : 32 * 1024);

  private static final String ROOT = "42".repeat(32);

  private static byte[] block(int id, int piece, int offset, int length) {
    return ByteBuffer.allocate(17)
        .putInt(13)
        .put((byte) id)
        .putInt(piece)
        .putInt(offset)
        .putInt(length)
        .array();
  }

  private static byte[] range(int id, int base, int index, int length, int proof, String hashes) {
    return frame(
        id,
        ROOT + String.format(Locale.ROOT, "%08x%08x%08x%08x", base, index, length, proof) + hashes);
  }

  @ParameterizedTest(name = "request {0}/{1}/{2}")
  @CsvSource({
    "0, 0, 16384",
    "0, 16384, 16384",
    "0, 32767, 1",
    "9, 0, 1000",
    "9, 999, 1",
    "8, 0, 1",
  })
  void requestsInsideThePieceAreAccepted(int piece, int offset, int length) throws Exception {
    assertThat(accepted(LIMITS, block(6, piece, offset, length)))
        .isEqualTo(new Request(piece, offset, length));
  }

  @ParameterizedTest(name = "request {0}/{1}/{2}")
  @CsvSource({
    "0, 0, 0",
    "0, 0, 16385",
    "0, 0, 32768",
    "0, 0, -1",
    "0, 16385, 16384",
    "0, 32768, 1",
    "9, 1, 1000",
    "9, 0, 1001",
    "9, 1000, 1",
    "0, -1, 16",
    "0, 2147483647, 16384",
    "10, 0, 16384",
    "-1, 0, 16384",
  })
  void requestsOutsideThePieceOrTooLongFail(int piece, int offset, int length) throws Exception {
    assertThat(rejected(LIMITS, block(6, piece, offset, length))).isNotNull();
  }

  @Test
  void requestErrorsPointAtTheOffendingField() throws Exception {
    assertThat(rejected(LIMITS, block(6, 0, 0, 16385)).offset()).isEqualTo(5 + 13);
    assertThat(rejected(LIMITS, block(6, 9, 1, 1000)).offset()).isEqualTo(5 + 9);
    assertThat(rejected(LIMITS, block(6, 10, 0, 1)).offset()).isEqualTo(5 + 5);
  }

  @Test
  void onlyRequestsAreCappedAtTheMaxRequestLength() throws Exception {
    for (int id : new int[] {PeerMessage.CANCEL, PeerMessage.REJECT}) {
      assertThat(accepted(LIMITS, block(id, 0, 0, 32768)))
          .isIn(new Cancel(0, 0, 32768), new Reject(0, 0, 32768));
      assertThat(accepted(LIMITS, block(id, 9, 0, 1000)))
          .isIn(new Cancel(9, 0, 1000), new Reject(9, 0, 1000));
      assertThat(accepted(LIMITS, block(id, 0, 16383, 16385))).isNotNull();
    }
    assertThat(rejected(LIMITS, block(6, 0, 0, 32768)))
        .hasMessageContaining("invalid block length");
  }

  @ParameterizedTest(name = "id {0}")
  @ValueSource(ints = {PeerMessage.CANCEL, PeerMessage.REJECT})
  void cancelAndRejectAreCheckedAgainstThePiece(int id) throws Exception {
    assertThat(rejected(LIMITS, block(id, 0, 0, 0))).hasMessageContaining("invalid block length");
    assertThat(rejected(LIMITS, block(id, 0, 0, 32769))).hasMessageContaining("outside piece");
    assertThat(rejected(LIMITS, block(id, 0, 1, 32768))).hasMessageContaining("outside piece");
    assertThat(rejected(LIMITS, block(id, 9, 0, 1001))).hasMessageContaining("outside piece");
    assertThat(rejected(LIMITS, block(id, 0, -1, 1))).hasMessageContaining("outside piece");
    assertThat(rejected(LIMITS, block(id, 0, 0, -1))).hasMessageContaining("invalid block length");
    assertThat(rejected(LIMITS, block(id, 10, 0, 1))).hasMessageContaining("out of range");
  }

  @Test
  void anUnknownTorrentChecksOnlySignsAndTheRequestCap() throws Exception {
    WireLimits unknown = WireLimits.unknownTorrent();
    assertThat(accepted(unknown, block(6, 1 << 30, 1 << 30, 16384)))
        .isEqualTo(new Request(1 << 30, 1 << 30, 16384));
    assertThat(rejected(unknown, block(6, 0, 0, 16385))).isNotNull();
    assertThat(rejected(unknown, block(6, 0, -1, 1))).isNotNull();
    assertThat(rejected(unknown, block(6, -1, 0, 1))).isNotNull();
    assertThat(accepted(unknown, block(8, 0, 0, Integer.MAX_VALUE)))
        .isEqualTo(new Cancel(0, 0, Integer.MAX_VALUE));
    assertThat(rejected(unknown, block(16, 0, 0, 0))).isNotNull();
  }

  @Test
  void aLargerMaxRequestLengthIsHonoured() throws Exception {
    WireLimits big = new WireLimits(10, p -> 1 << 20, 1 << 17, 1 << 20);
    assertThat(accepted(big, block(6, 0, 0, 1 << 17))).isEqualTo(new Request(0, 0, 1 << 17));
    assertThat(rejected(big, block(6, 0, 0, (1 << 17) + 1))).isNotNull();
  }

  private static byte[] piece(int index, int offset, int length) {
    return ByteBuffer.allocate(13 + length)
        .putInt(9 + length)
        .put((byte) 7)
        .putInt(index)
        .putInt(offset)
        .array();
  }

  @Test
  void pieceMessagesMustFitInThePiece() throws Exception {
    Piece p = (Piece) accepted(LIMITS, piece(9, 0, 1000));
    assertThat(p.length()).isEqualTo(1000);
    assertThat(accepted(LIMITS, piece(0, 16384, 16384))).isNotNull();
    assertThat(accepted(LIMITS, piece(9, 1000, 0))).isNotNull();
    assertThat(rejected(LIMITS, piece(9, 0, 1001))).hasMessageContaining("outside piece");
    assertThat(rejected(LIMITS, piece(9, 1, 1000))).hasMessageContaining("outside piece");
    assertThat(rejected(LIMITS, piece(0, 32768, 1))).hasMessageContaining("outside piece");
    assertThat(rejected(LIMITS, piece(0, -1, 1))).hasMessageContaining("outside piece");
    assertThat(rejected(LIMITS, piece(10, 0, 1))).hasMessageContaining("out of range");
    assertThat(rejected(LIMITS, piece(-1, 0, 1))).hasMessageContaining("out of range");
  }

  @Test
  void pieceMessagesNeedIndexAndOffset() throws Exception {
    assertThat(rejected(LIMITS, frame(7, "00000000 000000")))
        .hasMessageContaining("piece message of 7");
    assertThat(rejected(LIMITS, frame(7, ""))).isNotNull();
  }

  @Test
  void anUnknownTorrentAcceptsPiecesAnywhere() throws Exception {
    Piece p = (Piece) accepted(WireLimits.unknownTorrent(), piece(1 << 20, 1 << 29, 5));
    assertThat(p.piece()).isEqualTo(1 << 20);
    assertThat(p.offset()).isEqualTo(1 << 29);
  }

  @Test
  void extendedMessagesNeedAnId() throws Exception {
    assertThat(rejected(LIMITS, frame(20, ""))).hasMessageContaining("without an id");
    assertThat(accepted(LIMITS, frame(20, "ff"))).isEqualTo(new Extended(255, new byte[0]));
    assertThat(accepted(LIMITS, frame(20, "03 0102"))).isEqualTo(new Extended(3, hex("0102")));
  }

  /** BEP 52 asks for at least 2; libtorrent sends 1 for the last range of 512k+1 pieces. */
  @ParameterizedTest(name = "hash request length {0}")
  @ValueSource(ints = {0, 3, 6, 12, -2, Integer.MIN_VALUE, 0x7fffffff})
  void hashRequestLengthsMustBePowersOfTwo(int length) throws Exception {
    for (int id : new int[] {21, 23}) {
      WireException e = rejected(LIMITS, range(id, 0, 0, length, 0, ""));
      assertThat(e).hasMessageContaining("invalid hash range");
      assertThat(e.offset()).isEqualTo(5 + 5 + 32);
    }
    assertThat(rejected(LIMITS, range(22, 0, 0, length, 0, ""))).isNotNull();
  }

  @ParameterizedTest(name = "hash request length {0}")
  @ValueSource(ints = {1, 2, 4, 512, 1 << 30})
  void powersOfTwoAreAccepted(int length) throws Exception {
    HashRange r = new HashRange(hex(ROOT), 0, length, length, 0);
    assertThat(accepted(LIMITS, range(21, 0, length, length, 0, ""))).isEqualTo(new HashRequest(r));
    assertThat(accepted(LIMITS, range(23, 0, length, length, 0, ""))).isEqualTo(new HashReject(r));
  }

  @Test
  void hashRequestIndexMustBeAMultipleOfTheLength() throws Exception {
    assertThat(rejected(LIMITS, range(21, 0, 2, 4, 0, ""))).isNotNull();
    assertThat(rejected(LIMITS, range(21, 0, 1, 2, 0, ""))).isNotNull();
    assertThat(rejected(LIMITS, range(21, 0, -4, 4, 0, ""))).isNotNull();
    assertThat(accepted(LIMITS, range(21, 0, 12, 4, 0, ""))).isNotNull();
  }

  @Test
  void negativeLayersFail() throws Exception {
    assertThat(rejected(LIMITS, range(21, -1, 0, 2, 0, ""))).isNotNull();
    assertThat(rejected(LIMITS, range(21, 0, 0, 2, -1, ""))).isNotNull();
    assertThat(rejected(LIMITS, range(22, 0, 0, 2, -1, "00".repeat(32)))).isNotNull();
  }

  @Test
  void hashesArriveInWhole32ByteHashes() throws Exception {
    String hash = "cd".repeat(32);
    Hashes h = (Hashes) accepted(LIMITS, range(22, 1, 8, 8, 3, hash + hash));
    assertThat(h.hashes()).isEqualTo(hex(hash + hash));
    assertThat(h.request()).isEqualTo(new HashRange(hex(ROOT), 1, 8, 8, 3));
    assertThat(h.toString()).contains("2 hashes");
    assertThat(rejected(LIMITS, range(22, 1, 8, 8, 3, hash + "cd")))
        .hasMessageContaining("hashes message");
    assertThat(rejected(LIMITS, range(22, 1, 8, 8, 3, "cd".repeat(31)))).isNotNull();
    assertThat(rejected(LIMITS, frame(22, "00".repeat(47)))).isNotNull();
    assertThat(rejected(LIMITS, frame(22, ""))).isNotNull();
  }
}
