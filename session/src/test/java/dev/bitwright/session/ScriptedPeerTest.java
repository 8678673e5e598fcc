package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.testing.MockPeer;
import dev.bitwright.wire.AllowedFastSet;
import dev.bitwright.wire.EncryptionPolicy;
import dev.bitwright.wire.PeerId;
import dev.bitwright.wire.PeerMessage;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A Bitwright seed or leecher seen by a scripted peer. */
@Timeout(30)
class ScriptedPeerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;

  /**
   * BEP 6 from the uploader's side: the seed offers the peer its allowed fast set, serves those
   * pieces while choking it, and rejects other requests.
   */
  @Test
  void aChokedFastPeerGetsItsAllowedFastPiecesAndRejectsForTheRest() throws Exception {
    Path payload = Swarm.payload(dir.resolve("seed"), 6, 3_000_000);
    Torrent torrent = TorrentBuilder.create(payload).pieceLength(16 * 1024).build();
    byte[] infoHash = torrent.infoHashes().v1().orElseThrow().bytes();
    List<Integer> allowed =
        AllowedFastSet.generate(5, torrent.pieceCount(), infoHash, (Inet4Address) Swarm.LOOPBACK);
    int other = 0;
    while (allowed.contains(other)) {
      other++;
    }
    try (TorrentSession seeder = TorrentSession.start(Swarm.config().build())) {
      seeder
          .add(AddTorrent.torrent(torrent, dir.resolve("seed")).build())
          .completion()
          .get(20, TimeUnit.SECONDS);
      try (MockPeer peer = connect(seeder, infoHash)) {
        List<Integer> offered = new ArrayList<>();
        while (offered.size() < allowed.size()) {
          offered.add(peer.awaitMessage(PeerMessage.AllowedFast.class, WAIT).piece());
        }
        assertThat(offered).containsExactlyInAnyOrderElementsOf(allowed);

        // Never interested, so never unchoked: only the allowed fast piece may come.
        peer.send(new PeerMessage.Request(allowed.get(0), 0, 16 * 1024));
        peer.send(new PeerMessage.Request(other, 0, 16 * 1024));
        boolean gotPiece = false;
        boolean gotReject = false;
        while (!gotPiece || !gotReject) {
          PeerMessage m = peer.takeMessage(WAIT);
          if (m instanceof PeerMessage.Piece piece) {
            assertThat(piece.piece()).isEqualTo(allowed.get(0));
            assertThat(piece.length()).isEqualTo(16 * 1024);
            gotPiece = true;
          } else if (m instanceof PeerMessage.Reject reject) {
            assertThat(reject.piece()).isEqualTo(other);
            gotReject = true;
          }
        }
      }
    }
  }

  /**
   * A seeded file that disappears is an error of the torrent: requests for its blocks must not
   * leave the seed retrying an upload that can never make progress.
   */
  @Test
  void aSeedWhoseFileDisappearsStopsWithAnError() throws Exception {
    Path payload = Swarm.payload(dir.resolve("seed"), 7, 1_000_000);
    Torrent torrent = TorrentBuilder.create(payload).pieceLength(16 * 1024).build();
    byte[] infoHash = torrent.infoHashes().v1().orElseThrow().bytes();
    try (TorrentSession seeder = TorrentSession.start(Swarm.config().build())) {
      TorrentHandle seed = seeder.add(AddTorrent.torrent(torrent, dir.resolve("seed")).build());
      seed.completion().get(20, TimeUnit.SECONDS);
      Files.write(payload.resolve("f0.bin"), new byte[0]);
      try (MockPeer peer = connect(seeder, infoHash)) {
        peer.send(new PeerMessage.Interested());
        peer.awaitMessage(
            PeerMessage.Unchoke.class, WAIT); // after bitfield, allowed fast and so on
        // In one write: the seed may fail at the first request and close the connection.
        peer.send(
            new PeerMessage.Request(0, 0, 16 * 1024),
            new PeerMessage.Request(1, 0, 16 * 1024),
            new PeerMessage.Request(2, 0, 16 * 1024),
            new PeerMessage.Request(3, 0, 16 * 1024));
        Swarm.await(
            Duration.ofSeconds(10),
            "the torrent failed",
            () -> seed.status().state() == TorrentState.ERROR);
        assertThat(seed.status().error())
            .hasValueSatisfying(e -> assertThat(e).contains("missing"));
      }
    }
  }

  /**
   * Encrypted uploads are encrypted in the output buffer; bytes missing from the files must not go
   * out there as zeros.
   */
  @Test
  void anEncryptedSeedWhoseFileDisappearsStopsWithAnErrorInsteadOfSendingZeros() throws Exception {
    Path payload = Swarm.payload(dir.resolve("seed"), 8, 1_000_000);
    Torrent torrent = TorrentBuilder.create(payload).pieceLength(16 * 1024).build();
    SessionConfig forced = Swarm.config().encryption(EncryptionPolicy.FORCED).build();
    Swarm.Events events = new Swarm.Events();
    try (TorrentSession seeder = TorrentSession.start(forced);
        TorrentSession leecher = TorrentSession.start(forced)) {
      TorrentHandle seed = seeder.add(AddTorrent.torrent(torrent, dir.resolve("seed")).build());
      seed.completion().get(20, TimeUnit.SECONDS);
      Files.write(payload.resolve("f0.bin"), new byte[0]);
      leecher.addListener(events);
      leecher.add(
          AddTorrent.torrent(torrent, dir.resolve("dl")).peer(Swarm.address(seeder)).build());
      Swarm.await(
          Duration.ofSeconds(10),
          "the torrent failed",
          () -> seed.status().state() == TorrentState.ERROR);
      assertThat(seed.status().error()).hasValueSatisfying(e -> assertThat(e).contains("missing"));
    }
    assertThat(events.of(SessionEvent.PeerConnected.class)).isNotEmpty();
    assertThat(events.of(SessionEvent.HashFailed.class)).as("no zeros sent as data").isEmpty();
  }

  /**
   * BEP 6 suggest from the downloader's side: of 64 pieces that are all equally rare, a leecher
   * starts with the one its peer suggests (by chance, 1 in 64).
   */
  @Test
  void aLeecherStartsWithThePieceItsPeerSuggests() throws Exception {
    Path payload = Swarm.payload(dir.resolve("seed"), 9, 64 * 16 * 1024);
    Torrent torrent = TorrentBuilder.create(payload).pieceLength(16 * 1024).build();
    byte[] infoHash = torrent.infoHashes().v1().orElseThrow().bytes();
    SessionConfig plaintext = Swarm.config().encryption(EncryptionPolicy.DISABLED).build();
    try (MockPeer peer =
            MockPeer.builder()
                .peerId(PeerId.generate(new SplittableRandom(2)))
                .extensionProtocol(false)
                .listen();
        TorrentSession leecher = TorrentSession.start(plaintext)) {
      leecher.add(AddTorrent.torrent(torrent, dir.resolve("dl")).peer(peer.address()).build());
      assertThat(peer.awaitConnection(WAIT).infoHash()).isEqualTo(infoHash);
      peer.send(new PeerMessage.HaveAll());
      peer.send(new PeerMessage.Suggest(41));
      peer.send(new PeerMessage.Unchoke());
      assertThat(peer.awaitMessage(PeerMessage.Request.class, WAIT).piece()).isEqualTo(41);
    }
  }

  /** Connects to {@code seeder} and exchanges handshakes, offering the Fast extension. */
  private static MockPeer connect(TorrentSession seeder, byte[] infoHash) throws Exception {
    return MockPeer.builder()
        .peerId(PeerId.generate(new SplittableRandom(1)))
        .extensionProtocol(false)
        .connect(Swarm.address(seeder), infoHash);
  }
}
