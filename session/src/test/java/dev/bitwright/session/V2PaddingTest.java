package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.metainfo.TorrentVersion;
import dev.bitwright.testing.MockPeer;
import dev.bitwright.wire.PeerMessage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * In a v2 torrent every file starts a piece, and the last piece of a file is padded to the piece
 * length on the wire: a request reaching past the file's data is answered with its bytes and then
 * zeros, as libtorrent answers (and asks).
 */
@Timeout(30)
class V2PaddingTest {
  @TempDir Path dir;

  @Test
  void aBlockPastTheEndOfAFileIsItsBytesThenZeros() throws Exception {
    Path payload = Swarm.payload(dir.resolve("seed"), 61, 1, 20_000, 40_000);
    Torrent torrent =
        TorrentBuilder.create(payload).version(TorrentVersion.V2).pieceLength(32 * 1024).build();
    byte[] one = Files.readAllBytes(payload.resolve("f0.bin"));
    byte[] second = Files.readAllBytes(payload.resolve("f1.bin"));
    byte[] infoHash = torrent.infoHashes().v2().orElseThrow().truncated();
    try (TorrentSession seeder = Swarm.seeding(torrent, dir.resolve("seed"), 0);
        MockPeer peer = MockPeer.connect(Swarm.address(seeder), infoHash)) {
      peer.send(new PeerMessage.Interested());
      peer.awaitMessage(PeerMessage.Unchoke.class, Duration.ofSeconds(10));
      // piece 0 holds the 1-byte file; piece 1 the 20,000-byte one
      peer.send(new PeerMessage.Request(0, 0, 16 * 1024));
      peer.send(new PeerMessage.Request(0, 16 * 1024, 16 * 1024));
      peer.send(new PeerMessage.Request(1, 16 * 1024, 16 * 1024));
      ByteBuffer first = block(peer, 0, 0);
      assertThat(first.remaining()).isEqualTo(16 * 1024);
      assertThat(first.get(0)).isEqualTo(one[0]);
      assertAllZero(first.position(1));
      assertAllZero(block(peer, 0, 16 * 1024));
      ByteBuffer tail = block(peer, 1, 16 * 1024);
      assertThat(tail.remaining()).isEqualTo(16 * 1024);
      byte[] data = new byte[20_000 - 16 * 1024];
      tail.get(data);
      assertThat(data).isEqualTo(Arrays.copyOfRange(second, 16 * 1024, 20_000));
      assertAllZero(tail);
    }
  }

  private static ByteBuffer block(MockPeer peer, int piece, int offset) throws Exception {
    return peer.awaitMessage(
            PeerMessage.Piece.class,
            p -> p.piece() == piece && p.offset() == offset,
            Duration.ofSeconds(10))
        .data();
  }

  private static void assertAllZero(ByteBuffer bytes) {
    while (bytes.hasRemaining()) {
      assertThat(bytes.get()).isZero();
    }
  }
}
