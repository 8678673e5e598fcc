package dev.bitwright.wire;

import static dev.bitwright.wire.ExtensionHandshakeTest.latin1;
import static dev.bitwright.wire.WireBytes.concat;
import static dev.bitwright.wire.WireBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.wire.PexMessage.Peer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ut_pex messages (BEP 11). */
class PexMessageTest {
  static InetSocketAddress address(String ip, int port) throws Exception {
    return new InetSocketAddress(InetAddress.getByName(ip), port);
  }

  /** A bencoded byte string: its length, a colon, the bytes. */
  private static byte[] string(byte[] bytes) {
    return concat(latin1(bytes.length + ":"), bytes);
  }

  private static byte[] dict(Object... keysAndValues) {
    List<byte[]> parts = new ArrayList<>();
    parts.add(latin1("d"));
    for (int i = 0; i < keysAndValues.length; i += 2) {
      parts.add(string(latin1((String) keysAndValues[i])));
      parts.add(string((byte[]) keysAndValues[i + 1]));
    }
    parts.add(latin1("e"));
    return concat(parts.toArray(new byte[0][]));
  }

  private static byte[] ipv4Entries(int n) {
    ByteBuffer b = ByteBuffer.allocate(6 * n);
    for (int i = 0; i < n; i++) {
      b.put(new byte[] {10, 0, (byte) (i >> 8), (byte) i}).putShort((short) 6881);
    }
    return b.array();
  }

  @Test
  void goldenSingleIpv4Peer() throws Exception {
    PexMessage m = new PexMessage(List.of(new Peer(address("127.0.0.1", 6881), 0x12)), List.of());
    byte[] golden = dict("added", hex("7f000001 1ae1"), "added.f", hex("12"));
    assertThat(m.encode()).isEqualTo(golden);
    assertThat(m.encode())
        .isEqualTo(latin1("d5:added6:\u007f\u0000\u0000\u0001\u001a\u00e17:added.f1:\u0012e"));
    assertThat(PexMessage.decode(golden)).isEqualTo(m);
  }

  @Test
  void goldenMessageWithEveryList() throws Exception {
    PexMessage m =
        new PexMessage(
            List.of(
                new Peer(address("127.0.0.1", 6881), PexMessage.SEED | PexMessage.REACHABLE),
                new Peer(address("::1", 6882), PexMessage.PREFERS_ENCRYPTION),
                new Peer(address("192.168.0.9", 1), PexMessage.UTP | PexMessage.HOLEPUNCH)),
            List.of(address("10.0.0.1", 80), address("2001:db8::2", 443)));
    byte[] golden =
        dict(
            "added", hex("7f000001 1ae1 c0a80009 0001"),
            "added.f", hex("12 0c"),
            "added6", hex("00000000000000000000000000000001 1ae2"),
            "added6.f", hex("01"),
            "dropped", hex("0a000001 0050"),
            "dropped6", hex("20010db8000000000000000000000002 01bb"));
    assertThat(m.encode()).isEqualTo(golden);
    PexMessage back = PexMessage.decode(golden);
    assertThat(back.added())
        .containsExactly(
            new Peer(address("127.0.0.1", 6881), 0x12),
            new Peer(address("192.168.0.9", 1), 0x0c),
            new Peer(address("::1", 6882), 0x01));
    assertThat(back.dropped())
        .containsExactly(address("10.0.0.1", 80), address("2001:db8::2", 443));
    assertThat(back.encode()).isEqualTo(golden);
  }

  @Test
  void anEmptyMessageIsAnEmptyDictionary() throws Exception {
    PexMessage empty = new PexMessage(List.of(), List.of());
    assertThat(empty.encode()).isEqualTo(latin1("de"));
    assertThat(PexMessage.decode(latin1("de"))).isEqualTo(empty);
  }

  @Test
  void missingFlagsMeanNoFlags() throws Exception {
    PexMessage m = PexMessage.decode(dict("added", hex("01020304 0102")));
    assertThat(m.added()).containsExactly(new Peer(address("1.2.3.4", 258), 0));
  }

