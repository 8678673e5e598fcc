package dev.bitwright.utp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitwright.utp.UtpException;
import java.nio.ByteBuffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PacketPropertiesTest {
  record Fields(
      int type,
      int connectionId,
      int timestamp,
      int difference,
      long window,
      int seq,
      int ack,
      byte[] sack,
      byte[] payload) {}

  @Provide
  Arbitrary<Fields> packets() {
    Arbitrary<byte[]> sack =
        Arbitraries.integers()
            .between(0, Packet.MAX_SACK_BYTES / 4)
            .flatMap(words -> Arbitraries.bytes().array(byte[].class).ofSize(words * 4));
    return Combinators.combine(
            Arbitraries.integers().between(0, 4),
            Arbitraries.integers().between(0, 0xFFFF),
            Arbitraries.integers(),
            Arbitraries.integers(),
            Arbitraries.longs().between(0, 0xFFFFFFFFL),
            Arbitraries.integers().between(0, 0xFFFF),
            Arbitraries.integers().between(0, 0xFFFF),
            sack)
        .flatAs(
            (type, id, ts, diff, window, seq, ack, mask) ->
                Arbitraries.bytes()
                    .array(byte[].class)
                    .ofMaxSize(1500)
                    .map(
                        payload ->
                            new Fields(type, id, ts, diff, window, seq, ack, mask, payload)));
  }

  private static ByteBuffer encode(Fields f) {
    ByteBuffer out = ByteBuffer.allocate(2000);
    Packet.encode(
        out,
        f.type(),
        f.connectionId(),
        f.timestamp(),
        f.difference(),
        f.window(),
        f.seq(),
        f.ack(),
        f.sack(),
        f.sack().length);
    out.put(f.payload());
    return out.flip();
  }

  @Property
  void roundTrips(@ForAll("packets") Fields f) throws UtpException {
    ByteBuffer datagram = encode(f);
    Packet p = new Packet();
    p.decode(datagram);

    assertThat(p.type()).isEqualTo(f.type());
    assertThat(p.connectionId()).isEqualTo(f.connectionId());
    assertThat(p.timestampMicros()).isEqualTo(f.timestamp());
    assertThat(p.timestampDifferenceMicros()).isEqualTo(f.difference());
    assertThat(p.windowSize()).isEqualTo(f.window());
    assertThat(p.seq()).isEqualTo(f.seq());
    assertThat(p.ack()).isEqualTo(f.ack());
    assertThat(p.hasSelectiveAck()).isEqualTo(f.sack().length > 0);
    for (int i = 0; i < f.sack().length * 8; i++) {
      assertThat(p.selectivelyAcked(datagram, i))
          .isEqualTo((f.sack()[i >>> 3] & (1 << (i & 7))) != 0);
    }
    byte[] payload = new byte[p.payloadLength()];
    datagram.get(p.payloadOffset(), payload);
    assertThat(payload).isEqualTo(f.payload());
    assertThat(datagram.position()).as("position left alone").isZero();
    assertThat(Packet.looksLikeUtp(datagram)).isTrue();
  }

  @Property
  void truncatedHeadersAndExtensionsAreRejected(
      @ForAll("packets") Fields f, @ForAll @IntRange(min = 0, max = 100) int cut) {
    Fields noPayload =
        new Fields(
            f.type(),
            f.connectionId(),
            f.timestamp(),
            f.difference(),
            f.window(),
            f.seq(),
            f.ack(),
            f.sack(),
            new byte[0]);
    ByteBuffer datagram = encode(noPayload);
    int headerEnd = datagram.limit();
    int length = cut % headerEnd;
    datagram.limit(length);

    assertThatThrownBy(() -> new Packet().decode(datagram)).isInstanceOf(UtpException.class);
  }

  @Property(tries = 2000)
  void anyBytesDecodeOrFailWithTheDocumentedException(@ForAll("mutations") byte[] bytes) {
    Packet p = new Packet();
    try {
      p.decode(ByteBuffer.wrap(bytes));
      assertThat(p.payloadOffset() + p.payloadLength()).isEqualTo(bytes.length);
      assertThat(p.type()).isBetween(0, 4);
    } catch (UtpException expected) {
      assertThat(expected.offset()).isBetween(0, bytes.length);
    }
  }

  @Provide
  Arbitrary<byte[]> mutations() {
    Arbitrary<byte[]> valid =
        packets()
            .map(
                f -> {
                  ByteBuffer b = encode(f);
                  byte[] bytes = new byte[b.remaining()];
                  b.get(bytes);
                  return bytes;
                });
    Arbitrary<byte[]> mutated =
        Combinators.combine(valid, Arbitraries.integers().between(0, 40), Arbitraries.bytes())
            .as(
                (bytes, at, value) -> {
                  byte[] copy = bytes.clone();
                  copy[at % copy.length] = value;
                  return copy;
                });
    return Arbitraries.oneOf(mutated, Arbitraries.bytes().array(byte[].class).ofMaxSize(64), valid);
  }

  @Test
  void rejectsOtherVersionsAndTypes() {
    ByteBuffer ok = encode(new Fields(0, 1, 2, 3, 4, 5, 6, new byte[0], new byte[0]));
    ok.put(0, (byte) 0x02);
    assertThatThrownBy(() -> new Packet().decode(ok)).hasMessageContaining("version");
    ok.put(0, (byte) 0x51);
    assertThatThrownBy(() -> new Packet().decode(ok)).hasMessageContaining("type");
    assertThat(
            Packet.looksLikeUtp(
                ByteBuffer.wrap(
                    "d1:ad2:id20:".getBytes(java.nio.charset.StandardCharsets.US_ASCII))))
        .isFalse();
  }

  @Test
  void skipsUnknownExtensions() throws UtpException {
    // libtorrent's close-reason extension (3) before a payload.
    ByteBuffer datagram = ByteBuffer.allocate(30);
    Packet.encode(datagram, Packet.ST_FIN, 7, 0, 0, 100, 9, 8, null, 0);
    datagram.put(1, (byte) 3);
    datagram.put((byte) 0).put((byte) 4).putInt(42).put((byte) 'x').put((byte) 'y');
    datagram.flip();
    Packet p = new Packet();
    p.decode(datagram);
    assertThat(p.hasSelectiveAck()).isFalse();
    assertThat(p.payloadLength()).isEqualTo(2);
  }
}
