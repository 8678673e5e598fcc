package dev.bitwright.wire;

import static dev.bitwright.wire.ExtensionHandshakeTest.latin1;
import static dev.bitwright.wire.WireBytes.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.wire.MetadataMessage.Data;
import dev.bitwright.wire.MetadataMessage.Reject;
import dev.bitwright.wire.MetadataMessage.Request;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ut_metadata messages (BEP 9), golden bytes from the BEP's examples. */
class MetadataMessageTest {
  private static MetadataMessage decode(String payload) throws WireException {
    return MetadataMessage.decode(latin1(payload));
  }

  @Test
  void requestMatchesTheBepExample() throws Exception {
    assertThat(new Request(0).encode()).isEqualTo(latin1("d8:msg_typei0e5:piecei0ee"));
    assertThat(decode("d8:msg_typei0e5:piecei0ee")).isEqualTo(new Request(0));
    assertThat(decode("d8:msg_typei0e5:piecei7ee")).isEqualTo(new Request(7));
  }

  @Test
  void rejectMatchesTheBep() throws Exception {
    assertThat(new Reject(3).encode()).isEqualTo(latin1("d8:msg_typei2e5:piecei3ee"));
    assertThat(decode("d8:msg_typei2e5:piecei3ee")).isEqualTo(new Reject(3));
  }

  @Test
  void dataIsTheDictionaryFollowedByTheRawPiece() throws Exception {
    byte[] data = {'x', 'y', 0, (byte) 0xff, 'e'};
    byte[] golden = concat(latin1("d8:msg_typei1e5:piecei0e10:total_sizei3425ee"), data);
    assertThat(new Data(0, 3425, data).encode()).isEqualTo(golden);
    MetadataMessage back = MetadataMessage.decode(golden);
    assertThat(back).isEqualTo(new Data(0, 3425, data));
    assertThat(((Data) back).data()).isEqualTo(data);
  }

  @Test
  void dataMayBeEmptyOrAWhole16KiB() throws Exception {
    assertThat(decode("d8:msg_typei1e5:piecei2e10:total_sizei32768ee"))
        .isEqualTo(new Data(2, 32768, new byte[0]));
    byte[] full = new byte[MetadataMessage.PIECE_SIZE];
    Arrays.fill(full, (byte) 'd');
    Data d = new Data(1, 40000, full);
    assertThat(MetadataMessage.decode(d.encode())).isEqualTo(d);
  }

  @Test
  void dataOver16KiBFails() {
    byte[] head = latin1("d8:msg_typei1e5:piecei0e10:total_sizei99999ee");
    byte[] tooLong = concat(head, new byte[MetadataMessage.PIECE_SIZE + 1]);
    assertThatThrownBy(() -> MetadataMessage.decode(tooLong))
        .isInstanceOf(WireException.class)
        .satisfies(e -> assertThat(((WireException) e).offset()).isEqualTo(head.length));
    assertThatThrownBy(() -> new Data(0, 1, new byte[MetadataMessage.PIECE_SIZE + 1]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"d8:msg_typei0e5:piecei0eex", "d8:msg_typei2e5:piecei0eed1:ai1ee"})
  void requestsAndRejectsWithTrailingBytesFail(String payload) {
    assertThatThrownBy(() -> decode(payload))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("trailing");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "d8:msg_typei0e5:piecei-1ee",
        "d8:msg_typei1e5:piecei-1e10:total_sizei1ee",
        "d8:msg_typei2e5:piecei2147483648ee",
        "d8:msg_typei1e5:piecei0e10:total_sizei-1ee",
        "d8:msg_typei1e5:piecei0e10:total_sizei2147483648ee",
        "d8:msg_typei1e5:piecei0ee",
        "d8:msg_typei0ee",
        "d5:piecei0ee",
        "d8:msg_type1:05:piecei0ee",
        "d8:msg_typei0e5:piece1:0e",
        "li0ei0ee",
        "i0e",
        "de",
        "",
        "d8:msg_typei0e5:piecei0e",
        "x",
      })
  void malformedMessagesFail(String payload) {
    assertThatThrownBy(() -> decode(payload)).isInstanceOf(WireException.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 4, 255})
  void unknownMessageTypesAreReturnedToBeIgnored(int type) throws Exception {
    assertThat(decode("d8:msg_typei" + type + "e5:piecei0ee"))
        .isEqualTo(new MetadataMessage.Unknown(type, 0));
    assertThat(decode("d8:msg_typei" + type + "e5:piecei7eextra"))
        .isEqualTo(new MetadataMessage.Unknown(type, 7));
  }

  @Test
  void aNegativeMessageTypeIsMalformed() {
    assertThatThrownBy(() -> decode("d8:msg_typei-1e5:piecei0ee"))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("msg_type");
    assertThatCode(() -> decode("d8:msg_typei3e5:piecei0ee")).doesNotThrowAnyException();
  }

  @Test
  void extraKeysAreAllowed() throws Exception {
    assertThat(decode("d3:foo3:bar8:msg_typei0e5:piecei4ee")).isEqualTo(new Request(4));
    assertThat(decode("d8:msg_typei2e5:piecei4e10:total_sizei1ee")).isEqualTo(new Reject(4));
  }

  @Test
  void recordsCheckAndCopyTheirFields() {
    assertThatThrownBy(() -> new Request(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Reject(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Data(-1, 1, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Data(0, -1, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] bytes = {1, 2};
    Data d = new Data(0, 2, bytes);
    bytes[0] = 9;
    d.data()[1] = 9;
    assertThat(d.data()).containsExactly(1, 2);
    assertThat(d).isEqualTo(new Data(0, 2, new byte[] {1, 2}));
    assertThat(d).hasSameHashCodeAs(new Data(0, 2, new byte[] {1, 2}));
    assertThat(d).isNotEqualTo(new Data(0, 3, new byte[] {1, 2}));
    assertThat(d.toString()).contains("2 bytes");
  }
}
