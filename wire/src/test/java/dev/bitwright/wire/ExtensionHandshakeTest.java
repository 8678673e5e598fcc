package dev.bitwright.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The BEP 10 handshake, with payloads written by hand as libtorrent and others send them. */
class ExtensionHandshakeTest {
  /** Bencode written as text; characters up to U+00FF stand for single bytes. */
  static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static ExtensionHandshake decode(String bencode) throws WireException {
    return ExtensionHandshake.decode(latin1(bencode));
  }

  private static ExtensionHandshake empty() {
    return new ExtensionHandshake(
        Map.of(),
        Optional.empty(),
        OptionalInt.empty(),
        OptionalInt.empty(),
        Optional.empty(),
        OptionalInt.empty(),
        false,
        false);
  }

  @Test
  void encodesAllFieldsInKeyOrder() throws Exception {
    ExtensionHandshake h =
        new ExtensionHandshake(
            Map.of(ExtensionHandshake.UT_PEX, 1, ExtensionHandshake.UT_METADATA, 2),
            Optional.of("BW"),
            OptionalInt.of(6881),
            OptionalInt.of(250),
            Optional.of(InetAddress.getByAddress(new byte[] {1, 2, 3, 4})),
            OptionalInt.of(100),
            true,
            true);
    String golden =
        "d1:ei1e1:md11:ut_metadatai2e6:ut_pexi1ee13:metadata_sizei100e1:pi6881e"
            + "4:reqqi250e11:upload_onlyi1e1:v2:BW6:yourip4:\u0001\u0002\u0003\u0004e";
    assertThat(h.encode()).isEqualTo(latin1(golden));
    assertThat(ExtensionHandshake.decode(h.encode())).isEqualTo(h);
  }

  @Test
  void anEmptyHandshakeIsAnEmptyMessageDictionary() throws Exception {
    assertThat(empty().encode()).isEqualTo(latin1("d1:mdee"));
    assertThat(decode("d1:mdee")).isEqualTo(empty());
    assertThat(decode("de")).isEqualTo(empty());
  }

  @Test
  void roundTripsAnIpv6Address() throws Exception {
    InetAddress ip = InetAddress.getByName("2001:db8::1");
    ExtensionHandshake h =
        new ExtensionHandshake(
            Map.of("lt_donthave", 7),
            Optional.of("Bitwright 0.1.0 \u00e9"),
            OptionalInt.of(65535),
            OptionalInt.of(1),
            Optional.of(ip),
            OptionalInt.of(Integer.MAX_VALUE),
            false,
            true);
    ExtensionHandshake back = ExtensionHandshake.decode(h.encode());
    assertThat(back).isEqualTo(h);
    assertThat(back.yourIp()).containsInstanceOf(Inet6Address.class);
  }

  @Test
  void decodesALibtorrentHandshake() throws Exception {
    String ipv6 = "\u0020\u0001\r\u00b8" + "\u0000".repeat(11) + "\u0001";
    String payload =
        "d12:complete_agoi-1e1:ei0e4:ipv616:"
            + ipv6
            + "1:md11:lt_donthavei7e10:share_modei8e11:upload_onlyi3e12:ut_holepunchi4e"
            + "11:ut_metadatai2e6:ut_pexi1ee13:metadata_sizei31235e1:pi6881e4:reqqi500e"
            + "11:upload_onlyi1e1:v18:libtorrent/2.0.8.06:yourip4:\u00c0\u00a8\u0001\u0002e";
    ExtensionHandshake h = decode(payload);
    assertThat(h.messages())
        .containsOnly(
            Map.entry("lt_donthave", 7),
            Map.entry("share_mode", 8),
            Map.entry("upload_only", 3),
            Map.entry("ut_holepunch", 4),
            Map.entry("ut_metadata", 2),
            Map.entry("ut_pex", 1));
    assertThat(h.idOf(ExtensionHandshake.UT_METADATA)).hasValue(2);
    assertThat(h.idOf(ExtensionHandshake.UT_PEX)).hasValue(1);
    assertThat(h.idOf(ExtensionHandshake.LT_DONTHAVE)).hasValue(7);
    assertThat(h.idOf("ut_comment")).isEmpty();
    assertThat(h.client()).contains("libtorrent/2.0.8.0");
    assertThat(h.listenPort()).hasValue(6881);
    assertThat(h.requestQueue()).hasValue(500);
    assertThat(h.metadataSize()).hasValue(31235);
    assertThat(h.yourIp()).contains(InetAddress.getByName("192.168.1.2"));
    assertThat(h.uploadOnly()).isTrue();
    assertThat(h.prefersEncryption()).isFalse();
  }

