package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.FileEntry;
import dev.bitwright.metainfo.FileMerkleTree;
import dev.bitwright.metainfo.MerkleRoot;
import dev.bitwright.metainfo.MerkleTree;
import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.metainfo.TorrentVersion;
import dev.bitwright.testing.MockPeer;
import dev.bitwright.wire.PeerMessage;
import dev.bitwright.wire.PeerMessage.HashRange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A Bitwright seed answers BEP 52 hash requests with hashes that prove out, or rejects them. */
@Timeout(30)
class HashRequestTest {
  private static final int PIECE = 64 * 1024;

  @TempDir Path dir;
  Torrent torrent;
  FileEntry big;
  byte[] bigBytes;

  @BeforeEach
  void payload() throws Exception {
    Path payload = Swarm.payload(dir.resolve("seed"), 71, 20 * PIECE + 5_000, 3);
    torrent = TorrentBuilder.create(payload).version(TorrentVersion.V2).pieceLength(PIECE).build();
    big = torrent.files().stream().filter(f -> f.length() > PIECE).findFirst().orElseThrow();
    bigBytes = Files.readAllBytes(payload.resolve("f0.bin"));
  }

  private MockPeer connect(TorrentSession seeder) throws Exception {
    return MockPeer.connect(
        Swarm.address(seeder), torrent.infoHashes().v2().orElseThrow().truncated());
  }

  @Test
  void thePieceLayerWithItsProof() throws Exception {
    MerkleRoot root = big.piecesRoot().orElseThrow();
    // 21 pieces: a 32-wide piece layer, 5 levels below the root; ask for pieces 16..31
    int base = 2; // 64 KiB pieces: 4 blocks
    HashRange range = new HashRange(root.bytes(), base, 16, 16, 4);
    try (TorrentSession seeder = Swarm.seeding(torrent, dir.resolve("seed"), 0);
        MockPeer peer = connect(seeder)) {
      peer.send(new PeerMessage.HashRequest(range));
      PeerMessage.Hashes hashes = await(peer, range);
      byte[] proven =
          FileMerkleTree.verify(root, big.length(), PIECE, base, 16, 16, 4, hashes.hashes())
              .orElseThrow();
      byte[] layer = torrent.pieceLayer(root).orElseThrow();
      assertThat(Arrays.copyOf(proven, 5 * 32))
          .isEqualTo(Arrays.copyOfRange(layer, 16 * 32, 21 * 32));
    }
  }

  /** libtorrent asks for a piece's leaf hashes when the piece fails: they come from the data. */
  @Test
  void theLeafHashesOfAPiece() throws Exception {
    MerkleRoot root = big.piecesRoot().orElseThrow();
    int piece = 7;
    HashRange range = new HashRange(root.bytes(), 0, piece * 4, 4, 6);
    try (TorrentSession seeder = Swarm.seeding(torrent, dir.resolve("seed"), 0);
        MockPeer peer = connect(seeder)) {
      peer.send(new PeerMessage.HashRequest(range));
      byte[] proven =
          FileMerkleTree.verify(
                  root, big.length(), PIECE, 0, piece * 4, 4, 6, await(peer, range).hashes())
              .orElseThrow();
      for (int b = 0; b < 4; b++) {
        int from = piece * PIECE + b * MerkleTree.BLOCK_SIZE;
        byte[] expected =
            MerkleTree.sha256()
                .digest(Arrays.copyOfRange(bigBytes, from, from + MerkleTree.BLOCK_SIZE));
        assertThat(Arrays.copyOfRange(proven, b * 32, b * 32 + 32)).isEqualTo(expected);
      }
    }
  }

  @Test
  void unknownFilesAndRangesOutsideTheTreeAreRejected() throws Exception {
    byte[] root = big.piecesRoot().orElseThrow().bytes();
    HashRange unknown = new HashRange(new byte[32], 2, 0, 2, 0);
    HashRange outside = new HashRange(root, 2, 64, 32, 0);
    HashRange proofPastTheRoot = new HashRange(root, 2, 0, 2, 5);
    try (TorrentSession seeder = Swarm.seeding(torrent, dir.resolve("seed"), 0);
        MockPeer peer = connect(seeder)) {
      for (HashRange range : new HashRange[] {unknown, outside, proofPastTheRoot}) {
        peer.send(new PeerMessage.HashRequest(range));
        assertThat(
                peer.pollMessage(
                    PeerMessage.HashReject.class,
                    r -> r.request().equals(range),
                    Duration.ofSeconds(5)))
            .as("%s", range)
            .isPresent();
      }
    }
  }

  private static PeerMessage.Hashes await(MockPeer peer, HashRange range) throws Exception {
    return peer.awaitMessage(
        PeerMessage.Hashes.class, h -> h.request().equals(range), Duration.ofSeconds(10));
  }
}
