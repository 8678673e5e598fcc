package dev.bitwright.session.internal.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.wire.PeerMessage;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireTraceFormatTest {
  private final WireTraceFormat format = new WireTraceFormat();

  @Test
  void namesEveryMessageWithItsFields() {
    byte[] root = new byte[32];
    root[0] = (byte) 0xab;
    PeerMessage.HashRange range = new PeerMessage.HashRange(root, 0, 4, 8, 2);
    List<PeerMessage> messages =
        List.of(
            new PeerMessage.KeepAlive(),
            new PeerMessage.Choke(),
            new PeerMessage.Unchoke(),
            new PeerMessage.Interested(),
            new PeerMessage.NotInterested(),
            new PeerMessage.Have(7),
            new PeerMessage.Bitfield(new byte[] {(byte) 0xF0, 1}),
            new PeerMessage.Request(1, 16384, 16384),
            new PeerMessage.Piece(1, 0, ByteBuffer.allocate(100)),
            new PeerMessage.Cancel(1, 0, 16384),
            new PeerMessage.Port(6881),
            new PeerMessage.Suggest(3),
            new PeerMessage.HaveAll(),
            new PeerMessage.HaveNone(),
            new PeerMessage.Reject(2, 0, 16384),
            new PeerMessage.AllowedFast(9),
            new PeerMessage.Extended(3, new byte[12]),
            new PeerMessage.HashRequest(range),
            new PeerMessage.Hashes(range, new byte[64]),
            new PeerMessage.HashReject(range),
            new PeerMessage.Unknown(99, 5));

    assertThat(messages.stream().map(format::describe))
        .containsExactly(
            "keep-alive",
            "choke",
            "unchoke",
            "interested",
            "not-interested",
            "have piece=7",
            "bitfield bytes=2 set=5",
            "request piece=1 offset=16384 length=16384",
            "piece piece=1 offset=0 length=100",
            "cancel piece=1 offset=0 length=16384",
            "port port=6881",
            "suggest piece=3",
            "have-all",
            "have-none",
            "reject piece=2 offset=0 length=16384",
            "allowed-fast piece=9",
            "extended id=3 length=12",
            "hash-request root=ab00000000000000 base=0 index=4 length=8 proof=2",
            "hashes root=ab00000000000000 base=0 index=4 length=8 proof=2 bytes=64",
            "hash-reject root=ab00000000000000 base=0 index=4 length=8 proof=2",
            "unknown id=99 length=5");
  }
}