  @Test
  void valuesThatAreNotStringsAndUnknownKeysAreIgnored() throws Exception {
    PexMessage m = PexMessage.decode(latin1("d5:addedi5e7:droppedle1:xi1ee"));
    assertThat(m).isEqualTo(new PexMessage(List.of(), List.of()));
  }

  @Test
  void unsortedKeysAreAccepted() throws Exception {
    byte[] payload =
        concat(
            latin1("d7:dropped6:"),
            hex("0a000001 0050"),
            latin1("5:added6:"),
            hex("0a000002 0050"),
            latin1("e"));
    PexMessage m = PexMessage.decode(payload);
    assertThat(m.added()).containsExactly(new Peer(address("10.0.0.2", 80), 0));
    assertThat(m.dropped()).containsExactly(address("10.0.0.1", 80));
  }

  @ParameterizedTest
  @ValueSource(strings = {"added", "dropped", "added6", "dropped6"})
  void compactListsOfTheWrongLengthFail(String key) {
    int entry = key.endsWith("6") ? 18 : 6;
    for (int length : new int[] {1, entry - 1, entry + 1, 2 * entry - 1}) {
      assertThatThrownBy(() -> PexMessage.decode(dict(key, new byte[length])))
          .as("%s of %s bytes", key, length)
          .isInstanceOf(WireException.class)
          .hasMessageContaining(key);
    }
  }

  @Test
  void flagsMustMatchTheirList() {
    assertThatThrownBy(() -> PexMessage.decode(dict("added", ipv4Entries(2), "added.f", hex("00"))))
        .isInstanceOf(WireException.class);
    assertThatThrownBy(
            () -> PexMessage.decode(dict("added", ipv4Entries(1), "added.f", hex("0000"))))
        .isInstanceOf(WireException.class);
    assertThatThrownBy(() -> PexMessage.decode(dict("added.f", hex("00"))))
        .isInstanceOf(WireException.class);
    assertThatThrownBy(
            () -> PexMessage.decode(dict("added6", new byte[18], "added6.f", hex("0000"))))
        .isInstanceOf(WireException.class);
  }

  @Test
  void tooManyEntriesFail() throws Exception {
    int max = PexMessage.MAX_RECEIVED_ENTRIES;
    assertThat(PexMessage.decode(dict("added", ipv4Entries(max))).added()).hasSize(max);
    assertThat(PexMessage.decode(dict("dropped", ipv4Entries(max))).dropped()).hasSize(max);
    assertThatThrownBy(() -> PexMessage.decode(dict("added", ipv4Entries(max + 1))))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("too many");
    assertThatThrownBy(() -> PexMessage.decode(dict("dropped", ipv4Entries(max + 1))))
        .isInstanceOf(WireException.class);
    byte[] sixes = new byte[18 * 201];
    assertThatThrownBy(() -> PexMessage.decode(dict("added", ipv4Entries(300), "added6", sixes)))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("too many");
    assertThatThrownBy(
            () -> PexMessage.decode(dict("dropped", ipv4Entries(300), "dropped6", sixes)))
        .isInstanceOf(WireException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"le", "i1e", "3:abc", "", "d", "d5:added", "dee"})
  void anythingButOneDictionaryFails(String payload) {
    assertThatThrownBy(() -> PexMessage.decode(latin1(payload))).isInstanceOf(WireException.class);
  }

  @Test
  void recordsRefuseHostNamesAndWideFlags() throws Exception {
    InetSocketAddress unresolved = InetSocketAddress.createUnresolved("example.org", 1);
    assertThatThrownBy(() -> new Peer(unresolved, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Peer(address("1.2.3.4", 1), 256))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Peer(address("1.2.3.4", 1), -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PexMessage(List.of(), List.of(unresolved)))
        .isInstanceOf(IllegalArgumentException.class);
    List<Peer> added = new ArrayList<>(List.of(new Peer(address("1.2.3.4", 1), 0)));
    PexMessage m = new PexMessage(added, List.of());
    added.clear();
    assertThat(m.added()).hasSize(1);
  }
}
