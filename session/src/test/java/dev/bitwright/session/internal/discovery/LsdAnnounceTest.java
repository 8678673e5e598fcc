package dev.bitwright.session.internal.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.hash.HashCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The BEP 14 announce codec on hand-written datagrams, libtorrent's among them. */
class LsdAnnounceTest {
  private static final String HASH = "0123456789abcdef0123456789abcdef01234567";
  private static final String OTHER = "fedcba9876543210fedcba9876543210fedcba98";

  private static LsdAnnounce decode(String datagram) throws LsdFormatException {
    return LsdAnnounce.decode(ByteBuffer.wrap(datagram.getBytes(StandardCharsets.ISO_8859_1)));
  }

  private static HashCode hash(String hex) {
    return HashCode.fromString(hex);
  }

  @Test
  void decodesLibtorrentsAnnounce() throws Exception {
    // As libtorrent 2.0 renders it (src/lsd.cpp): the cookie in hex, two empty lines at the end.
    LsdAnnounce a =
        decode(
            "BT-SEARCH * HTTP/1.1\r\nHost: 239.192.152.143:6771\r\nPort: 6881\r\n"
                + "Infohash: "
                + HASH.toUpperCase(java.util.Locale.ROOT)
                + "\r\ncookie: 2f3a9c1\r\n\r\n\r\n");
    assertThat(a.port()).isEqualTo(6881);
    assertThat(a.infoHashes()).containsExactly(hash(HASH));
    assertThat(a.cookie()).hasValue("2f3a9c1");
  }

  @Test
  void encodesAsBep14Says() {
    LsdAnnounce a = new LsdAnnounce(51413, List.of(hash(HASH), hash(OTHER)), Optional.of("1a"));
    assertThat(new String(a.encode("[ff15::efc0:988f]:6771"), StandardCharsets.US_ASCII))
        .isEqualTo(
            "BT-SEARCH * HTTP/1.1\r\nHost: [ff15::efc0:988f]:6771\r\nPort: 51413\r\n"
                + "Infohash: "
                + HASH
                + "\r\nInfohash: "
                + OTHER
                + "\r\ncookie: 1a\r\n\r\n\r\n");
  }

  @Test
  void takesSeveralInfoHashesAnyHeaderCaseAndBareLineFeeds() throws Exception {
    LsdAnnounce a =
        decode(
            "bt-search * HTTP/1.0\nHOST: x\nport:  7000 \nINFOHASH: "
                + HASH
                + "\nX-Later: 1\ninfohash: "
                + OTHER
                + "\n\n");
    assertThat(a.port()).isEqualTo(7000);
    assertThat(a.infoHashes()).containsExactly(hash(HASH), hash(OTHER));
    assertThat(a.cookie()).isEmpty();
  }

  @Test
  void ignoresAnUnknownHeaderInUtf8() throws Exception {
    byte[] head = "BT-SEARCH * HTTP/1.1\r\nPort: 9\r\nX-Name: ".getBytes(StandardCharsets.UTF_8);
    byte[] name = "Bj\u00f6rk's PC".getBytes(StandardCharsets.UTF_8);
    byte[] rest = ("\r\nInfohash: " + HASH + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    ByteBuffer datagram = ByteBuffer.allocate(head.length + name.length + rest.length);
    datagram.put(head).put(name).put(rest).flip();
    assertThat(LsdAnnounce.decode(datagram).infoHashes()).containsExactly(hash(HASH));
  }

  @Test
  void skipsInfoHashesOfTheWrongLengthOrAllZeroAsLibtorrentDoes() throws Exception {
    LsdAnnounce a =
        decode(
            "BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nInfohash: abc\r\nInfohash: "
                + "0".repeat(40)
                + "\r\nInfohash: "
                + "g".repeat(40)
                + "\r\nInfohash: "
                + HASH
                + "\r\n\r\n");
    assertThat(a.infoHashes()).containsExactly(hash(HASH));
  }

  @Test
  void rejectsWhatIsNotAnAnnounce() {
    String head = "BT-SEARCH * HTTP/1.1\r\n";
    String hash = "Infohash: " + HASH + "\r\n";
    for (String bad :
        List.of(
            "",
            "\r\n\r\n",
            "M-SEARCH * HTTP/1.1\r\nPort: 1\r\n" + hash + "\r\n",
            "BT-SEARCH / HTTP/1.1\r\nPort: 1\r\n" + hash + "\r\n",
            "BT-SEARCH * FTP/1.1\r\nPort: 1\r\n" + hash + "\r\n",
            head + hash + "\r\n",
            head + "Port: 0\r\n" + hash + "\r\n",
            head + "Port: 65536\r\n" + hash + "\r\n",
            head + "Port: -1\r\n" + hash + "\r\n",
            head + "Port: 0x1F\r\n" + hash + "\r\n",
            head + "Port: 6881\r\n\r\n",
            head + "Port: 6881\r\nInfohash: abc\r\n\r\n",
            head + "Port: 6881\r\n" + hash,
            head + "Port: 6881\r\nno colon here\r\n" + hash + "\r\n",
            head + "Port: 6881\r\n" + hash + "cookie: a\u0001b\r\n\r\n",
            head + "Port: 6881\r\nX: " + "y".repeat(300) + "\r\n" + hash + "\r\n")) {
      assertThatThrownBy(() -> decode(bad)).as(bad).isInstanceOf(LsdFormatException.class);
    }
  }

  @Test
  void rejectsADatagramLongerThanAnyAnnounce() {
    StringBuilder big = new StringBuilder("BT-SEARCH * HTTP/1.1\r\nPort: 1\r\n");
    while (big.length() <= LsdAnnounce.MAX_DATAGRAM) {
      big.append("Infohash: ").append(HASH).append("\r\n");
    }
    assertThatThrownBy(() -> decode(big + "\r\n"))
        .isInstanceOf(LsdFormatException.class)
        .hasMessageContaining("bytes");
  }

  @Test
  void aFullDatagramOfInfoHashesStaysWithinBep14sSize() {
    List<HashCode> hashes = new java.util.ArrayList<>();
    for (int i = 0; i < LsdAnnounce.HASHES_PER_DATAGRAM; i++) {
      hashes.add(hash(HASH));
    }
    byte[] datagram =
        new LsdAnnounce(65535, hashes, Optional.of("7fffffff")).encode("[ff15::efc0:988f]:6771");
    assertThat(datagram.length).isLessThanOrEqualTo(1400);
  }

  @Test
  void decodingLeavesTheBufferAlone() throws Exception {
    ByteBuffer datagram =
        ByteBuffer.wrap(
            ("BT-SEARCH * HTTP/1.1\r\nPort: 9\r\nInfohash: " + HASH + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    LsdAnnounce.decode(datagram);
    assertThat(datagram.position()).isZero();
  }
}
