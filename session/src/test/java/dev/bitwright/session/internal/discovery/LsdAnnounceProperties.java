package dev.bitwright.session.internal.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.hash.HashCode;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The BEP 14 announce codec: round trips, cut datagrams, and only its one exception on junk. */
class LsdAnnounceProperties {
  @Provide
  Arbitrary<LsdAnnounce> announces() {
    Arbitrary<HashCode> hash =
        Arbitraries.bytes()
            .array(byte[].class)
            .ofSize(20)
            .map(HashCode::fromBytes)
            .filter(h -> !h.toString().equals("0".repeat(40)));
    Arbitrary<Optional<String>> cookie =
        Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(16).optional();
    return Combinators.combine(
            Arbitraries.integers().between(1, 65535),
            hash.list().ofMinSize(1).ofMaxSize(LsdAnnounce.HASHES_PER_DATAGRAM),
            cookie)
        .as(LsdAnnounce::new);
  }

  @Provide
  Arbitrary<String> hosts() {
    return Arbitraries.of("239.192.152.143:6771", "[ff15::efc0:988f]:6771");
  }

  @Property
  void anAnnounceRoundTrips(@ForAll("announces") LsdAnnounce announce, @ForAll("hosts") String host)
      throws Exception {
    assertThat(LsdAnnounce.decode(ByteBuffer.wrap(announce.encode(host)))).isEqualTo(announce);
  }

  @Property
  void anAnnounceCutBeforeItsEndIsRejected(
      @ForAll("announces") LsdAnnounce announce, @ForAll @IntRange(min = 0, max = 2000) int cut) {
    byte[] whole = announce.encode("239.192.152.143:6771");
    // The head ends with the first of the two empty lines: 2 bytes before the datagram's end.
    int length = cut % (whole.length - 2);
    assertThatThrownBy(() -> LsdAnnounce.decode(ByteBuffer.wrap(whole, 0, length)))
        .isInstanceOf(LsdFormatException.class);
  }

  @Property
  void randomBytesFailOnlyAsTheFormatException(@ForAll @Size(max = 1600) byte[] junk) {
    decodeOrFormatException(junk);
  }

  @Property
  void mutatedAnnouncesFailOnlyAsTheFormatException(
      @ForAll("announces") LsdAnnounce announce,
      @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 1399) Integer> positions,
      @ForAll @Size(min = 8, max = 8) List<Byte> values) {
    byte[] bytes = announce.encode("239.192.152.143:6771");
    for (int i = 0; i < positions.size(); i++) {
      bytes[positions.get(i) % bytes.length] = values.get(i);
    }
    decodeOrFormatException(bytes);
  }

  private static void decodeOrFormatException(byte[] bytes) {
    try {
      LsdAnnounce decoded = LsdAnnounce.decode(ByteBuffer.wrap(bytes));
      assertThat(decoded.port()).isBetween(1, 65535);
      assertThat(decoded.infoHashes())
          .isNotEmpty()
          .allSatisfy(h -> assertThat(h.bits()).isEqualTo(160));
    } catch (LsdFormatException expected) {
      // the one documented failure
    }
  }
}
