package dev.bitwright.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Message Stream Encryption against libtorrent with encryption forced (RC4 only), in both
 * directions: the handshake completes and BitTorrent messages flow, down to a verified block.
 */
@Timeout(60)
class MseLibtorrentInteropTest {
  @TempDir static Path dir;
  static Path torrentFile;
  static Torrent torrent;
  static byte[] payload;

  @BeforeAll
  static void makeTorrent() throws Exception {
    payload = new byte[100_000];
    new Random(3).nextBytes(payload);
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    Files.write(data.resolve("payload.bin"), payload);
    torrent = TorrentBuilder.create(data.resolve("payload.bin")).pieceLength(32 * 1024).build();
    torrentFile = dir.resolve("payload.torrent");
    Files.write(torrentFile, torrent.toBytes());
  }

  private byte[] infoHash() {
    return torrent.infoHashes().v1().orElseThrow().bytes();
  }

  @Test
  void weDialLibtorrentWithEncryptionForced() throws Exception {
    Path scratch = Files.createTempDirectory(dir, "out");
    try (LibtorrentPeer lt =
            LibtorrentPeer.seed(torrentFile, dir.resolve("data"), "forced", scratch);
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), lt.port())) {
      socket.setSoTimeout(20_000);
      Handshake ours = ourHandshake();
      MseHandshake mse =
          MseHandshake.initiator(
              infoHash(), ours.toBytes(), EncryptionPolicy.FORCED, new SecureRandom());
      EncryptedStream stream = EncryptedStream.handshake(socket, mse);
      assertThat(mse.selected()).isEqualTo(MseHandshake.RC4);
      Handshake theirs = stream.readHandshake();
      assertThat(theirs.infoHash()).isEqualTo(infoHash());
      assertThat(theirs.peerId().clientName())
          .hasValueSatisfying(n -> assertThat(n).startsWith("libtorrent"));
      downloadFirstBlock(stream);
    }
  }

  @Test
  void libtorrentDialsUsWithEncryptionForced() throws Exception {
    Path scratch = Files.createTempDirectory(dir, "in");
    try (LibtorrentPeer lt =
            LibtorrentPeer.seed(torrentFile, dir.resolve("data"), "forced", scratch);
        ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      server.setSoTimeout(20_000);
      lt.connectTo(server.getLocalPort());
      try (Socket socket = server.accept()) {
        socket.setSoTimeout(20_000);
        byte[] first = socket.getInputStream().readNBytes(20);
        assertThat(Handshake.looksLikeHandshake(ByteBuffer.wrap(first))).isFalse();
        byte[] req2 = MseHandshake.req2Hash(infoHash());
        MseHandshake mse =
            MseHandshake.receiver(
                r -> Arrays.equals(r, req2) ? Optional.of(infoHash()) : Optional.empty(),
                EncryptionPolicy.FORCED,
                new SecureRandom());
        mse.receive(ByteBuffer.wrap(first));
        EncryptedStream stream = EncryptedStream.handshake(socket, mse);
        assertThat(mse.selected()).isEqualTo(MseHandshake.RC4);
        assertThat(mse.skey()).isEqualTo(infoHash());
        Handshake theirs = Handshake.decode(ByteBuffer.wrap(mse.receivedPayload()));
        assertThat(theirs).isNotNull();
        assertThat(theirs.infoHash()).isEqualTo(infoHash());
        stream.send(ourHandshake().toBytes());
        downloadFirstBlock(stream);
      }
    }
  }

  private Handshake ourHandshake() {
    return Handshake.of(infoHash(), PeerId.generate(new Random()), false, true, false, false);
  }

  /** Interested, wait for unchoke, request the first block, check its bytes. */
  private void downloadFirstBlock(EncryptedStream stream) throws IOException {
    MessageDecoder decoder =
        new MessageDecoder(
            WireLimits.forTorrent(
                torrent.pieceCount(),
                p ->
                    p == torrent.pieceCount() - 1
                        ? (int) (torrent.totalLength() - (long) p * torrent.pieceLength())
                        : torrent.pieceLength()));
    stream.send(MessageEncoder.encode(new PeerMessage.Interested()));
    boolean sawHaves = false;
    while (true) {
      PeerMessage m = stream.readMessage(decoder);
      if (m instanceof PeerMessage.HaveAll || m instanceof PeerMessage.Bitfield) {
        sawHaves = true;
      }
      if (m instanceof PeerMessage.Unchoke) {
        break;
      }
    }
    assertThat(sawHaves).isTrue();
    stream.send(MessageEncoder.encode(new PeerMessage.Request(0, 0, WireLimits.BLOCK_SIZE)));
    while (true) {
      PeerMessage m = stream.readMessage(decoder);
      if (m instanceof PeerMessage.Piece p) {
        byte[] block = new byte[p.length()];
        p.data().get(block);
        assertThat(p.piece()).isZero();
        assertThat(block).isEqualTo(Arrays.copyOf(payload, WireLimits.BLOCK_SIZE));
        return;
      }
    }
  }
}
