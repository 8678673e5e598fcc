package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.wire.AllowedFastSet;
import dev.bitwright.wire.EncryptionPolicy;
import dev.bitwright.wire.Handshake;
import dev.bitwright.wire.MessageEncoder;
import dev.bitwright.wire.PeerId;
import dev.bitwright.wire.PeerMessage;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
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

/** A Bitwright seed or leecher seen by a scripted peer on a plain socket. */
@Timeout(30)
class ScriptedPeerTest {
  private static final byte UNCHOKE = 1;
  private static final byte REQUEST = 6;
  private static final byte PIECE = 7;
  private static final byte REJECT = 16;
  private static final byte ALLOWED_FAST = 17;

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
      try (Socket socket = connect(seeder, infoHash)) {
        OutputStream out = socket.getOutputStream();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        List<Integer> offered = new ArrayList<>();
        while (offered.size() < allowed.size()) {
          byte[] m = readMessage(in);
          if (m.length == 5 && m[0] == ALLOWED_FAST) {
            offered.add(ByteBuffer.wrap(m, 1, 4).getInt());
          }
        }
        assertThat(offered).containsExactlyInAnyOrderElementsOf(allowed);

        // Never interested, so never unchoked: only the allowed fast piece may come.
        send(out, new PeerMessage.Request(allowed.get(0), 0, 16 * 1024));
        send(out, new PeerMessage.Request(other, 0, 16 * 1024));
        boolean gotPiece = false;
        boolean gotReject = false;
        while (!gotPiece || !gotReject) {
          byte[] m = readMessage(in);
          int piece = m.length >= 5 ? ByteBuffer.wrap(m, 1, 4).getInt() : -1;
          if (m[0] == PIECE) {
            assertThat(piece).isEqualTo(allowed.get(0));
            assertThat(m.length).isEqualTo(9 + 16 * 1024);
            gotPiece = true;
          } else if (m[0] == REJECT) {
            assertThat(piece).isEqualTo(other);
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
      try (Socket socket = connect(seeder, infoHash)) {
        OutputStream out = socket.getOutputStream();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        send(out, new PeerMessage.Interested());
        while (readMessage(in)[0] != UNCHOKE) {
          // bitfield, allowed fast and so on
        }
        // In one write: the seed may fail at the first request and close the connection.
        ByteArrayOutputStream requests = new ByteArrayOutputStream();
        for (int piece = 0; piece < 4; piece++) {
          send(requests, new PeerMessage.Request(piece, 0, 16 * 1024));
        }
        out.write(requests.toByteArray());
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
   * Encrypted uploads read blocks instead of sending them with {@code transferTo}; bytes missing
   * from the files read as zeros, and those must not go out as the piece.
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
    try (ServerSocket server = new ServerSocket(0, 1, Swarm.LOOPBACK);
        TorrentSession leecher = TorrentSession.start(plaintext)) {
      server.setSoTimeout(10_000);
      leecher.add(
          AddTorrent.torrent(torrent, dir.resolve("dl"))
              .peer(new InetSocketAddress(Swarm.LOOPBACK, server.getLocalPort()))
              .build());
      try (Socket socket = server.accept()) {
        socket.setSoTimeout(10_000);
        DataInputStream in = new DataInputStream(socket.getInputStream());
        in.readFully(new byte[68]);
        OutputStream out = socket.getOutputStream();
        out.write(
            Handshake.of(
                    infoHash, PeerId.generate(new SplittableRandom(2)), false, true, false, false)
                .toBytes());
        send(out, new PeerMessage.HaveAll());
        send(out, new PeerMessage.Suggest(41));
        send(out, new PeerMessage.Unchoke());
        byte[] request;
        do {
          request = readMessage(in);
        } while (request[0] != REQUEST);
        assertThat(ByteBuffer.wrap(request, 1, 4).getInt()).isEqualTo(41);
      }
    }
  }

  /** Connects to {@code seeder} and exchanges handshakes, offering the Fast extension. */
  private static Socket connect(TorrentSession seeder, byte[] infoHash) throws IOException {
    Socket socket = new Socket(Swarm.LOOPBACK, seeder.listenAddress().getPort());
    socket.setSoTimeout(10_000);
    socket
        .getOutputStream()
        .write(
            Handshake.of(
                    infoHash, PeerId.generate(new SplittableRandom(1)), false, true, false, false)
                .toBytes());
    new DataInputStream(socket.getInputStream()).readFully(new byte[68]);
    return socket;
  }

  private static void send(OutputStream out, PeerMessage message) throws IOException {
    ByteBuffer b = MessageEncoder.encode(message);
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    out.write(bytes);
    out.flush();
  }

  /** Reads one message (keep-alives skipped): its id and payload. */
  private static byte[] readMessage(DataInputStream in) throws IOException {
    while (true) {
      int length = in.readInt();
      if (length > 0) {
        byte[] m = new byte[length];
        in.readFully(m);
        return m;
      }
    }
  }
}