  @Test
  void decodesAnUnsortedHandshakeAsSomeClientsSendIt() throws Exception {
    ExtensionHandshake h =
        decode("d1:v14:Transmission 41:pi51413e1:md6:ut_pexi2e11:ut_metadatai3ee1:ei1ee");
    assertThat(h.client()).contains("Transmission 4");
    assertThat(h.listenPort()).hasValue(51413);
    assertThat(h.idOf("ut_metadata")).hasValue(3);
    assertThat(h.idOf("ut_pex")).hasValue(2);
    assertThat(h.prefersEncryption()).isTrue();
  }

  @Test
  void decodesASixteenByteYourIp() throws Exception {
    ExtensionHandshake h = decode("d6:yourip16:" + "\u0000".repeat(15) + "\u0001e");
    assertThat(h.yourIp()).contains(InetAddress.getByName("::1"));
  }

  @Test
  void idZeroDisablesAnExtension() throws Exception {
    ExtensionHandshake h = decode("d1:md6:ut_pexi0e11:ut_metadatai255eee");
    assertThat(h.messages()).containsEntry("ut_pex", 0);
    assertThat(h.idOf("ut_pex")).isEmpty();
    assertThat(h.idOf("ut_metadata")).hasValue(255);
  }

  @Test
  void valuesOfTheWrongTypeOrRangeAreIgnored() throws Exception {
    assertThat(
            decode(
                "d1:e1:x1:m4:spam13:metadata_size0:1:pi-1e4:reqq3:abc"
                    + "11:upload_onlyi0e1:vi5e6:yourip3:abce"))
        .isEqualTo(empty());
    assertThat(decode("d1:eli1ee1:mli1ee1:pi0e4:reqqi0e13:metadata_sizei-5e11:upload_only0:e"))
        .isEqualTo(empty());
    assertThat(decode("d1:pi65536e4:reqqi2147483648e13:metadata_sizei9999999999ee"))
        .isEqualTo(empty());
    ExtensionHandshake h = decode("d1:md1:ai-1e1:bi256e1:c1:x1:dle1:ei9eee");
    assertThat(h.messages()).containsOnly(Map.entry("e", 9));
  }

  @Test
  void unknownKeysAreIgnored() throws Exception {
    assertThat(decode("d3:fooi1e4:ipv44:\u0001\u0002\u0003\u00041:md3:bard1:xi1eeee"))
        .isEqualTo(empty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"li1ee", "i1e", "3:abc", "le", "", "d", "d1:m", "dee", "d1:mde", "x"})
  void anythingButOneDictionaryFails(String payload) {
    assertThatThrownBy(() -> decode(payload)).isInstanceOf(WireException.class);
  }

  @Test
  void inputOverTheMaximumLengthIsRefused() throws Exception {
    // "d1:v" + "65525:" + 65525 bytes + "e" is exactly 64 KiB.
    String atLimit = "d1:v65525:" + "x".repeat(65525) + "e";
    assertThat(latin1(atLimit)).hasSize(ExtensionHandshake.MAX_LENGTH);
    assertThat(decode(atLimit).client()).hasValueSatisfying(v -> assertThat(v).hasSize(65525));
    String over = "d1:v65526:" + "x".repeat(65526) + "e";
    assertThatThrownBy(() -> decode(over))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("exceeds");
  }

  @Test
  void deeplyNestedValuesAreRefused() {
    String deep = "d1:x" + "l".repeat(20) + "e".repeat(20) + "e";
    assertThatThrownBy(() -> decode(deep)).isInstanceOf(WireException.class);
  }

  @Test
  void theConstructorCopiesSortsAndChecksTheIds() {
    Map<String, Integer> m = new HashMap<>(Map.of("b", 1, "a", 2));
    ExtensionHandshake h =
        new ExtensionHandshake(
            m,
            Optional.empty(),
            OptionalInt.empty(),
            OptionalInt.empty(),
            Optional.empty(),
            OptionalInt.empty(),
            false,
            false);
    m.put("c", 3);
    assertThat(h.messages()).containsOnlyKeys("a", "b");
    assertThat(h.messages().keySet()).containsExactly("a", "b");
    assertThatThrownBy(() -> h.messages().put("d", 4))
        .isInstanceOf(UnsupportedOperationException.class);
    for (int bad : new int[] {-1, 256}) {
      assertThatThrownBy(
              () ->
                  new ExtensionHandshake(
                      Map.of("x", bad),
                      Optional.empty(),
                      OptionalInt.empty(),
                      OptionalInt.empty(),
                      Optional.empty(),
                      OptionalInt.empty(),
                      false,
                      false))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void invalidUtf8KeysThatCollideDoNotEscapeAsIllegalArgumentException() {
    byte[] payload = latin1("d1:md1:\u00fei1e1:\u00ffi2e6:ut_pexi3eee");
    assertThatCode(
            () -> {
              try {
                ExtensionHandshake h = ExtensionHandshake.decode(payload);
                assertThat(h.idOf("ut_pex")).hasValue(3);
              } catch (WireException acceptable) {
                // refusing the handshake is acceptable too
              }
            })
        .doesNotThrowAnyException();
  }
}
