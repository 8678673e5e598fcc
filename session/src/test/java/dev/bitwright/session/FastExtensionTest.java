package dev.bitwright.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitwright.metainfo.Torrent;
import dev.bitwright.metainfo.TorrentBuilder;
import dev.bitwright.wire.AllowedFastSet;
import dev.bitwright.wire.Handshake;
import dev.bitwright.wire.MessageEncoder;
import dev.bitwright.wire.PeerId;
import dev.bitwright.wire.PeerMessage;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * BEP 6 from the uploader's side, seen by a scripted peer on a plain socket: a Bitwright seed
 * offers it its allowed fast set, serves those pieces while choking it, and rejects other requests.
 */
@Timeout(30)
class FastExtensionTest {
  private static final byte PIECE = 7;
  private static final byte REJECT = 16;
  private static final byte ALLOWED_FAST = 17;

  @TempDir Path dir;

  @Test
  void aChokedFastPeerGetsItsAllowedFastPiecesAndRejectsForTheRest() throws Exception {
    Path payload = Swarm.payload(dir.resolve("seed"), 6, 3_000_000);
    Torrent torrent = TorrentBuilder.create(payload).pieceLength(16 * 1024).build();
    byte[] infoHash = torrent.infoHashes().v1().orElseThrow().bytes();
    List<Integer> allowed =
        AllowedFastSet.generate(10, torrent.pieceCount(), infoHash, (Inet4Address) Swarm.LOOPBACK);
    int other = 0;
    while (allowed.contains(other)) {
      other++;
    }
    try (TorrentSession seeder = TorrentSession.start(Swarm.config().build())) {
      seeder
          .add(AddTorrent.torrent(torrent, dir.resolve("seed")).build())
          .completion()
          .get(20, TimeUnit.SECONDS);
      try (Socket socket = new Socket(Swarm.LOOPBACK, seeder.listenAddress().getPort())) {
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        out.write(
            Handshake.of(
                    infoHash, PeerId.generate(new SplittableRandom(1)), false, true, false, false)
                .toBytes());
        in.readFully(new byte[68]);

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
